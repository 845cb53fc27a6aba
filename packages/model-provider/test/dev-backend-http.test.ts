import { bearerAuthProvider } from '@codex-ts/auth-provider';
import { startScriptedServer } from '@codex-ts/auth-provider/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createModelSession, openAiProvider, parseModelProviderInfo, providerAuth } from '../src/index.js';
import { type DevSetup, devSetup, responsesLog } from './support/dev-backend.js';
import { collect, textOf } from './support/turns.js';

let dev: DevSetup;
beforeEach(async () => {
  dev = await devSetup();
});
afterEach(async () => {
  await dev.backend.close();
});

const ECHO = 'Echo: hello there';

function threadAuth(threadId = 'thread-http') {
  return dev.account.thread(threadId);
}

describe('turns over HTTP against the dev backend', () => {
  it('a thread assertion: the backend sees the thread task on the turn', async () => {
    const auth = await threadAuth();
    const session = createModelSession({ provider: dev.provider, auth, threadId: 'thread-http' });
    const events = await collect(session);
    expect(textOf(events)).toBe(ECHO);
    expect(events[0]).toMatchObject({ type: 'metadata', transport: 'http', openaiModel: 'dev-echo' });
    expect(responsesLog(dev.backend, 'POST')).toEqual([
      { status: 200, authScheme: 'assertion', taskKind: 'thread', taskId: auth.taskId },
    ]);
  });

  it('flag off: the user bearer token, and the backend sees bearer', async () => {
    const auth = dev.account.bearer;
    const session = createModelSession({ provider: dev.provider, auth, threadId: 'thread-bearer' });
    expect(textOf(await collect(session))).toBe(ECHO);
    expect(responsesLog(dev.backend, 'POST')).toEqual([
      { status: 200, authScheme: 'bearer', taskKind: undefined, taskId: undefined },
    ]);
  });

  it('API-key auth goes to the API base with Bearer sk-…, never to the ChatGPT backend', async () => {
    const api = await startScriptedServer([
      { status: 200, headers: { 'content-type': 'text/event-stream' }, body: completedStream() },
    ]);
    try {
      const provider = openAiProvider({
        authMode: 'apikey',
        chatgptBaseUrl: dev.backend.chatgptBaseUrl,
        env: { OPENAI_BASE_URL: `${api.url}/v1` },
      });
      const session = createModelSession({
        provider,
        auth: bearerAuthProvider({ token: 'sk-test-key-123' }),
        threadId: 'thread-api',
      });
      await collect(session);
      expect(api.seen.map((r) => [r.method, r.url, r.headers.authorization])).toEqual([
        ['POST', '/v1/responses', 'Bearer sk-test-key-123'],
      ]);
      expect(dev.backend.requests()).toEqual([]);
    } finally {
      await api.close();
    }
  });

  it('a provider with env_key sends that key and never the ChatGPT credentials', async () => {
    const other = await startScriptedServer([
      { status: 200, headers: { 'content-type': 'text/event-stream' }, body: completedStream() },
    ]);
    try {
      const auth = await threadAuth('thread-env');
      const before = dev.backend.requests().length;
      const provider = parseModelProviderInfo({
        name: 'Other',
        baseUrl: `${other.url}/v1`,
        envKey: 'OTHER_KEY',
      });
      const session = createModelSession({
        provider,
        auth: providerAuth(provider, { auth, env: { OTHER_KEY: 'sk-other-1' } }),
        threadId: 'thread-env',
      });
      await collect(session);
      const [seen] = other.seen;
      expect([seen?.headers.authorization, seen?.headers['chatgpt-account-id']]).toEqual([
        'Bearer sk-other-1',
        undefined,
      ]);
      expect([auth.registrations, dev.backend.requests().length - before]).toEqual([0, 0]);
    } finally {
      await other.close();
    }
  });

  it('a 401 unknown_task mid-session: one re-registration, one retry', async () => {
    const auth = await threadAuth();
    const session = createModelSession({ provider: dev.provider, auth, threadId: 'thread-http' });
    await collect(session);
    const firstTask = auth.taskId!;
    dev.backend.forgetTask(firstTask);
    expect(textOf(await collect(session))).toBe(ECHO);
    expect(auth.registrations).toBe(2);
    expect(
      responsesLog(dev.backend, 'POST').map((r) => [r.status, r.authScheme, r.taskId === firstTask]),
    ).toEqual([
      [200, 'assertion', true],
      [401, 'assertion', true],
      [200, 'assertion', false],
    ]);
  });

  it('503 twice then success: three attempts, each signed afresh', async () => {
    const auth = await threadAuth();
    dev.backend.injectFault({ path: '/backend-api/codex/responses', method: 'POST', status: 503, count: 2 });
    const session = createModelSession({
      provider: dev.provider,
      auth,
      threadId: 'thread-http',
      backoff: { baseDelayMs: 1 },
    });
    const events = await collect(session);
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(2);
    expect(textOf(events)).toBe(ECHO);
    expect(responsesLog(dev.backend, 'POST').map((r) => r.status)).toEqual([503, 503, 200]);
  });
});

function completedStream(): string {
  return [
    { type: 'response.created', response: { id: 'resp_api' } },
    { type: 'response.completed', response: { id: 'resp_api' } },
  ]
    .map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`)
    .join('');
}
