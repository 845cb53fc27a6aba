import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAuthDotJson, serializeAuthDotJson } from '../src/auth-json.js';
import { FileAuthStore } from '../src/index.js';
import { updateAuthStore } from '../src/storage.js';
import {
  chatgptHome,
  type DevBackend,
  decodeAssertion,
  managerFor,
  rawAuth,
  registrations,
  req,
  taskRegistrations,
  tempHome,
  useDevBackend,
  writeConfig,
} from './helpers.js';

let backend: DevBackend;
useDevBackend((b) => {
  backend = b;
});

// Shapes as upstream writes them (serde_json::to_string_pretty of AuthDotJson, fields in struct order,
// `None` fields skipped except OPENAI_API_KEY; no trailing newline).
const pretty = (doc: unknown) => JSON.stringify(doc, null, 2);
const UPSTREAM_169_API_KEY = { auth_mode: 'apikey', OPENAI_API_KEY: 'sk-upstream-169' };
const UPSTREAM_169_AGENT_IDENTITY = {
  auth_mode: 'agentIdentity',
  OPENAI_API_KEY: null,
  agent_identity: 'eyJhbGciOiJFZERTQSJ9.eyJhZ2VudF9ydW50aW1lX2lkIjoiYWdlbnQtMSJ9.c2ln',
};

/**
 * What 0.169 requires of auth.json (serde, AuthDotJson at 0.169): unknown top-level keys are ignored;
 * `agent_identity`, when present, is a string; `auth_mode` one of its modes; `OPENAI_API_KEY` string or null.
 */
function expectReadableBy169(doc: Record<string, unknown>): void {
  expect(doc.agent_identity === undefined || typeof doc.agent_identity === 'string').toBe(true);
  expect(['apikey', 'chatgpt', 'chatgptAuthTokens', 'agentIdentity', undefined]).toContain(doc.auth_mode);
  expect(doc.OPENAI_API_KEY === null || typeof doc.OPENAI_API_KEY === 'string').toBe(true);
}

