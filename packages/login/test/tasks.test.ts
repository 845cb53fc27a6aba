import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAuthUnavailableError } from '@codex-ts/auth-provider';
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
  uniqueEmail,
  useDevBackend,
} from './helpers.js';

let backend: DevBackend;
useDevBackend((b) => {
  backend = b;
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
    expect(isAuthUnavailableError(err)).toBe(true);
    expect(err.reason).toBe('agent_task_unavailable');
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
    // describe is the decision headers() makes now: bearer while the registration is still running
    expect(m.defaultProvider().describe(req(backend))).toEqual({
      scheme: 'bearer',
      accountId: tokens.account_id,
      detail: 'agent identity registration still running',
    });
    // later calls do not wait again for the same registration
    const t0 = performance.now();
    expect((await m.defaultProvider().headers(req(backend))).Authorization).toBe(
      `Bearer ${tokens.access_token}`,
    );
    expect(performance.now() - t0).toBeLessThan(150);
    expect(await m.prewarmAgentIdentity()).toBe(true);
    expect(m.defaultProvider().describe(req(backend))).toMatchObject({ scheme: 'agent-assertion' });
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
    const rec = storedAuth(home).agent_identity;
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
