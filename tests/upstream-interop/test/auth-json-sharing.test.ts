import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chatgptAuthJson } from '@codex-ts/dev-backend/testing';
import { describe, expect, it } from 'vitest';
import { AppServerSession } from '../src/app-server-session.js';
import {
  loginCli,
  platform,
  runProcess,
  type UpstreamWorld,
  upstreamAppServer,
  upstreamBinary,
  upstreamTitle,
  useWorld,
} from './harness.js';

// The acceptance tests of issue 8 §3: upstream Codex and codex-ts login share one CODEX_HOME/auth.json.

const withTokens = async (backend: UpstreamWorld['backend']) =>
  chatgptAuthJson(await backend.issueTokens({ email: 'dev@example.com', plan: 'plus' }));

async function readAuth(world: UpstreamWorld): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(world.home.authFile, 'utf8')) as Record<string, unknown>;
}

/** `codex login status` of upstream 0.169 on the world's CODEX_HOME. */
async function upstreamLoginStatus(world: UpstreamWorld) {
  const result = await runProcess([upstreamBinary('0.169.0'), 'login', 'status'], world.env);
  const lines = `${result.stdout}${result.stderr}`.split('\n');
  // Upstream warns that it will not put helper binaries under a temporary CODEX_HOME; not part of the status.
  return { code: result.code, output: lines.filter((l) => l !== '' && !l.startsWith('WARNING: ')) };
}

