import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuthFileError, AuthManager, RefreshTokenError } from '../src/index.js';
import {
  captureLogger,
  chatgptHome,
  type DevBackend,
  managerFor,
  storedAuth,
  tempHome,
  useDevBackend,
  writeAuth,
} from './helpers.js';

let backend: DevBackend;
useDevBackend((b) => {
  backend = b;
});

const refreshes = () => backend.requests({ path: '/oauth/token' });

describe('loading auth', () => {
  it('reads managed ChatGPT tokens and their claims', async () => {
    const { home, tokens } = await chatgptHome(backend, {
      flag: false,
      issue: { plan: 'business', fedramp: true },
    });
    const m = await managerFor(backend, home);
    const a = m.authCached()!;
    expect(a.toJSON()).toMatchObject({
      mode: 'chatgpt',
      source: 'file',
      accountId: tokens.account_id,
      plan: 'business',
      fedramp: true,
    });
    expect(a.isWorkspaceAccount()).toBe(true);
    expect(a.token()).toBe(tokens.access_token);
  });

  it('CODEX_API_KEY wins; OPENAI_API_KEY only when nothing is stored', async () => {
    const { home } = await chatgptHome(backend, { flag: false });
    const withEnv = await managerFor(backend, home, {
      env: { CODEX_API_KEY: 'sk-env', OPENAI_API_KEY: 'sk-openai' },
    });
    expect(withEnv.authCached()).toMatchObject({ mode: 'apikey', source: 'env' });
    expect(withEnv.authCached()!.token()).toBe('sk-env');
    const stored = await managerFor(backend, home, { env: { OPENAI_API_KEY: 'sk-openai' } });
    expect(stored.authCached()!.mode).toBe('chatgpt');
    const empty = await managerFor(backend, tempHome(), { env: { OPENAI_API_KEY: 'sk-openai' } });
    expect(empty.authCached()!.token()).toBe('sk-openai');
    const none = await managerFor(backend, tempHome(), { env: {} });
    expect(none.authCached()).toBeUndefined();
    await expect(
      none
        .defaultProvider()
        .headers({ url: new URL('https://chatgpt.com/backend-api/wham/usage'), method: 'GET' }),
    ).rejects.toMatchObject({
      code: 'auth_unavailable',
    });
  });

  it('a corrupt auth.json gives a typed error naming the path and is left alone', async () => {
    const home = tempHome();
    writeAuth(home, '{"tokens": {');
    const err = await AuthManager.create({ codexHome: home, env: {} }).catch((e) => e);
    expect(err).toBeInstanceOf(AuthFileError);
    expect(err.path).toBe(join(home, 'auth.json'));
    expect(err.message).toContain(join(home, 'auth.json'));
    expect(readFileSync(join(home, 'auth.json'), 'utf8')).toBe('{"tokens": {');
  });
});

describe('login and logout', () => {
  it('login with an API key keeps unknown fields; logout removes the file', async () => {
    const home = tempHome();
    writeAuth(home, { OPENAI_API_KEY: null, unknown_future_field: { x: 1 } });
    const m = await managerFor(backend, home, { env: {} });
    const seen: unknown[] = [];
    m.subscribe((a) => seen.push(a?.mode));
    await m.loginWithApiKey('  sk-new  ');
    expect(storedAuth(home)).toEqual({
      auth_mode: 'apikey',
      OPENAI_API_KEY: 'sk-new',
      unknown_future_field: { x: 1 },
    });
    expect(m.authCached()!.token()).toBe('sk-new');
    expect(await m.logout()).toBe(true);
    expect(m.authCached()).toBeUndefined();
    expect(seen).toEqual(['apikey', undefined]);
    const { existsSync } = await import('node:fs');
    expect(existsSync(join(home, 'auth.json'))).toBe(false);
  });

  it('ephemeral credential store never writes auth.json', async () => {
    const home = tempHome();
    writeFileSync(join(home, 'config.toml'), 'cli_auth_credentials_store = "ephemeral"\n');
    const m = await managerFor(backend, home, { env: {} });
    await m.loginWithApiKey('sk-mem');
    expect((await managerFor(backend, home, { env: {} })).authCached()!.token()).toBe('sk-mem');
    const { existsSync } = await import('node:fs');
    expect(existsSync(join(home, 'auth.json'))).toBe(false);
    await m.logout();
  });
});

