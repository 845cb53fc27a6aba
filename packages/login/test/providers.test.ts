import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { AuthUnavailableError, isAuthUnavailableError } from '@codex-ts/auth-provider';
import { ConfigError } from '@codex-ts/config';
import { describe, expect, it } from 'vitest';
import { toAuthUnavailable } from '../src/auth-unavailable.js';
import { AuthFileError, AuthManager, RefreshTokenError } from '../src/index.js';
import {
  captureLogger,
  chatgptHome,
  type DevBackend,
  decodeAssertion,
  managerFor,
  registrations,
  req,
  storedAuth,
  taskRegistrations,
  tempHome,
  useDevBackend,
  writeConfig,
} from './helpers.js';

let backend: DevBackend;
useDevBackend((b) => {
  backend = b;
});

const at = (url: string) => ({ url: new URL(url), method: 'GET' });

describe('one provider per scope', () => {
  it('memoizes the default, background and bootstrap providers, and thread providers per thread id', async () => {
    const m = await AuthManager.create({ codexHome: tempHome(), env: {}, logger: captureLogger().logger });
    expect(m.defaultProvider()).toBe(m.defaultProvider());
    expect(m.backgroundProvider()).toBe(m.backgroundProvider());
    expect(m.bootstrapProvider()).toBe(m.bootstrapProvider());
    expect(m.threadProvider('t')).toBe(m.threadProvider('t'));
    expect(m.threadProvider('t')).not.toBe(m.threadProvider('u'));
    expect(m.defaultProvider()).not.toBe(m.backgroundProvider());
    for (const p of [
      m.defaultProvider(),
      m.backgroundProvider(),
      m.bootstrapProvider(),
      m.threadProvider('t'),
    ]) {
      expect(p.specificationVersion).toBe('v1');
    }
  });
});

describe('websocket URLs are authorized as their http equivalents', () => {
  it.each([
    ['http', 'http'],
    ['ws', 'http'],
  ])('%s:// to the loopback backend gets an assertion (flag on) and a bearer (flag off)', async (scheme) => {
    const { home: on, tokens } = await chatgptHome(backend);
    const { home: off } = await chatgptHome(backend, { flag: false, tokens });
    const url = `${backend.chatgptBaseUrl.replace(/^http:/, `${scheme}:`)}/codex/responses`;
    const withIdentity = await (await managerFor(backend, on)).defaultProvider().headers(at(url));
    expect(decodeAssertion(withIdentity.Authorization!).agent_runtime_id).toBe(
      storedAuth(on).agent_identity.agent_runtime_id,
    );
    expect(withIdentity['ChatGPT-Account-ID']).toBe(tokens.account_id);
    expect(await (await managerFor(backend, off)).threadProvider('t').headers(at(url))).toEqual({
      Authorization: `Bearer ${tokens.access_token}`,
      'ChatGPT-Account-ID': tokens.account_id,
    });
  });

  it('another loopback server (an upload host on another port) gets nothing, flag on or off', async () => {
    const { home: on, tokens } = await chatgptHome(backend);
    const { home: off } = await chatgptHome(backend, { flag: false, tokens });
    const other = new URL(backend.chatgptBaseUrl);
    other.port = String(Number(other.port) === 65535 ? 1 : Number(other.port) + 1);
    for (const home of [on, off]) {
      const m = await managerFor(backend, home);
      for (const scheme of ['http', 'ws']) {
        const url = `${scheme}://${other.host}/upload/file-1`;
        expect(await m.defaultProvider().headers(at(url))).toEqual({});
        expect(await m.threadProvider('t').headers(at(url))).toEqual({});
        expect(m.defaultProvider().describe(at(url)).scheme).toBe('none');
      }
    }
  });

  it.each([
    ['https://chatgpt.com/backend-api/codex/responses', 'bearer'],
    ['wss://chatgpt.com/backend-api/codex/responses', 'bearer'],
    ['https://api.openai.com/v1/responses', 'bearer'],
    ['wss://api.openai.com/v1/realtime', 'bearer'],
    ['ws://chatgpt.com/backend-api/codex/responses', 'none'],
    ['blob:https://chatgpt.com/0b4c', 'none'],
  ])('%s with an API key: %s', async (url, scheme) => {
    const m = await AuthManager.create({
      codexHome: tempHome(),
      env: { CODEX_API_KEY: 'sk-ws-key' },
      logger: captureLogger().logger,
    });
    const p = m.defaultProvider();
    expect(await p.headers(at(url))).toEqual(
      scheme === 'bearer' ? { Authorization: 'Bearer sk-ws-key' } : {},
    );
    expect(p.describe(at(url)).scheme).toBe(scheme);
  });
});

