import { join } from 'node:path';
import { fetchWithAuth } from '@codex-ts/auth-provider';
import { describe, expect, it } from 'vitest';
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
  useDevBackend,
} from './helpers.js';

let backend: DevBackend;
useDevBackend((b) => {
  backend = b;
});

const usage = () => `${backend.chatgptBaseUrl}/wham/usage`;
const usageLog = () =>
  backend
    .requests({ path: '/backend-api/wham/usage' })
    .map((r) => `${r.status} ${r.authScheme} ${r.reason ?? ''}`.trim());

describe('401 on an AgentAssertion', () => {
  it('unknown task: drops the background task, registers a new one, retries once', async () => {
    const { home } = await chatgptHome(backend);
    const m = await managerFor(backend, home);
    const p = m.defaultProvider();
    const old = decodeAssertion((await p.headers(req(backend))).Authorization!);
    backend.forgetTask(old.task_id);
    backend.clearRequests();
    const res = await fetchWithAuth(p, usage());
    expect(res.status).toBe(200);
    expect(usageLog()).toEqual(['401 assertion unknown_task', '200 assertion']);
    expect(taskRegistrations(backend)).toHaveLength(1);
    expect(registrations(backend)).toHaveLength(0);
    const rec = storedAuth(home).agent_identity;
    expect(rec.agent_runtime_id).toBe(old.agent_runtime_id);
    expect(rec.background_task_id).not.toBe(old.task_id);
    expect(decodeAssertion((await p.headers(req(backend))).Authorization!).task_id).toBe(
      rec.background_task_id,
    );
  });

  it('unknown runtime: drops the identity, registers a new identity and task, retries once', async () => {
    const { home } = await chatgptHome(backend);
    const m = await managerFor(backend, home);
    const p = m.defaultProvider();
    const old = decodeAssertion((await p.headers(req(backend))).Authorization!);
    const thread = decodeAssertion((await m.threadProvider('thread-1').headers(req(backend))).Authorization!);
    backend.forgetIdentity(old.agent_runtime_id);
    backend.clearRequests();
    expect((await fetchWithAuth(p, usage())).status).toBe(200);
    expect(usageLog()).toEqual(['401 assertion unknown_runtime', '200 assertion']);
    expect(registrations(backend)).toHaveLength(1);
    const rec = storedAuth(home).agent_identity;
    expect(rec.agent_runtime_id).not.toBe(old.agent_runtime_id);
    // the thread task follows the new identity
    const t2 = decodeAssertion((await m.threadProvider('thread-1').headers(req(backend))).Authorization!);
    expect(t2.agent_runtime_id).toBe(rec.agent_runtime_id);
    expect(t2.task_id).not.toBe(thread.task_id);
  });

  it('thread task unknown to the server: re-registered for that thread', async () => {
    const { home } = await chatgptHome(backend);
    const m = await managerFor(backend, home);
    const tp = m.threadProvider('thread-7');
    const old = decodeAssertion((await tp.headers(req(backend))).Authorization!);
    backend.forgetTask(old.task_id);
    backend.clearRequests();
    const events = `${backend.chatgptBaseUrl}/codex/analytics-events/events`;
    const res = await fetchWithAuth(tp, events, {
      method: 'POST',
      body: '{"events":[]}',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(202);
    expect(taskRegistrations(backend).map((r) => r.taskKind)).toEqual(['thread']);
    const now = backend.tasks().filter((t) => t.externalTaskRef === 'thread-7');
    expect(now).toHaveLength(1);
    expect(now[0]!.taskId).not.toBe(old.task_id);
    expect(decodeAssertion((await tp.headers(req(backend))).Authorization!).task_id).toBe(now[0]!.taskId);
  });

  it('retries only once: a second 401 is returned to the caller', async () => {
    const { home } = await chatgptHome(backend);
    const m = await managerFor(backend, home);
    const p = m.defaultProvider();
    await p.headers(req(backend));
    backend.clearRequests();
    backend.injectFault({
      path: '/backend-api/wham/usage',
      status: 401,
      count: 2,
      body: { error: { code: 'unknown_task', message: 'no' } },
    });
    const res = await fetchWithAuth(p, usage());
    expect(res.status).toBe(401);
    expect(taskRegistrations(backend)).toHaveLength(1);
  });

  it('does not retry a streamed body', async () => {
    const { home } = await chatgptHome(backend);
    const m = await managerFor(backend, home);
    const p = m.defaultProvider();
    const old = decodeAssertion((await p.headers(req(backend))).Authorization!);
    backend.forgetTask(old.task_id);
    const body = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode('{}'));
        c.close();
      },
    });
    const res = await fetchWithAuth(p, `${backend.chatgptBaseUrl}/codex/analytics-events/events`, {
      method: 'POST',
      body,
      duplex: 'half',
      headers: { 'content-type': 'application/json' },
    } as RequestInit);
    expect(res.status).toBe(401);
    expect(backend.requests({ path: '/backend-api/codex/analytics-events/events' })).toHaveLength(1);
  });
});

