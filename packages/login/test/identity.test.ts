import { join } from 'node:path';
import { AgentKey } from '@codex-ts/agent-identity';
import { describe, expect, it } from 'vitest';
import {
  chatgptHome,
  type DevBackend,
  decodeAssertion,
  managerFor,
  registrations,
  req,
  storedAuth,
  taskRegistrations,
  tempHome,
  uniqueEmail,
  useDevBackend,
  writeAuth,
  writeConfig,
} from './helpers.js';

let backend: DevBackend;
useDevBackend((b) => {
  backend = b;
});

describe('when agent identity does not apply', () => {
  it('flag off: bearer with routing headers, nothing registered', async () => {
    const { home, tokens } = await chatgptHome(backend, { flag: false, issue: { fedramp: true } });
    const m = await managerFor(backend, home);
    const h = await m.defaultProvider().headers(req(backend));
    expect(h).toEqual({
      Authorization: `Bearer ${tokens.access_token}`,
      'ChatGPT-Account-ID': tokens.account_id,
      'X-OpenAI-Fedramp': 'true',
    });
    expect(await m.threadProvider('thread-1').headers(req(backend))).toEqual(h);
    expect(await m.ensureThreadTask('thread-1')).toBeUndefined();
    expect(
      backend.requests().filter((r) => r.path.includes('/agent/') || r.path.includes('authenticate')),
    ).toEqual([]);
    expect((await m.status()).agentIdentity).toMatchObject({ enabled: false, state: 'off' });
    expect(storedAuth(home).agent_identity).toBeUndefined();
  });

  it('API key: bearer key without account headers, nothing registered', async () => {
    const home = tempHome();
    writeConfig(home, { backend, flag: true });
    writeAuth(home, { OPENAI_API_KEY: 'sk-test-key' });
    const m = await managerFor(backend, home);
    expect(await m.defaultProvider().headers(req(backend))).toEqual({ Authorization: 'Bearer sk-test-key' });
    expect(await m.threadProvider('t').headers(req(backend))).toEqual({
      Authorization: 'Bearer sk-test-key',
    });
    expect(backend.requests()).toEqual([]);
    expect((await m.status()).agentIdentity.state).toBe('not_applicable');
  });

  it('bearer-only helpers return bearer even with an identity', async () => {
    const { home, tokens } = await chatgptHome(backend);
    const m = await managerFor(backend, home);
    await m.defaultProvider().headers(req(backend)); // registers
    expect(await m.bootstrapProvider().headers(req(backend))).toEqual({
      Authorization: `Bearer ${tokens.access_token}`,
      'ChatGPT-Account-ID': tokens.account_id,
    });
    expect(m.bootstrapProvider().describe(req(backend))).toEqual({
      scheme: 'bearer',
      accountId: tokens.account_id,
      detail: 'bootstrap: bearer only',
    });
  });

  it('sends nothing to unrelated hosts and no assertion to non-assertion hosts', async () => {
    const { home, tokens } = await chatgptHome(backend);
    const m = await managerFor(backend, home, { trustedOrigins: ['https://files.example.net'] });
    const p = m.defaultProvider();
    expect(await p.headers({ url: new URL('https://evil.example.com/backend-api'), method: 'GET' })).toEqual(
      {},
    );
    expect(await p.headers({ url: new URL('http://10.0.0.1/x'), method: 'GET' })).toEqual({});
    await p.headers(req(backend)); // warm
    expect(await p.headers({ url: new URL('https://evil.example.com/x'), method: 'GET' })).toEqual({});
    expect(await p.headers({ url: new URL('https://files.example.net/up'), method: 'PUT' })).toEqual({
      Authorization: `Bearer ${tokens.access_token}`,
      'ChatGPT-Account-ID': tokens.account_id,
    });
    expect(
      await m.threadProvider('t1').headers({ url: new URL('https://evil.example.com/'), method: 'GET' }),
    ).toEqual({});
  });
});

