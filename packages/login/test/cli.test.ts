import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli-main.js';
import {
  captureLogger,
  chatgptHome,
  type DevBackend,
  decodeAssertion,
  managerFor,
  registrations,
  req,
  taskRegistrations,
  tempHome,
  useDevBackend,
  writeAuth,
  writeConfig,
} from './helpers.js';

const run = promisify(execFile);
const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');

let backend: DevBackend;
useDevBackend((b) => {
  backend = b;
});

function io(env: NodeJS.ProcessEnv, stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => err.push(s) },
      readStdin: async () => stdin,
      env,
      managerOptions: { logger: captureLogger().logger, registrationRetryDelayMs: 0 },
    },
  };
}

const envFor = (home: string) => ({ CODEX_HOME: home, CODEX_REFRESH_TOKEN_URL_OVERRIDE: backend.tokenUrl });

describe('codex-ts-login main()', () => {
  it('login --with-api-key, status, print-authorization, logout', async () => {
    const home = tempHome();
    const login = io(envFor(home), 'sk-from-stdin\n');
    expect(await main(['login', '--with-api-key'], login.io)).toBe(0);
    expect(JSON.parse(readFileSync(join(home, 'auth.json'), 'utf8'))).toEqual({
      auth_mode: 'apikey',
      OPENAI_API_KEY: 'sk-from-stdin',
    });

    const status = io(envFor(home));
    expect(await main(['status', '--json'], status.io)).toBe(0);
    expect(JSON.parse(status.out.join(''))).toMatchObject({
      loggedIn: true,
      mode: 'apikey',
      agentIdentity: { enabled: false, state: 'off' },
    });
    expect(status.out.join('')).not.toContain('sk-from-stdin');

    const text = io(envFor(home));
    expect(await main(['status'], text.io)).toBe(0);
    expect(text.out.join('')).toMatch(/auth mode: +apikey \(file\)/);

    const pa = io(envFor(home));
    expect(await main(['print-authorization', '--url', 'https://api.openai.com/v1/responses'], pa.io)).toBe(
      0,
    );
    expect(pa.out.join('')).toBe('Bearer sk-from-stdin\n');

    const unrelated = io(envFor(home));
    expect(await main(['print-authorization', '--url', 'https://example.com/'], unrelated.io)).toBe(1);
    expect(unrelated.err.join('')).toMatch(/no credentials would be sent to https:\/\/example\.com/);

    const out = io(envFor(home));
    expect(await main(['logout'], out.io)).toBe(0);
    const after = io(envFor(home));
    expect(await main(['status', '--json'], after.io)).toBe(1); // not logged in, as `codex login status`
    expect(JSON.parse(after.out.join('')).loggedIn).toBe(false);
  });

  it('print-authorization registers what it must (default and --thread) and status reports it', async () => {
    const { home } = await chatgptHome(backend);
    const d = io(envFor(home));
    expect(await main(['print-authorization'], d.io)).toBe(0);
    const bg = decodeAssertion(d.out.join('').trim());
    const t = io(envFor(home));
    expect(await main(['print-authorization', '--thread', 'thread-cli'], t.io)).toBe(0);
    const th = decodeAssertion(t.out.join('').trim());
    expect(th.agent_runtime_id).toBe(bg.agent_runtime_id);
    expect(th.task_id).not.toBe(bg.task_id);
    expect(registrations(backend)).toHaveLength(1);
    const s = io(envFor(home));
    await main(['status', '--json'], s.io);
    expect(JSON.parse(s.out.join('')).agentIdentity).toMatchObject({
      enabled: true,
      agentRuntimeId: bg.agent_runtime_id,
      backgroundTask: true,
      state: 'registered',
    });
  });

  it('usage errors exit 2; a corrupt auth.json is reported (and logout still works)', async () => {
    const home = tempHome();
    const u = io(envFor(home));
    expect(await main(['frobnicate'], u.io)).toBe(2);
    expect(await main(['login'], io(envFor(home)).io)).toBe(2);
    expect(await main(['print-authorization', '--thread'], io(envFor(home)).io)).toBe(2);
    expect(await main(['print-authorization', '--url', 'not a url'], io(envFor(home)).io)).toBe(2);
    expect(await main(['status', '--bogus'], io(envFor(home)).io)).toBe(2);
    writeAuth(home, '{broken');
    const s = io(envFor(home));
    expect(await main(['status'], s.io)).toBe(1);
    expect(s.err.join('')).toContain(join(home, 'auth.json'));
    expect(s.err.join('')).toContain('[auth_file_corrupt]');
    expect(await main(['logout'], io(envFor(home)).io)).toBe(0);
    const { existsSync } = await import('node:fs');
    expect(existsSync(join(home, 'auth.json'))).toBe(false);
  });

  it('status --check reports a fallback and why', async () => {
    const { home } = await chatgptHome(backend);
    backend.injectFault({ path: '/backend-api/authenticate_app_v2', status: 503, count: 3 });
    const s = io(envFor(home));
    expect(await main(['status', '--check', '--json'], s.io)).toBe(0);
    expect(JSON.parse(s.out.join('')).agentIdentity).toMatchObject({
      enabled: true,
      state: 'fallback',
      fallbackReason: expect.stringMatching(/biscuit: http_status 503/),
    });
    const ok = io(envFor(home));
    expect(await main(['status', '--check'], ok.io)).toBe(0);
    expect(ok.out.join('')).toMatch(/agent identity: +on \(active\)/);
    expect(ok.out.join('')).toMatch(/background task: +held/);
  });

  it('a bad config.toml is reported with file and key', async () => {
    const home = tempHome();
    writeConfig(home, { backend, extra: 'forced_chatgpt_workspace_id = 5' });
    const s = io(envFor(home));
    expect(await main(['status'], s.io)).toBe(1);
    expect(s.err.join('')).toContain(
      `${join(home, 'config.toml')}: \`forced_chatgpt_workspace_id\` must be a string, found a number`,
    );
  });
});