describe('token refresh', () => {
  it('refreshes when the access token expires within 5 minutes, keeping other fields', async () => {
    const { home, tokens } = await chatgptHome(backend, {
      issue: { expiresIn: 240 },
      extra: {
        agent_identity: {
          workspace_id: 'w',
          agent_runtime_id: 'r',
          agent_private_key: 'k',
          registered_at: 't',
        },
        keep_me: 1,
      },
    });
    const m = await managerFor(backend, home);
    const changes: unknown[] = [];
    m.subscribe((a) => changes.push(a?.mode));
    const a = await m.auth();
    expect(a!.token()).not.toBe(tokens.access_token);
    expect(refreshes()).toHaveLength(1);
    const doc = storedAuth(home);
    expect(doc.tokens.access_token).toBe(a!.token());
    expect(doc.tokens.refresh_token).not.toBe(tokens.refresh_token);
    expect(doc.agent_identity).toEqual({
      workspace_id: 'w',
      agent_runtime_id: 'r',
      agent_private_key: 'k',
      registered_at: 't',
    });
    expect(doc.keep_me).toBe(1);
    expect(changes).toEqual(['chatgpt']);
    // now fresh: no further refresh
    await m.auth();
    expect(refreshes()).toHaveLength(1);
  });

  it('does not refresh a token valid for more than 5 minutes', async () => {
    const { home, tokens } = await chatgptHome(backend, { issue: { expiresIn: 360 } });
    const m = await managerFor(backend, home);
    expect((await m.auth())!.token()).toBe(tokens.access_token);
    expect(refreshes()).toHaveLength(0);
  });

  it('is single-flight across concurrent callers', async () => {
    const { home } = await chatgptHome(backend, { issue: { expiresIn: 10 } });
    const m = await managerFor(backend, home);
    const all = await Promise.all(Array.from({ length: 25 }, () => m.auth()));
    expect(new Set(all.map((a) => a!.token())).size).toBe(1);
    expect(refreshes()).toHaveLength(1);
  });

  it('reloads before refreshing: another process already refreshed', async () => {
    const { home } = await chatgptHome(backend, { issue: { expiresIn: 10 } });
    const a = await managerFor(backend, home);
    const b = await managerFor(backend, home);
    const ta = await a.auth();
    const tb = await b.auth();
    expect(tb!.token()).toBe(ta!.token());
    expect(refreshes()).toHaveLength(1);
  });

  it('a permanent failure is reported once and not retried for the same tokens', async () => {
    const { home, tokens } = await chatgptHome(backend, { issue: { expiresIn: 10 } });
    const log = captureLogger();
    const m = await managerFor(backend, home, { log });
    backend.injectFault({
      path: '/oauth/token',
      status: 401,
      count: 1,
      body: { error: { code: 'refresh_token_invalidated', message: 'revoked' } },
    });
    expect((await m.auth())!.token()).toBe(tokens.access_token); // old auth returned
    expect((await m.auth())!.token()).toBe(tokens.access_token);
    expect(refreshes()).toHaveLength(1);
    expect(log.warnings()).toHaveLength(1);
    const err = await m.refresh().catch((e) => e);
    expect(err).toBeInstanceOf(RefreshTokenError);
    expect(err).toMatchObject({ permanent: true, reason: 'revoked' });
  });

  it('a transient failure is retried on the next call', async () => {
    const { home } = await chatgptHome(backend, { issue: { expiresIn: 10 } });
    const m = await managerFor(backend, home);
    backend.injectFault({ path: '/oauth/token', status: 503, count: 1 });
    const err = await m.refresh().catch((e) => e);
    expect(err).toMatchObject({ permanent: false, code: 'refresh_transient', status: 503 });
    await m.refresh();
    expect(refreshes()).toHaveLength(2);
  });

  it('refuses to refresh when auth.json now belongs to another account', async () => {
    const { home } = await chatgptHome(backend, { issue: { expiresIn: 10 } });
    const m = await managerFor(backend, home);
    const other = await backend.issueTokens({ email: `other-${Date.now()}@example.com` });
    writeAuth(home, { tokens: { ...other } });
    const err = await m.refresh().catch((e) => e);
    expect(err).toMatchObject({ permanent: true, reason: 'account_changed' });
    expect(refreshes()).toHaveLength(0);
  });
});

describe('unauthorized recovery', () => {
  it('managed: reload, then refresh, then done', async () => {
    const { home } = await chatgptHome(backend);
    const m = await managerFor(backend, home);
    const r = m.unauthorizedRecovery();
    expect(r.mode).toBe('managed');
    expect(await r.next()).toEqual({ step: 'reload', authChanged: false });
    expect(await r.next()).toEqual({ step: 'refresh_token', authChanged: true });
    expect(r.hasNext()).toBe(false);
    expect(refreshes()).toHaveLength(1);
  });

  it('reload picks up tokens another process wrote', async () => {
    const { home } = await chatgptHome(backend);
    const m = await managerFor(backend, home);
    const other = await managerFor(backend, home);
    await other.refresh();
    const r = m.unauthorizedRecovery();
    expect(await r.next()).toEqual({ step: 'reload', authChanged: true });
  });

  it('API keys have nothing to recover', async () => {
    const m = await managerFor(backend, tempHome(), { env: { CODEX_API_KEY: 'sk' } });
    expect(m.unauthorizedRecovery().hasNext()).toBe(false);
  });
});