describe('skewed clock', () => {
  it('a stale timestamp corrects the offset from Date once', async () => {
    const { home } = await chatgptHome(backend);
    const m = await managerFor(backend, home);
    const p = m.defaultProvider();
    await p.headers(req(backend));
    backend.setClockOffset(3600); // server is an hour ahead: our assertions look stale
    backend.clearRequests();
    const res = await fetchWithAuth(p, usage());
    expect(res.status).toBe(200);
    expect(usageLog()).toEqual(['401 assertion stale_timestamp', '200 assertion']);
    const ts = Date.parse(decodeAssertion((await p.headers(req(backend))).Authorization!).timestamp);
    expect(Math.abs(ts - (Date.now() + 3600_000))).toBeLessThan(5000);
    // thread task registration uses the corrected clock too
    expect((await fetchWithAuth(m.threadProvider('t-skew'), usage())).status).toBe(200);
    // only once per process: a new skew is not corrected again
    backend.setClockOffset(-3600);
    backend.clearRequests();
    expect((await fetchWithAuth(p, usage())).status).toBe(401);
    expect(usageLog()).toEqual(['401 assertion future_timestamp']);
  });
  it('a clock that is off from the start is corrected from the task registration answer', async () => {
    backend.setClockOffset(-3600); // server is an hour behind: our first signed timestamp looks future
    const log = captureLogger();
    const { home } = await chatgptHome(backend);
    const m = await managerFor(backend, home, { log });
    const res = await fetchWithAuth(m.defaultProvider(), usage());
    expect(res.status).toBe(200);
    expect(m.agentIdentityFallback()).toBeUndefined();
    expect(taskRegistrations(backend).map((r) => `${r.status} ${r.reason ?? ''}`.trim())).toEqual([
      '401 future_timestamp',
      '200',
    ]);
    expect(usageLog()).toEqual(['200 assertion']);
    expect(log.warnings().map((w) => w.msg)).toEqual([
      'server rejected the task-registration timestamp; corrected the clock offset',
    ]);
  });
});

describe('401 on a bearer request', () => {
  it('runs reload then refresh, and retries once', async () => {
    const { home, tokens } = await chatgptHome(backend, { flag: false });
    const m = await managerFor(backend, home);
    const p = m.defaultProvider();
    backend.injectFault({
      path: '/backend-api/wham/usage',
      status: 401,
      count: 1,
      body: { error: { code: 'expired_bearer' } },
    });
    const res = await fetchWithAuth(p, usage());
    expect(res.status).toBe(200);
    expect(backend.requests({ path: '/oauth/token' })).toHaveLength(1);
    expect(m.authCached()!.token()).not.toBe(tokens.access_token);
    expect(storedAuth(home).tokens.access_token).toBe(m.authCached()!.token());
  });

  it('the bearer fallback path also recovers', async () => {
    const { home } = await chatgptHome(backend);
    const m = await managerFor(backend, home);
    const p = m.bootstrapProvider();
    backend.injectFault({
      path: '/backend-api/wham/usage',
      status: 401,
      count: 1,
      body: { error: { code: 'invalid_bearer' } },
    });
    expect((await fetchWithAuth(p, usage())).status).toBe(200);
    expect(registrations(backend)).toHaveLength(0);
  });
});