describe('identity registration', () => {
  it('registers with the biscuit flow once and reuses the identity', async () => {
    const { home, tokens } = await chatgptHome(backend);
    const m = await managerFor(backend, home);
    const p = m.defaultProvider();
    const h1 = await p.headers(req(backend));
    const h2 = await p.headers(req(backend));
    expect(h1.Authorization).toMatch(/^AgentAssertion /);
    expect(h1['ChatGPT-Account-ID']).toBe(tokens.account_id);
    const a1 = decodeAssertion(h1.Authorization!);
    expect(decodeAssertion(h2.Authorization!).agent_runtime_id).toBe(a1.agent_runtime_id);
    const paths = backend.requests().map((r) => `${r.method} ${r.path} ${r.authScheme}`);
    expect(paths).toEqual([
      'GET /backend-api/authenticate_app_v2 bearer',
      'POST /backend-api/v1/agent/register biscuit',
      `POST /backend-api/v1/agent/${a1.agent_runtime_id}/task/register signature`,
    ]);
    const users = backend.users?.() ?? [];
    const identity = backend.identities().find((i) => i.agentRuntimeId === a1.agent_runtime_id)!;
    expect(identity.accountId).toBe(tokens.account_id);
    const rec = storedAuth(home).agent_identity;
    expect(rec).toMatchObject({
      workspace_id: tokens.account_id,
      agent_runtime_id: a1.agent_runtime_id,
      background_task_id: a1.task_id,
    });
    expect(rec.registered_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(rec.chatgpt_user_id).toBe(identity.userId);
    expect(AgentKey.fromPkcs8Base64(rec.agent_private_key).publicKeySsh).toBe(identity.publicKeySsh);
    expect(users).toBeDefined();
    // the server accepts it
    const res = await fetch(req(backend).url, { headers: h2 });
    expect(res.status).toBe(200);
  });

  it('100 concurrent first calls: one identity registration, one background task', async () => {
    const { home } = await chatgptHome(backend);
    const m = await managerFor(backend, home);
    const p = m.defaultProvider();
    const all = await Promise.all(Array.from({ length: 100 }, () => p.headers(req(backend))));
    expect(new Set(all.map((h) => decodeAssertion(h.Authorization!).task_id)).size).toBe(1);
    expect(registrations(backend)).toHaveLength(1);
    expect(backend.requests({ path: '/backend-api/authenticate_app_v2' })).toHaveLength(1);
    expect(taskRegistrations(backend)).toHaveLength(1);
    expect(taskRegistrations(backend)[0]!.taskKind).toBe('background');
  });

  it('a second manager on the same CODEX_HOME reuses identity and background task', async () => {
    const { home } = await chatgptHome(backend);
    const first = await (await managerFor(backend, home)).defaultProvider().headers(req(backend));
    backend.clearRequests();
    const m2 = await managerFor(backend, home);
    const second = await m2.defaultProvider().headers(req(backend));
    expect(decodeAssertion(second.Authorization!).task_id).toBe(
      decodeAssertion(first.Authorization!).task_id,
    );
    expect(backend.requests()).toEqual([]);
    expect((await m2.status()).agentIdentity).toMatchObject({ state: 'active', backgroundTask: true });
  });

  it('uses the chatgpt base url including /backend-api (and a trailing slash is fine)', async () => {
    const { home } = await chatgptHome(backend);
    writeConfig(home, { baseUrl: `${backend.chatgptBaseUrl}/`, flag: true });
    const m = await managerFor(backend, home);
    await m.defaultProvider().headers(req(backend));
    expect(registrations(backend).map((r) => r.path)).toEqual(['/backend-api/v1/agent/register']);
    expect(taskRegistrations(backend)[0]!.path).toMatch(/^\/backend-api\/v1\/agent\/[^/]+\/task\/register$/);
  });

  it('deletes an invalid cached identity (bad key) and registers again', async () => {
    const { tokens } = await chatgptHome(backend);
    const { home } = await chatgptHome(backend, {
      tokens,
      extra: {
        agent_identity: {
          workspace_id: tokens.account_id,
          agent_runtime_id: 'agent-stale',
          agent_private_key: 'not-valid-base64',
          registered_at: '2026-04-13T12:00:00Z',
          background_task_id: 'task-stale',
        },
      },
    });
    const m = await managerFor(backend, home);
    const h = await m.defaultProvider().headers(req(backend));
    const a = decodeAssertion(h.Authorization!);
    expect(a.agent_runtime_id).not.toBe('agent-stale');
    expect(registrations(backend)).toHaveLength(1);
    expect(storedAuth(home).agent_identity).toMatchObject({
      agent_runtime_id: a.agent_runtime_id,
      background_task_id: a.task_id,
    });
  });

  it('deletes a key whose stored public half does not match and registers again', async () => {
    const { tokens } = await chatgptHome(backend);
    const a = AgentKey.fromSeed(new Uint8Array(32).fill(7)).toPkcs8Base64();
    const b = AgentKey.fromSeed(new Uint8Array(32).fill(8)).toPkcs8Base64();
    // seed of key a, public key of key b (PKCS#8 v2)
    const mixed = Buffer.concat([
      Buffer.from(a, 'base64').subarray(0, 50),
      Buffer.from(b, 'base64').subarray(50),
    ]).toString('base64');
    expect(() => AgentKey.fromPkcs8Base64(mixed)).toThrow();
    const { home } = await chatgptHome(backend, {
      tokens,
      extra: {
        agent_identity: {
          workspace_id: tokens.account_id,
          agent_runtime_id: 'agent-x',
          agent_private_key: mixed,
          registered_at: 'x',
        },
      },
    });
    const m = await managerFor(backend, home);
    const h = await m.defaultProvider().headers(req(backend));
    expect(decodeAssertion(h.Authorization!).agent_runtime_id).not.toBe('agent-x');
    expect(registrations(backend)).toHaveLength(1);
  });

  it("deletes another user's identity and registers one for the current user", async () => {
    const { tokens } = await chatgptHome(backend);
    const key = AgentKey.generate().toPkcs8Base64();
    const { home } = await chatgptHome(backend, {
      tokens,
      extra: {
        agent_identity: {
          workspace_id: tokens.account_id,
          chatgpt_user_id: 'user-old',
          agent_runtime_id: 'agent-old',
          agent_private_key: key,
          registered_at: '2026-04-13T12:00:00Z',
        },
      },
    });
    const m = await managerFor(backend, home);
    await m.defaultProvider().headers(req(backend));
    const rec = storedAuth(home).agent_identity;
    expect(rec.agent_runtime_id).not.toBe('agent-old');
    expect(rec.chatgpt_user_id).toBe(m.authCached()!.chatgptUserId());
    expect(rec.chatgpt_user_id).not.toBe('user-old');
    expect(registrations(backend)).toHaveLength(1);
  });

  it('persists the identity per workspace: another account replaces it', async () => {
    const { home, tokens } = await chatgptHome(backend);
    const m = await managerFor(backend, home);
    await m.defaultProvider().headers(req(backend));
    const first = storedAuth(home).agent_identity;
    expect(first.workspace_id).toBe(tokens.account_id);
    // the user logs in to another workspace (same process)
    const other = await backend.issueTokens({ email: uniqueEmail(), accountId: 'workspace-2' });
    await m.saveChatgptTokens({
      idToken: other.id_token,
      accessToken: other.access_token,
      refreshToken: other.refresh_token,
      accountId: other.account_id,
    });
    const h = await m.defaultProvider().headers(req(backend));
    expect(h['ChatGPT-Account-ID']).toBe('workspace-2');
    const second = storedAuth(home).agent_identity;
    expect(second.workspace_id).toBe('workspace-2');
    expect(second.agent_runtime_id).not.toBe(first.agent_runtime_id);
    expect(decodeAssertion(h.Authorization!).agent_runtime_id).toBe(second.agent_runtime_id);
    expect(registrations(backend)).toHaveLength(2);
  });

  it('an identity for external (host-supplied) tokens stays in memory', async () => {
    const home = tempHome();
    writeConfig(home, { backend, flag: true });
    const t = await backend.issueTokens({ email: uniqueEmail() });
    const m = await managerFor(backend, home);
    await m.loginWithChatgptAuthTokens({
      idToken: t.id_token,
      accessToken: t.access_token,
      accountId: t.account_id,
    });
    expect(m.authCached()?.mode).toBe('chatgptAuthTokens');
    const h = await m.defaultProvider().headers(req(backend));
    expect(h.Authorization).toMatch(/^AgentAssertion /);
    const { existsSync } = await import('node:fs');
    expect(existsSync(join(home, 'auth.json'))).toBe(false);
    await m.logout();
  });
});
