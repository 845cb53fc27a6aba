import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { describe, expect, it } from 'vitest';
import { parseAuthDotJson, serializeAuthDotJson } from '../src/auth-json.js';
import {
  AuthFileError,
  ConfigError,
  EphemeralAuthStore,
  FileAuthStore,
  loadLoginConfig,
  resolveCodexHome,
} from '../src/index.js';
import { classifyRefreshFailure } from '../src/refresh.js';
import { updateAuthStore } from '../src/storage.js';
import { parseIdToken } from '../src/token-data.js';
import { tempHome } from './helpers.js';

function jwt(payload: Record<string, unknown>): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${enc({ alg: 'none' })}.${enc(payload)}.sig`;
}

describe('CODEX_HOME and config.toml', () => {
  it('resolves CODEX_HOME from the given env, else ~/.codex', () => {
    expect(resolveCodexHome({ CODEX_HOME: '/x/y' })).toBe('/x/y');
    expect(resolveCodexHome({})).toMatch(/\.codex$/);
  });

  it('gives defaults without a file and reads the keys it knows', async () => {
    const home = tempHome();
    expect(await loadLoginConfig(home)).toEqual({
      useAgentIdentity: false,
      chatgptBaseUrl: 'https://chatgpt.com/backend-api',
      forcedChatgptWorkspaceId: undefined,
      credentialsStore: 'file',
    });
    writeFileSync(
      join(home, 'config.toml'),
      'model = "x"\nchatgpt_base_url = "http://127.0.0.1:1/backend-api"\nforced_chatgpt_workspace_id = "ws-1"\ncli_auth_credentials_store = "ephemeral"\n[features]\nuse_agent_identity = true\nother = 1\n',
    );
    expect(await loadLoginConfig(home)).toEqual({
      useAgentIdentity: true,
      chatgptBaseUrl: 'http://127.0.0.1:1/backend-api',
      forcedChatgptWorkspaceId: 'ws-1',
      credentialsStore: 'ephemeral',
    });
  });

  it('names the file, the key and what was expected', async () => {
    const home = tempHome();
    const path = join(home, 'config.toml');
    writeFileSync(path, '[features]\nuse_agent_identity = "yes"\n');
    const err = await loadLoginConfig(home).catch((e) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.path).toBe(path);
    expect(err.key).toBe('features.use_agent_identity');
    expect(err.message).toBe(
      `${path}: \`features.use_agent_identity\` must be true or false, found a string`,
    );

    writeFileSync(path, 'cli_auth_credentials_store = "keyring"\n');
    await expect(loadLoginConfig(home)).rejects.toThrow(/"keyring"` is not supported/);
    writeFileSync(path, 'chatgpt_base_url = "ftp://x"\n');
    await expect(loadLoginConfig(home)).rejects.toThrow(/chatgpt_base_url/);
    writeFileSync(path, 'this is = = not toml\n');
    await expect(loadLoginConfig(home)).rejects.toThrow(new RegExp(`^${path}: invalid TOML`));
  });
});

describe('auth.json', () => {
  it('round-trips upstream fields and keeps unknown ones', () => {
    const doc = {
      auth_mode: 'chatgpt',
      OPENAI_API_KEY: null,
      tokens: {
        id_token: 'i',
        access_token: 'a',
        refresh_token: 'r',
        account_id: 'acc',
        future_token_field: 1,
      },
      last_refresh: '2026-04-13T12:00:00Z',
      agent_identity: {
        workspace_id: 'acc',
        agent_runtime_id: 'rt',
        agent_private_key: 'k',
        registered_at: 'x',
        extra: true,
      },
      personal_access_token: 'future',
      future_nullable_field: null,
    };
    const parsed = parseAuthDotJson(JSON.stringify(doc), '/p/auth.json');
    expect(JSON.parse(serializeAuthDotJson(parsed))).toEqual(doc);
    // OPENAI_API_KEY is always written, like upstream
    expect(JSON.parse(serializeAuthDotJson({ tokens: null }))).toEqual({ OPENAI_API_KEY: null });
  });

  it('corrupt or mistyped files give a typed error naming the path, never quoting the content', () => {
    const err = (() => {
      try {
        parseAuthDotJson('{"OPENAI_API_KEY": "sk-secret", ', '/h/auth.json');
      } catch (e) {
        return e as AuthFileError;
      }
    })()!;
    expect(err).toBeInstanceOf(AuthFileError);
    expect(err.code).toBe('auth_file_corrupt');
    expect(err.path).toBe('/h/auth.json');
    expect(err.message).toMatch(/^\/h\/auth\.json: /);
    expect(err.message).not.toContain('sk-secret');
    expect(() => parseAuthDotJson('{"tokens": {"access_token": 5}}', '/h/auth.json')).toThrow(
      /\/h\/auth\.json: auth\.json has unexpected values \(tokens\.id_token: expected string/,
    );
    expect(() => parseAuthDotJson('[]', '/h/auth.json')).toThrow(AuthFileError);
  });
});

describe('file store', () => {
  it('writes atomically with mode 0600 and leaves no temp files', async () => {
    const home = tempHome();
    const store = new FileAuthStore(home);
    expect(await store.load()).toBeUndefined();
    await updateAuthStore(store, () => ({ OPENAI_API_KEY: 'sk-1', custom: { a: 1 } }));
    expect(statSync(store.location).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(store.location, 'utf8'))).toEqual({
      OPENAI_API_KEY: 'sk-1',
      custom: { a: 1 },
    });
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(home).sort()).toEqual(['auth.json']);
  });

  it('serializes concurrent read-modify-write so no update is lost', async () => {
    const home = tempHome();
    const a = new FileAuthStore(home);
    const b = new FileAuthStore(home); // separate instances, same file
    await updateAuthStore(a, () => ({ counter: 0 }));
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        updateAuthStore(i % 2 ? a : b, (cur) => ({ ...cur, counter: (cur?.counter as number) + 1 })),
      ),
    );
    expect((await a.load())?.counter).toBe(20);
  });

  it('refuses to touch a corrupt file', async () => {
    const home = tempHome();
    const store = new FileAuthStore(home);
    writeFileSync(store.location, 'garbage{');
    await expect(updateAuthStore(store, () => ({ OPENAI_API_KEY: 'x' }))).rejects.toBeInstanceOf(
      AuthFileError,
    );
    expect(readFileSync(store.location, 'utf8')).toBe('garbage{');
  });

  it('gives a typed error, and writes nothing, when another holder keeps the lock', async () => {
    const home = tempHome();
    const store = new FileAuthStore(home, { lockTimeoutMs: 0 });
    writeFileSync(store.location, '{"OPENAI_API_KEY":"sk-kept"}');
    const release = await lockfile.lock(store.location, {
      realpath: false,
      lockfilePath: `${store.location}.codex-ts.lock`,
    });
    try {
      const err = await updateAuthStore(store, () => ({ OPENAI_API_KEY: 'sk-new' })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AuthFileError);
      expect((err as AuthFileError).code).toBe('auth_file_locked');
      expect((err as AuthFileError).path).toBe(store.location);
    } finally {
      await release();
    }
    expect(readFileSync(store.location, 'utf8')).toBe('{"OPENAI_API_KEY":"sk-kept"}');
  });

  it('ephemeral store is process memory keyed by CODEX_HOME', async () => {
    const home = tempHome();
    await updateAuthStore(new EphemeralAuthStore(home), () => ({ OPENAI_API_KEY: 'k' }));
    expect((await new EphemeralAuthStore(home).load())?.OPENAI_API_KEY).toBe('k');
    expect(await new EphemeralAuthStore(tempHome()).load()).toBeUndefined();
  });
});

describe('id_token claims', () => {
  it('parses email, plan, user, account and FedRAMP without verifying', () => {
    const token = jwt({
      email: 'u@example.com',
      'https://api.openai.com/auth': {
        chatgpt_plan_type: 'enterprise',
        chatgpt_user_id: 'user-1',
        chatgpt_account_id: 'acc-1',
        chatgpt_account_is_fedramp: true,
      },
    });
    expect(parseIdToken(token)).toEqual({
      email: 'u@example.com',
      chatgptPlanType: 'enterprise',
      chatgptUserId: 'user-1',
      chatgptAccountId: 'acc-1',
      isFedramp: true,
    });
    expect(
      parseIdToken(
        jwt({
          'https://api.openai.com/profile': { email: 'p@x' },
          'https://api.openai.com/auth': { user_id: 'u2' },
        }),
      ),
    ).toEqual({
      email: 'p@x',
      chatgptPlanType: undefined,
      chatgptUserId: 'u2',
      chatgptAccountId: undefined,
      isFedramp: false,
    });
    expect(parseIdToken('not-a-jwt').email).toBeUndefined();
  });
});

describe('refresh failure classification', () => {
  it('known codes and 401 are permanent, the rest transient', () => {
    const c = (status: number, body: unknown) => classifyRefreshFailure(status, JSON.stringify(body));
    expect(c(401, { error: { code: 'refresh_token_reused' } })).toMatchObject({
      permanent: true,
      reason: 'exhausted',
    });
    expect(c(400, { error: 'refresh_token_expired' })).toMatchObject({ permanent: true, reason: 'expired' });
    expect(c(400, { code: 'refresh_token_invalidated' })).toMatchObject({
      permanent: true,
      reason: 'revoked',
    });
    expect(c(401, {})).toMatchObject({ permanent: true, reason: 'unauthorized' });
    expect(c(503, {})).toMatchObject({ permanent: false, reason: 'other', code: 'refresh_transient' });
  });
});