describe('cancellation', () => {
  it('a thread provider waiting on a hanging task registration stops when the signal aborts', async () => {
    const { home } = await chatgptHome(backend);
    const log = captureLogger();
    const m = await managerFor(backend, home, { log });
    await m.prewarmAgentIdentity(); // identity and background task
    backend.injectFault({ path: '/backend-api/v1/agent/*/task/register', delayMs: 600_000, count: 1 });
    const controller = new AbortController();
    const reason = new Error('the user closed the thread');
    const pending = m.threadProvider('thread-abort').headers({ ...req(backend), signal: controller.signal });
    expect(m.threadProvider('thread-abort').describe(req(backend))).toEqual({
      scheme: 'agent-assertion',
      accountId: m.authCached()!.accountId(),
      detail: 'thread task registration pending',
    });
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    backend.clearFaults();
  });

  it('an already aborted signal rejects at once, on the warm path too', async () => {
    const { home } = await chatgptHome(backend, { flag: false });
    const m = await managerFor(backend, home);
    await m.defaultProvider().headers(req(backend));
    const reason = new Error('gone');
    await expect(
      m.defaultProvider().headers({ ...req(backend), signal: AbortSignal.abort(reason) }),
    ).rejects.toBe(reason);
  });
});

describe('rejections are auth-provider errors', () => {
  it('not logged in: AuthUnavailableError not_logged_in, not retryable; describe says none', async () => {
    const m = await AuthManager.create({ codexHome: tempHome(), env: {}, logger: captureLogger().logger });
    for (const p of [m.defaultProvider(), m.bootstrapProvider(), m.threadProvider('t')]) {
      const err = await p.headers(at('https://chatgpt.com/backend-api/x')).catch((e: unknown) => e);
      expect(isAuthUnavailableError(err)).toBe(true);
      expect(err).toMatchObject({ reason: 'not_logged_in', retryable: false });
      expect(p.describe(at('https://chatgpt.com/backend-api/x'))).toEqual({
        scheme: 'none',
        detail: 'not logged in',
      });
    }
  });

  it.each([
    [new AuthFileError('auth_file_corrupt', '/h/auth.json', 'not JSON'), 'storage_unavailable', false],
    [new ConfigError('/h/config.toml', 'bad'), 'storage_unavailable', false],
    [
      new RefreshTokenError({ permanent: true, reason: 'revoked', message: 'log in again' }),
      'credentials_expired',
      false,
    ],
    [
      new RefreshTokenError({ permanent: false, reason: 'other', message: 'try later' }),
      'credentials_expired',
      true,
    ],
    [new TypeError('unexpected'), 'agent_task_unavailable', true],
  ])('%s → %s (retryable %s)', (err, reason, retryable) => {
    const mapped = toAuthUnavailable(err, undefined) as AuthUnavailableError;
    expect(mapped).toBeInstanceOf(AuthUnavailableError);
    expect({ reason: mapped.reason, retryable: mapped.retryable, cause: mapped.cause }).toEqual({
      reason,
      retryable,
      cause: err,
    });
  });

  it('keeps auth-provider errors and the signal reason as they are', () => {
    const own = new AuthUnavailableError('unsupported_destination', 'no');
    expect(toAuthUnavailable(own, undefined)).toBe(own);
    const reason = new Error('aborted');
    expect(toAuthUnavailable(reason, AbortSignal.abort(reason))).toBe(reason);
  });
});

// Defect 11: a typo in forced_chatgpt_workspace_id deleted the stored identity and its key.
describe('forced_chatgpt_workspace_id', () => {
  it('a record for another workspace of the account is kept, and reused once the config is set back', async () => {
    const { home, tokens } = await chatgptHome(backend);
    const first = await managerFor(backend, home);
    await first.defaultProvider().headers(req(backend));
    const original = storedAuth(home).agent_identity;
    expect(original.workspace_id).toBe(tokens.account_id);

    writeConfig(home, { backend, flag: true, extra: 'forced_chatgpt_workspace_id = "workspace-typo"' });
    const typo = await managerFor(backend, home);
    await typo.defaultProvider().headers(req(backend));
    expect(storedAuth(home).agent_identity).toEqual(original);

    writeConfig(home, { backend, flag: true });
    backend.clearRequests();
    const back = await managerFor(backend, home);
    const h = await back.defaultProvider().headers(req(backend));
    expect(decodeAssertion(h.Authorization!)).toMatchObject({
      agent_runtime_id: original.agent_runtime_id,
      task_id: original.background_task_id,
    });
    expect(registrations(backend)).toHaveLength(0);
    expect(taskRegistrations(backend)).toHaveLength(0);
    expect(storedAuth(home).agent_identity).toEqual(original);
  });
});

describe('config', () => {
  it('a config.toml syntax error names line and column and never shows the file (defect 6)', async () => {
    const home = tempHome();
    const secret = 'mcp-token-0123456789abcdef';
    writeFileSync(join(home, 'config.toml'), `[mcp_servers.x]\nenv = { TOKEN = "${secret}" }\n[features\n`);
    const err = await AuthManager.create({ codexHome: home, env: {}, logger: captureLogger().logger }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).position).toEqual({ line: 3, column: 10 });
    expect(inspect(err, { depth: 10, showHidden: true })).not.toContain(secret);
  });

  it('AuthManager.create refuses a chatgpt_base_url that would send tokens over plain http', async () => {
    const home = tempHome();
    writeFileSync(join(home, 'config.toml'), 'chatgpt_base_url = "http://chatgpt.example.com/backend-api"\n');
    await expect(
      AuthManager.create({ codexHome: home, env: {}, logger: captureLogger().logger }),
    ).rejects.toThrow(ConfigError);
  });
});