describe('auth.json shared with upstream Codex', () => {
  it('0.169 files: read as they are, written back unchanged (the agent identity JWT string included)', () => {
    for (const doc of [UPSTREAM_169_API_KEY, UPSTREAM_169_AGENT_IDENTITY]) {
      const parsed = parseAuthDotJson(pretty(doc), '/h/auth.json');
      expect(parsed.agent_identity).toBeUndefined(); // a JWT string is upstream's, never login's record
      expect(serializeAuthDotJson(parsed)).toBe(`${pretty(doc)}\n`);
    }
  });

  it('every file login writes keeps its record out of `agent_identity`', async () => {
    const { home } = await chatgptHome(backend);
    const m = await managerFor(backend, home);
    const h = await m.defaultProvider().headers(req(backend)); // identity + background task stored
    const doc = rawAuth(home);
    expectReadableBy169(doc);
    expect(Object.keys(doc)).toEqual(['OPENAI_API_KEY', 'tokens', 'last_refresh', 'codex_ts_agent_identity']);
    expect(doc.codex_ts_agent_identity).toEqual({
      workspace_id: doc.tokens.account_id,
      chatgpt_user_id: m.authCached()!.chatgptUserId(),
      agent_runtime_id: decodeAssertion(h.Authorization!).agent_runtime_id,
      agent_private_key: expect.any(String),
      registered_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      background_task_id: decodeAssertion(h.Authorization!).task_id,
    });
    await m.loginWithApiKey('sk-after');
    expectReadableBy169(rawAuth(home));
  });

  it('reuses the identity 0.122 stored under `agent_identity`, and leaves 0.122 its record', async () => {
    // An identity the backend knows: registered once by login, then moved to where 0.122 keeps it.
    const first = await chatgptHome(backend);
    const m1 = await managerFor(backend, first.home);
    await m1.defaultProvider().headers(req(backend));
    const { codex_ts_agent_identity: record, ...rest } = rawAuth(first.home);
    const written122 = {
      auth_mode: 'chatgpt',
      OPENAI_API_KEY: null,
      tokens: rest.tokens,
      last_refresh: rest.last_refresh,
      agent_identity: {
        workspace_id: record.workspace_id,
        chatgpt_user_id: record.chatgpt_user_id,
        agent_runtime_id: record.agent_runtime_id,
        agent_private_key: record.agent_private_key,
        registered_at: record.registered_at,
      },
    };
    const home = tempHome();
    writeConfig(home, { backend, flag: true });
    writeFileSync(join(home, 'auth.json'), pretty(written122), { mode: 0o600 });
    backend.clearRequests();

    const m = await managerFor(backend, home);
    const h = await m.defaultProvider().headers(req(backend));
    expect(decodeAssertion(h.Authorization!).agent_runtime_id).toBe(record.agent_runtime_id);
    expect(registrations(backend)).toEqual([]);
    expect(taskRegistrations(backend)).toHaveLength(1); // its background task: 0.122's record had none
    expect((await fetch(req(backend).url, { headers: h })).status).toBe(200);

    const after = rawAuth(home);
    expect(after.agent_identity).toEqual(written122.agent_identity); // 0.122 still finds its own record
    expect(after.codex_ts_agent_identity).toEqual({
      ...written122.agent_identity,
      background_task_id: decodeAssertion(h.Authorization!).task_id,
    });
  });

  it('an adopted 0.122 record login rejects is not adopted again (and stays for 0.122)', () => {
    const record = {
      workspace_id: 'w',
      agent_runtime_id: 'r',
      agent_private_key: 'k',
      registered_at: '2026-04-13T12:00:00Z',
    };
    const parsed = parseAuthDotJson(pretty({ OPENAI_API_KEY: null, agent_identity: record }), '/h/auth.json');
    expect(parsed.agent_identity).toEqual(record);
    expect(serializeAuthDotJson(parsed)).toBe(
      `${pretty({ OPENAI_API_KEY: null, agent_identity: record })}\n`,
    );
    const { agent_identity: _dropped, ...rejected } = parsed;
    const text = serializeAuthDotJson(rejected);
    expect(JSON.parse(text)).toEqual({
      OPENAI_API_KEY: null,
      agent_identity: record,
      codex_ts_agent_identity: null,
    });
    expect(parseAuthDotJson(text, '/h/auth.json').agent_identity).toBeUndefined();
  });

  it('fields upstream adds (top level and in tokens) survive a refresh', async () => {
    const { home } = await chatgptHome(backend, {
      issue: { expiresIn: 60 },
      extra: { personal_access_token: 'pat-kept', future_top: { a: [1, 2] } },
    });
    const doc = rawAuth(home);
    doc.tokens.future_token_field = 'kept';
    writeFileSync(join(home, 'auth.json'), pretty(doc));
    const m = await managerFor(backend, home);
    await m.refresh();
    const after = rawAuth(home);
    expect(after.tokens.access_token).not.toBe(doc.tokens.access_token);
    expect(after.tokens.future_token_field).toBe('kept');
    expect(after.personal_access_token).toBe('pat-kept');
    expect(after.future_top).toEqual({ a: [1, 2] });
  });

  it('upstream’s auth.json.lock (an empty regular file) does not block login, and login leaves it alone', async () => {
    const home = tempHome();
    const lock = join(home, 'auth.json.lock');
    writeFileSync(lock, '', { mode: 0o600 });
    const store = new FileAuthStore(home, { lockTimeoutMs: 0 });
    await updateAuthStore(store, () => ({ OPENAI_API_KEY: 'sk-1' }));
    await updateAuthStore(store, (cur) => ({ ...cur, OPENAI_API_KEY: 'sk-2' }));
    expect(statSync(lock).isFile()).toBe(true);
    expect(readFileSync(lock, 'utf8')).toBe('');
    expect(readdirSync(home).sort()).toEqual(['auth.json', 'auth.json.lock']);
  });
});