describe('other processes', () => {
  it('a child process reuses the identity and background task (no new registration)', async () => {
    const { home } = await chatgptHome(backend);
    const m = await managerFor(backend, home);
    const mine = decodeAssertion((await m.defaultProvider().headers(req(backend))).Authorization!);
    backend.clearRequests();
    const { stdout } = await run(process.execPath, [CLI, 'print-authorization'], {
      env: { ...process.env, ...envFor(home) },
    });
    const theirs = decodeAssertion(stdout.trim());
    expect(theirs.agent_runtime_id).toBe(mine.agent_runtime_id);
    expect(theirs.task_id).toBe(mine.task_id);
    expect(backend.requests()).toEqual([]);
    expect((await fetch(req(backend).url, { headers: { Authorization: stdout.trim() } })).status).toBe(200);
  });

  it('several processes refreshing at once: one refresh reaches the server, auth.json stays valid with the identity', async () => {
    const { home, tokens } = await chatgptHome(backend, { issue: { expiresIn: 60 } });
    // register the identity first (this also shows the refresh keeps it)
    const m = await managerFor(backend, home);
    await m.defaultProvider().headers(req(backend));
    const before = JSON.parse(readFileSync(join(home, 'auth.json'), 'utf8'));
    expect(before.tokens.access_token).not.toBe(tokens.access_token); // m refreshed (token was inside the window)
    // make it stale again on disk: write the old-style near-expiry token back with the current refresh token
    const stale = await backend.issueTokens({
      userId: backend
        .identities()
        .find((i) => i.agentRuntimeId === before.codex_ts_agent_identity.agent_runtime_id)!.userId,
      expiresIn: 60,
    });
    const doc = {
      ...before,
      tokens: { ...before.tokens, access_token: stale.access_token, refresh_token: stale.refresh_token },
    };
    writeAuth(home, doc);
    backend.clearRequests();
    const children = Array.from({ length: 5 }, () =>
      run(process.execPath, [CLI, 'print-authorization'], { env: { ...process.env, ...envFor(home) } }),
    );
    const outs = await Promise.all(children);
    for (const o of outs) expect(o.stdout).toMatch(/^AgentAssertion /);
    expect(backend.requests({ path: '/oauth/token' })).toHaveLength(1);
    expect(registrations(backend)).toHaveLength(0);
    expect(taskRegistrations(backend)).toHaveLength(0);
    const after = JSON.parse(readFileSync(join(home, 'auth.json'), 'utf8'));
    expect(after.codex_ts_agent_identity).toEqual(before.codex_ts_agent_identity);
    expect(after.agent_identity).toBeUndefined();
    expect(after.tokens.refresh_token).not.toBe(stale.refresh_token);
    // the stored refresh token is the live one: one more refresh works
    const m2 = await managerFor(backend, home);
    await expect(m2.refresh()).resolves.toBeDefined();
  });
});