describe('external (host-supplied) tokens', () => {
  it('a 401 asks the host for new tokens once and retries', async () => {
    const { home } = await chatgptHome(backend, { flag: false });
    const first = await backend.issueTokens({ email: `ext-${Date.now()}@example.com` });
    let calls = 0;
    const m = await managerFor(backend, home, {
      refreshExternalTokens: async ({ previousAccountId }) => {
        calls++;
        expect(previousAccountId).toBe(first.account_id);
        const next = await backend.issueTokens({ email: `ext2-${Date.now()}@example.com` });
        return { idToken: next.id_token, accessToken: next.access_token, accountId: next.account_id };
      },
    });
    await m.loginWithChatgptAuthTokens({
      idToken: first.id_token,
      accessToken: first.access_token,
      accountId: first.account_id,
    });
    expect(m.unauthorizedRecovery().mode).toBe('external');
    backend.injectFault({
      path: '/backend-api/wham/usage',
      status: 401,
      count: 1,
      body: { error: { code: 'expired_bearer' } },
    });
    expect((await fetchWithAuth(m.defaultProvider(), usage())).status).toBe(200);
    expect(calls).toBe(1);
    expect(m.authCached()!.token()).not.toBe(first.access_token);
    expect(backend.requests({ path: '/oauth/token' })).toHaveLength(0);
    await m.logout();
  });
});

describe('a stored key the server does not know', () => {
  async function mismatchedHome(keepBackgroundTask: boolean) {
    const { home } = await chatgptHome(backend);
    const m = await managerFor(backend, home);
    await m.defaultProvider().headers(req(backend));
    const doc = storedAuth(home);
    const { AgentKey } = await import('@codex-ts/agent-identity');
    doc.agent_identity.agent_private_key = AgentKey.generate().toPkcs8Base64(); // same runtime id, another key
    if (!keepBackgroundTask) delete doc.agent_identity.background_task_id;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(home, 'auth.json'), JSON.stringify(doc));
    backend.clearRequests();
    return { home, oldRuntime: doc.agent_identity.agent_runtime_id as string };
  }

  it('task registration rejected (bad_signature): the identity is replaced, not abandoned', async () => {
    const { home, oldRuntime } = await mismatchedHome(false);
    const m = await managerFor(backend, home);
    const h = await m.defaultProvider().headers(req(backend));
    expect(h.Authorization).toMatch(/^AgentAssertion /);
    expect(decodeAssertion(h.Authorization!).agent_runtime_id).not.toBe(oldRuntime);
    expect(m.agentIdentityFallback()).toBeUndefined();
    expect(registrations(backend)).toHaveLength(1);
    expect((await fetch(req(backend).url, { headers: h })).status).toBe(200);
  });

  it('thread task registration rejected: one new identity, then the thread task', async () => {
    const { home, oldRuntime } = await mismatchedHome(false);
    const m = await managerFor(backend, home);
    const h = await m.threadProvider('thread-k').headers(req(backend));
    expect(decodeAssertion(h.Authorization!).agent_runtime_id).not.toBe(oldRuntime);
    expect(registrations(backend)).toHaveLength(1);
    expect((await fetch(req(backend).url, { headers: h })).status).toBe(200);
  });

  it('assertion answered with bad_signature: re-register and retry once', async () => {
    const { home, oldRuntime } = await mismatchedHome(true);
    const m = await managerFor(backend, home);
    const res = await fetchWithAuth(m.defaultProvider(), usage());
    expect(res.status).toBe(200);
    expect(usageLog()).toEqual(['401 assertion bad_signature', '200 assertion']);
    expect(storedAuth(home).agent_identity.agent_runtime_id).not.toBe(oldRuntime);
  });
});