// Each test has its own dev backend, proxy and CODEX_HOME, so they run side by side.
describe.skipIf(!platform.supported)(
  upstreamTitle('auth.json shared by upstream Codex and codex-ts login'),
  { concurrent: true },
  () => {
    it('login reuses the identity 0.122 stored, and 0.122 keeps working after login wrote the file', async (context) => {
      const world = await useWorld(context, {
        config: { agentIdentity: true, customProvider: true },
        auth: withTokens,
      });
      const exec = [upstreamBinary('0.122.0'), 'exec', '--skip-git-repo-check', 'say hi'];
      const first = await runProcess(exec, world.env, { cwd: world.home.path });
      expect(first.code, first.stderr).toBe(0);
      const [registration] = world.backend
        .requests()
        .filter((r) => r.path === '/backend-api/v1/agent/register');
      const runtime = registration?.agentRuntimeId;
      expect(runtime).toMatch(/^agent_/);

      // login registers its background task under that identity and writes it to auth.json.
      const status = await runProcess([...loginCli(), 'status', '--json', '--check'], world.env);
      expect(status.code, status.stderr).toBe(0);
      expect(JSON.parse(status.stdout).agentIdentity).toEqual({
        enabled: true,
        state: 'active',
        agentRuntimeId: runtime,
        backgroundTask: true,
      });
      const usageUrl = `${world.backend.chatgptBaseUrl}/wham/usage`;
      const header = await runProcess([...loginCli(), 'print-authorization', '--url', usageUrl], world.env);
      expect(header.code, header.stderr).toBe(0);
      const usage = await fetch(usageUrl, { headers: { authorization: header.stdout.trim() } });
      expect(usage.status).toBe(200);
      const [usageRecord] = world.backend.requests().filter((r) => r.path === '/backend-api/wham/usage');
      expect({ scheme: usageRecord?.authScheme, runtime: usageRecord?.agentRuntimeId }).toEqual({
        scheme: 'assertion',
        runtime,
      });

      const second = await runProcess(exec, world.env, { cwd: world.home.path });
      expect(second.code, second.stderr).toBe(0);
      expect(second.stdout).toBe('Echo: say hi\n');
      const registrations = world.backend
        .requests()
        .filter((r) => r.path === '/backend-api/v1/agent/register');
      expect(registrations).toHaveLength(1);
    });

    it('0.169 `codex login status` reads the file login writes for an API key', async (context) => {
      const world = await useWorld(context);
      const login = await runProcess([...loginCli(), 'login', '--with-api-key'], world.env, {
        input: 'sk-interop-login-key\n',
      });
      expect(login.code, login.stderr).toBe(0);
      expect(await upstreamLoginStatus(world)).toEqual({
        code: 0,
        output: [
          'API key configured - sk-inter***n-key',
          'Authentication is checked when you send a request.',
        ],
      });
    });

    it('0.169 `codex login status` reads the file login writes for ChatGPT with its agent identity', async (context) => {
      const world = await useWorld(context, { config: { agentIdentity: true }, auth: withTokens });
      const status = await runProcess([...loginCli(), 'status', '--json', '--check'], world.env);
      expect(status.code, status.stderr).toBe(0);
      expect(JSON.parse(status.stdout).agentIdentity.state).toBe('active');
      expect(await upstreamLoginStatus(world)).toEqual({ code: 0, output: ['Logged in using ChatGPT'] });
    });

    it('login reads the API key 0.169 `codex login --with-api-key` stored', async (context) => {
      const world = await useWorld(context);
      const upstream = await runProcess([upstreamBinary('0.169.0'), 'login', '--with-api-key'], world.env, {
        input: 'sk-interop-upstream-key\n',
      });
      expect(upstream.code, upstream.stderr).toBe(0);
      const status = await runProcess([...loginCli(), 'status', '--json'], world.env);
      expect(status.code, status.stderr).toBe(0);
      expect(JSON.parse(status.stdout)).toMatchObject({ loggedIn: true, mode: 'apikey', source: 'file' });
      const header = await runProcess(
        [...loginCli(), 'print-authorization', '--url', `${world.backend.chatgptBaseUrl}/wham/usage`],
        world.env,
      );
      expect(header.stdout.trim()).toBe('Bearer sk-interop-upstream-key');
    });

    it('login reads the ChatGPT tokens 0.169 refreshed', async (context) => {
      const world = await useWorld(context, { backend: { tls: true }, auth: withTokens });
      const before = (await readAuth(world)).tokens as Record<string, string>;
      const session = await AppServerSession.initialized(upstreamAppServer(world));
      try {
        await session.request('account/read', { refreshToken: true });
      } finally {
        await session.close();
      }
      const after = (await readAuth(world)).tokens as Record<string, string>;
      expect(world.backend.requests().filter((r) => r.path === '/oauth/token')).toHaveLength(1);
      expect(after.refresh_token).not.toBe(before.refresh_token);
      expect(after.access_token).not.toBe(before.access_token);

      const status = await runProcess([...loginCli(), 'status', '--json'], world.env);
      expect(status.code, status.stderr).toBe(0);
      expect(JSON.parse(status.stdout)).toMatchObject({
        loggedIn: true,
        mode: 'chatgpt',
        email: 'dev@example.com',
      });
      const header = await runProcess(
        [...loginCli(), 'print-authorization', '--url', `${world.backend.chatgptBaseUrl}/wham/usage`],
        world.env,
      );
      expect(header.stdout.trim()).toBe(`Bearer ${after.access_token}`);
    });

    it("upstream's auth.json.lock does not stop login from writing", { timeout: 30_000 }, async (context) => {
      const world = await useWorld(context);
      const upstream = await runProcess([upstreamBinary('0.169.0'), 'login', '--with-api-key'], world.env, {
        input: 'sk-interop-upstream-key\n',
      });
      expect(upstream.code, upstream.stderr).toBe(0);
      const lock = await stat(join(world.home.path, 'auth.json.lock'));
      expect(lock.isFile()).toBe(true);

      // Login's own lock gives up after ~39 s; a run still waiting after 10 s has collided with upstream's file.
      const login = await runProcess([...loginCli(), 'login', '--with-api-key'], world.env, {
        input: 'sk-interop-login-key\n',
        signal: AbortSignal.timeout(10_000),
      });
      expect({ code: login.code, signal: login.signal, stderr: login.stderr }).toEqual({
        code: 0,
        signal: null,
        stderr: `Successfully logged in (${world.home.authFile})\n`,
      });
      expect((await readAuth(world)).OPENAI_API_KEY).toBe('sk-interop-login-key');
      expect(await upstreamLoginStatus(world)).toEqual({
        code: 0,
        output: [
          'API key configured - sk-inter***n-key',
          'Authentication is checked when you send a request.',
        ],
      });
    });

    it('fields upstream adds to auth.json survive a login rewrite', async (context) => {
      const world = await useWorld(context, { config: { agentIdentity: true }, auth: withTokens });
      const stored = await readAuth(world);
      await writeFile(
        world.home.authFile,
        JSON.stringify({ ...stored, future_upstream_field: { kept: true } }),
      );
      const status = await runProcess([...loginCli(), 'status', '--json', '--check'], world.env);
      expect(status.code, status.stderr).toBe(0);
      const rewritten = await readAuth(world);
      expect(rewritten.future_upstream_field).toEqual({ kept: true });
      expect(rewritten.tokens).toEqual(stored.tokens);
    });
  },
);
