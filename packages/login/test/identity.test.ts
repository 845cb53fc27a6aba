import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AgentKey } from '@codex-ts/agent-identity';
import { describe, expect, it } from 'vitest';
import { AgentTaskUnavailableError } from '../src/index.js';
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
  uniqueEmail,
  useDevBackend,
  writeAuth,
  writeConfig,
} from './helpers.js';

let backend: DevBackend;
useDevBackend((b) => {
  backend = b;
});

const stored = storedAuth;

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
    expect(stored(home).agent_identity).toBeUndefined();
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
    expect(await m.bearerProvider().headers(req(backend))).toEqual({
      Authorization: `Bearer ${tokens.access_token}`,
      'ChatGPT-Account-ID': tokens.account_id,
    });
    expect(m.bearerProvider().describe(req(backend))).toEqual({
      scheme: 'bearer',
      accountId: tokens.account_id,
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
    const rec = stored(home).agent_identity;
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
    expect(stored(home).agent_identity).toMatchObject({
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
    const rec = stored(home).agent_identity;
    expect(rec.agent_runtime_id).not.toBe('agent-old');
    expect(rec.chatgpt_user_id).toBe(m.authCached()!.chatgptUserId());
    expect(rec.chatgpt_user_id).not.toBe('user-old');
    expect(registrations(backend)).toHaveLength(1);
  });

  it('persists the identity per workspace: another account replaces it', async () => {
    const { home, tokens } = await chatgptHome(backend);
    const m = await managerFor(backend, home);
    await m.defaultProvider().headers(req(backend));
    const first = stored(home).agent_identity;
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
    const second = stored(home).agent_identity;
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

describe('tasks', () => {
  it('registers a thread task once per external ref', async () => {
    const { home } = await chatgptHome(backend);
    const m = await managerFor(backend, home);
    const p = m.threadProvider('thread-1');
    const [h1, h2] = await Promise.all([
      p.headers(req(backend)),
      m.threadProvider('thread-1').headers(req(backend)),
    ]);
    expect(decodeAssertion(h1!.Authorization!).task_id).toBe(decodeAssertion(h2!.Authorization!).task_id);
    const threads = taskRegistrations(backend).filter((r) => r.taskKind === 'thread');
    expect(threads).toHaveLength(1);
    const task = backend.tasks().find((t) => t.taskId === decodeAssertion(h1!.Authorization!).task_id)!;
    expect(task).toMatchObject({ kind: 'thread', externalTaskRef: 'thread-1' });
    // background task is separate and not registered by a thread call
    expect(taskRegistrations(backend).filter((r) => r.taskKind === 'background')).toHaveLength(0);
    expect((await fetch(req(backend).url, { headers: h1 })).status).toBe(200);
  });

  it('uses distinct refs for distinct threads', async () => {
    const { home } = await chatgptHome(backend);
    const m = await managerFor(backend, home);
    const a = await m.threadProvider('thread-a').headers(req(backend));
    const b = await m.threadProvider('thread-b').headers(req(backend));
    expect(decodeAssertion(a.Authorization!).task_id).not.toBe(decodeAssertion(b.Authorization!).task_id);
    expect(decodeAssertion(a.Authorization!).agent_runtime_id).toBe(
      decodeAssertion(b.Authorization!).agent_runtime_id,
    );
    const refs = backend
      .tasks()
      .filter((t) => t.kind === 'thread')
      .map((t) => t.externalTaskRef);
    expect(refs).toEqual(expect.arrayContaining(['thread-a', 'thread-b']));
    expect(taskRegistrations(backend)).toHaveLength(2);
  });

  it('a failed thread task registration can be retried', async () => {
    const { home } = await chatgptHome(backend);
    const m = await managerFor(backend, home);
    await m.defaultProvider().headers(req(backend)); // identity + background task
    backend.clearRequests();
    backend.injectFault({ path: '/backend-api/v1/agent/*/task/register', status: 500, count: 1 });
    const err = await m
      .threadProvider('thread-1')
      .headers(req(backend))
      .catch((e) => e);
    expect(err).toBeInstanceOf(AgentTaskUnavailableError);
    expect(err.retryable).toBe(true);
    const h = await m.threadProvider('thread-1').headers(req(backend));
    expect(h.Authorization).toMatch(/^AgentAssertion /);
    expect(taskRegistrations(backend)).toHaveLength(2);
    expect(m.agentIdentityFallback()).toBeUndefined();
  });

  it('background auth uses one task for default and background providers', async () => {
    const { home } = await chatgptHome(backend);
    const m = await managerFor(backend, home);
    const d = await m.defaultProvider().headers(req(backend));
    const b = await m.backgroundProvider().headers(req(backend, '/wham/tasks/list'));
    expect(decodeAssertion(b.Authorization!).task_id).toBe(decodeAssertion(d.Authorization!).task_id);
    expect(taskRegistrations(backend)).toHaveLength(1);
    expect(m.backgroundProvider().describe(req(backend))).toMatchObject({ scheme: 'agent-assertion' });
  });

  it('exposes what a thread persists and restores it only for the same runtime', async () => {
    const { home } = await chatgptHome(backend);
    const m = await managerFor(backend, home);
    const seen: unknown[] = [];
    m.onThreadTask((threadId, task) => seen.push({ threadId, task }));
    const persisted = (await m.ensureThreadTask('thread-9'))!;
    expect(persisted).toEqual({
      agentRuntimeId: expect.any(String),
      taskId: expect.any(String),
      kind: 'thread',
      registeredAt: expect.stringMatching(/Z$/),
    });
    expect(seen).toEqual([{ threadId: 'thread-9', task: persisted }]);
    // a later process resumes the thread: no registration
    backend.clearRequests();
    const m2 = await managerFor(backend, home);
    expect(await m2.restoreThreadTask('thread-9', persisted)).toBe(true);
    const h = await m2.threadProvider('thread-9').headers(req(backend));
    expect(decodeAssertion(h.Authorization!).task_id).toBe(persisted.taskId);
    expect(backend.requests()).toEqual([]);
    // a task of another runtime is refused and a new one registered
    expect(await m2.restoreThreadTask('thread-10', { ...persisted, agentRuntimeId: 'agent-other' })).toBe(
      false,
    );
    await m2.threadProvider('thread-10').headers(req(backend));
    expect(taskRegistrations(backend)).toHaveLength(1);
  });

  it('re-registers thread tasks when the identity changes', async () => {
    const { home } = await chatgptHome(backend);
    const m = await managerFor(backend, home);
    const before = decodeAssertion((await m.threadProvider('thread-1').headers(req(backend))).Authorization!);
    const other = await backend.issueTokens({ email: uniqueEmail(), accountId: 'ws-changed' });
    await m.saveChatgptTokens({
      idToken: other.id_token,
      accessToken: other.access_token,
      refreshToken: other.refresh_token,
    });
    const after = decodeAssertion((await m.threadProvider('thread-1').headers(req(backend))).Authorization!);
    expect(after.agent_runtime_id).not.toBe(before.agent_runtime_id);
    expect(after.task_id).not.toBe(before.task_id);
  });
});

describe('fallback', () => {
  it('registration answering 503 three times: bearer, one warning, reported state', async () => {
    const { home, tokens } = await chatgptHome(backend);
    const log = captureLogger();
    const m = await managerFor(backend, home, { log });
    backend.injectFault({ path: '/backend-api/authenticate_app_v2', status: 503, count: 3 });
    const p = m.defaultProvider();
    const all = await Promise.all(Array.from({ length: 5 }, () => p.headers(req(backend))));
    for (const h of all) expect(h.Authorization).toBe(`Bearer ${tokens.access_token}`);
    expect(await p.headers(req(backend))).toMatchObject({ Authorization: `Bearer ${tokens.access_token}` });
    expect(await m.threadProvider('t').headers(req(backend))).toMatchObject({
      Authorization: `Bearer ${tokens.access_token}`,
    });
    expect(backend.requests({ path: '/backend-api/authenticate_app_v2' })).toHaveLength(3);
    expect(registrations(backend)).toHaveLength(0);
    const warnings = log.warnings();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.msg).toBe('agent identity unavailable; falling back to bearer authorization');
    expect(String(warnings[0]!.reason)).toMatch(/biscuit: http_status 503/);
    const s = await m.status();
    expect(s.agentIdentity).toMatchObject({
      enabled: true,
      state: 'fallback',
      fallbackReason: expect.stringMatching(/503/),
    });
    expect(p.describe(req(backend))).toMatchObject({
      scheme: 'bearer',
      detail: expect.stringMatching(/fallback/),
    });
    // an explicit retry leaves fallback
    m.retryAgentIdentity();
    expect((await p.headers(req(backend))).Authorization).toMatch(/^AgentAssertion /);
  });

  it('two transient failures are absorbed by the third attempt', async () => {
    const { home } = await chatgptHome(backend);
    const log = captureLogger();
    const m = await managerFor(backend, home, { log });
    backend.injectFault({ path: '/backend-api/v1/agent/register', status: 503, count: 2 });
    expect((await m.defaultProvider().headers(req(backend))).Authorization).toMatch(/^AgentAssertion /);
    expect(registrations(backend)).toHaveLength(3);
    expect(log.warnings()).toEqual([]);
  });

  it('a corrupt auth.json is never overwritten by identity registration', async () => {
    const { home, tokens } = await chatgptHome(backend);
    const m = await managerFor(backend, home);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(home, 'auth.json'), '{"tokens": oops');
    const h = await m.defaultProvider().headers(req(backend));
    expect(h.Authorization).toBe(`Bearer ${tokens.access_token}`);
    expect(readFileSync(join(home, 'auth.json'), 'utf8')).toBe('{"tokens": oops');
    expect((await m.status()).agentIdentity.fallbackReason).toMatch(/auth_file_corrupt/);
  });
});

describe('registration timing and races', () => {
  it('a slow registration does not hold up default calls; they use bearer until it lands', async () => {
    const { home, tokens } = await chatgptHome(backend);
    const m = await managerFor(backend, home, { registrationWaitMs: 200 });
    backend.injectFault({ path: '/backend-api/v1/agent/register', delayMs: 1500, count: 1 });
    const h = await m.defaultProvider().headers(req(backend));
    expect(h.Authorization).toBe(`Bearer ${tokens.access_token}`);
    // later calls do not wait again for the same registration
    const t0 = performance.now();
    expect((await m.defaultProvider().headers(req(backend))).Authorization).toBe(
      `Bearer ${tokens.access_token}`,
    );
    expect(performance.now() - t0).toBeLessThan(150);
    expect(await m.prewarmAgentIdentity()).toBe(true);
    expect((await m.defaultProvider().headers(req(backend))).Authorization).toMatch(/^AgentAssertion /);
    expect(registrations(backend)).toHaveLength(1);
  });

  it('two managers racing on one CODEX_HOME converge on one stored identity and background task', async () => {
    const { home } = await chatgptHome(backend);
    const [a, b] = await Promise.all([managerFor(backend, home), managerFor(backend, home)]);
    const [ha, hb] = await Promise.all([
      a.defaultProvider().headers(req(backend)),
      b.defaultProvider().headers(req(backend)),
    ]);
    const rec = stored(home).agent_identity;
    expect(decodeAssertion(ha.Authorization!).agent_runtime_id).toBe(rec.agent_runtime_id);
    expect(decodeAssertion(hb.Authorization!).agent_runtime_id).toBe(rec.agent_runtime_id);
    expect(decodeAssertion(ha.Authorization!).task_id).toBe(rec.background_task_id);
    expect(decodeAssertion(hb.Authorization!).task_id).toBe(rec.background_task_id);
  });

  it('prewarm is a no-op with the flag off', async () => {
    const { home } = await chatgptHome(backend, { flag: false });
    const m = await managerFor(backend, home);
    expect(await m.prewarmAgentIdentity()).toBe(false);
    expect(backend.requests()).toEqual([]);
  });
});
