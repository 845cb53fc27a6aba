import { describe, expect, it, vi } from 'vitest';
import { agentTestAccount } from '../src/testing/index.js';
import { backend } from './helpers.js';

const get = (url: string) => ({ url: new URL(url), method: 'GET' });

async function send(url: string, headers: Record<string, string>) {
  const response = await fetch(url, { headers });
  await response.arrayBuffer();
  return response;
}

describe('agentTestAccount against the dev backend', () => {
  it('registers the identity when a thread is asked for, and each task on its first request', async () => {
    const b = await backend();
    const account = await agentTestAccount(b, { email: 'tasks@example.com' });
    expect(b.users().map((u) => [u.email, u.accountId])).toEqual([['tasks@example.com', account.accountId]]);
    expect(b.identities()).toEqual([]);
    const thread = await account.thread('thread-1');
    expect([b.identities().length, b.tasks(), thread.taskId, thread.registrations]).toEqual([
      1,
      [],
      undefined,
      0,
    ]);

    const usage = `${b.chatgptBaseUrl}/wham/usage`;
    b.clearRequests();
    await send(usage, await thread.headers(get(usage)));
    await send(usage, await account.background.headers(get(usage)));
    const [identity] = b.identities();
    expect(b.tasks()).toEqual([
      {
        agentRuntimeId: identity!.agentRuntimeId,
        taskId: thread.taskId,
        kind: 'thread',
        externalTaskRef: 'thread-1',
      },
      { agentRuntimeId: identity!.agentRuntimeId, taskId: account.background.taskId, kind: 'background' },
    ]);
    expect(
      b.requests({ path: '/backend-api/wham/usage' }).map((r) => [r.status, r.authScheme, r.taskKind]),
    ).toEqual([
      [200, 'assertion', 'thread'],
      [200, 'assertion', 'background'],
    ]);
  });

  it('signs an assertion per request (a new one as time moves), with one registration however many callers wait', async () => {
    const b = await backend();
    const { background, accountId } = await agentTestAccount(b);
    const usage = get(`${b.chatgptBaseUrl}/wham/usage`);
    const all = await Promise.all([1, 2, 3, 4, 5].map(() => background.headers(usage)));
    expect(background.registrations).toBe(1);
    expect(b.requests().filter((r) => r.path.endsWith('/task/register'))).toHaveLength(1);
    expect(all.map((h) => [h.Authorization?.split(' ')[0], h['ChatGPT-Account-ID']])).toEqual(
      Array(5).fill(['AgentAssertion', accountId]),
    );
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 2_000 });
    try {
      const later = await background.headers(usage);
      expect(later.Authorization).not.toBe(all[0]!.Authorization);
      expect(background.registrations).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('an aborted caller stops waiting with the reason; the registration goes on for the next one', async () => {
    const b = await backend();
    const { background } = await agentTestAccount(b);
    const controller = new AbortController();
    const reason = new Error('caller went away');
    const pending = background.headers({
      ...get(`${b.chatgptBaseUrl}/wham/usage`),
      signal: controller.signal,
    });
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    await background.register();
    expect([background.registrations, typeof background.taskId]).toEqual([1, 'string']);
  });

  it('a 401 unknown_task drops the task (true); the next request registers a new one', async () => {
    const b = await backend();
    const { background } = await agentTestAccount(b);
    const usage = `${b.chatgptBaseUrl}/wham/usage`;
    const sent = await background.headers(get(usage));
    const first = background.taskId!;
    b.forgetTask(first);
    const response = await fetch(usage, { headers: sent });
    const context = {
      request: get(usage),
      sentHeaders: new Headers(sent),
      response: { status: response.status, headers: response.headers, body: await response.text() },
    };
    expect([response.status, response.headers.get('x-openai-authorization-error')]).toEqual([
      401,
      'unknown_task',
    ]);
    expect(await background.onUnauthorized!(context)).toBe(true);
    expect(background.taskId).toBeUndefined();
    expect((await send(usage, await background.headers(get(usage)))).status).toBe(200);
    expect([background.registrations, background.taskId === first]).toEqual([2, false]);
  });

  it.each([
    [401, 'invalid_signature'],
    [403, 'unknown_task'],
    [401, ''],
  ])('a %i with %j is not its to recover: false, and the task stays', async (status, reason) => {
    const b = await backend();
    const { background } = await agentTestAccount(b);
    await background.register();
    const taskId = background.taskId;
    const headers = new Headers(reason ? { 'x-openai-authorization-error': reason } : {});
    const request = get(`${b.chatgptBaseUrl}/wham/usage`);
    const verdict = await background.onUnauthorized!({
      request,
      sentHeaders: new Headers(),
      response: { status, headers, body: '' },
    });
    expect([verdict, background.taskId]).toEqual([false, taskId]);
  });

  it('bearerWhilePending: bearer (described as bearer) until register(), then an assertion', async () => {
    const b = await backend();
    const account = await agentTestAccount(b);
    const thread = await account.thread('thread-warm', { bearerWhilePending: true });
    const request = get(`${b.chatgptBaseUrl.replace(/^http/, 'ws')}/codex/responses`);
    expect(thread.describe(request)).toEqual({ scheme: 'bearer', accountId: account.accountId });
    expect(await thread.headers(request)).toEqual({
      Authorization: `Bearer ${account.accessToken}`,
      'ChatGPT-Account-ID': account.accountId,
    });
    expect(thread.registrations).toBe(0);
    await thread.register();
    expect(thread.describe(request)).toEqual({ scheme: 'agent-assertion', accountId: account.accountId });
    expect((await thread.headers(request)).Authorization).toMatch(/^AgentAssertion /);
  });

  it("authorizes the backend's origin only: another host gets no header and is described as none", async () => {
    const b = await backend();
    const { background } = await agentTestAccount(b);
    const port = Number(new URL(b.chatgptBaseUrl).port);
    const elsewhere = get(`http://127.0.0.1:${port === 1 ? 2 : 1}/files-blob/x`);
    expect(background.describe(elsewhere)).toEqual({ scheme: 'none' });
    expect(await background.headers(elsewhere)).toEqual({});
    expect(background.registrations).toBe(0);
  });
});
