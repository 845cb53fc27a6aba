import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BadRequestError, createModelSession } from '../src/index.js';
import { type DevSetup, devSetup, RESPONSES_PATH, responsesLog } from './support/dev-backend.js';
import { collect, HELLO, textOf, turnError } from './support/turns.js';

let dev: DevSetup;
beforeEach(async () => {
  dev = await devSetup();
});
afterEach(async () => {
  await dev.backend.close();
});

const ECHO = 'Echo: hello there';

function threadAuth(bearerWhilePending = false) {
  return dev.account.thread('thread-ws', { bearerWhilePending });
}

function wsSession(auth: Awaited<ReturnType<typeof threadAuth>>, warnings: string[] = []) {
  return createModelSession({
    provider: dev.provider,
    auth,
    threadId: 'thread-ws',
    websocket: true,
    backoff: { baseDelayMs: 1 },
    onWarning: (message) => warnings.push(message),
  });
}

describe('turns over the websocket against the dev backend', () => {
  it('two turns with a thread assertion share one handshake', async () => {
    const auth = await threadAuth();
    const session = wsSession(auth);
    try {
      const first = await collect(session);
      // The upgrade response carries the dev backend's x-codex-* rate-limit headers.
      const window = (minutes: number) => ({
        usedPercent: 0,
        windowMinutes: minutes,
        resetsAt: expect.any(Number),
      });
      expect(first[0]).toEqual({
        type: 'metadata',
        transport: 'websocket',
        rateLimits: {
          limitId: 'codex',
          primary: window(300),
          secondary: window(10080),
          credits: { hasCredits: false, unlimited: false, balance: '0' },
        },
      });
      expect(textOf(first)).toBe(ECHO);
      expect(textOf(await collect(session, { ...HELLO, input: [{ role: 'user', content: 'again' }] }))).toBe(
        'Echo: again',
      );
      expect(session.websocketHandshakes).toBe(1);
      expect(responsesLog(dev.backend, 'GET')).toEqual([
        { status: 101, authScheme: 'assertion', taskKind: 'thread', taskId: auth.taskId },
      ]);
      expect(dev.backend.requests({ path: RESPONSES_PATH, method: 'POST' })).toEqual([]);
    } finally {
      session.close();
    }
  });

  it('a socket prewarmed with bearer is replaced once the provider would send an assertion', async () => {
    const auth = await threadAuth(true);
    const session = wsSession(auth);
    try {
      await session.prewarm();
      await auth.register();
      expect(textOf(await collect(session))).toBe(ECHO);
      expect(session.websocketHandshakes).toBe(2);
      expect(responsesLog(dev.backend, 'GET').map((r) => [r.status, r.authScheme, r.taskKind])).toEqual([
        [101, 'bearer', undefined],
        [101, 'assertion', 'thread'],
      ]);
    } finally {
      session.close();
    }
  });

  it('a refused upgrade (401 unknown_task) goes through the provider once and the new handshake succeeds', async () => {
    const auth = await threadAuth();
    const session = wsSession(auth);
    try {
      await collect(session);
      const firstTask = auth.taskId!;
      session.close();
      dev.backend.forgetTask(firstTask);
      expect(textOf(await collect(session))).toBe(ECHO);
      expect(auth.registrations).toBe(2);
      expect(responsesLog(dev.backend, 'GET').map((r) => [r.status, r.taskId === firstTask])).toEqual([
        [101, true],
        [401, true],
        [101, false],
      ]);
    } finally {
      session.close();
    }
  });

  /** A turn whose websocket upgrades are answered `status`: what the session did, and the turn's text. */
  async function refusedUpgrades(status: number) {
    const auth = await threadAuth();
    dev.backend.injectFault({ path: RESPONSES_PATH, method: 'GET', status, count: 5 });
    const warnings: string[] = [];
    const session = wsSession(auth, warnings);
    const events = await collect(session);
    expect(textOf(events)).toBe(ECHO);
    const did = events
      .filter((e) => e.type === 'retry' || e.type === 'transport_fallback')
      .map((e) => e.type);
    return { did, transport: session.transport, warnings };
  }

  it('after repeated connect failures the session falls back to HTTP and says so', async () => {
    const { did, transport, warnings } = await refusedUpgrades(502);
    expect(did).toEqual(['retry', 'transport_fallback']);
    expect(transport).toBe('http');
    expect(warnings).toEqual([
      `falling back to HTTP for the rest of the session: 2 websocket connects failed (last: GET ${new URL(dev.backend.chatgptBaseUrl).origin.replace('http', 'ws')}${RESPONSES_PATH} answered 502: fault injected by the dev backend (status 502))`,
    ]);
    expect(responsesLog(dev.backend, 'GET').map((r) => r.status)).toEqual([502, 502]);
    expect(responsesLog(dev.backend, 'POST').map((r) => [r.status, r.authScheme])).toEqual([
      [200, 'assertion'],
    ]);
  });

  it('an upgrade refused with 426 falls back to HTTP at once, as upstream', async () => {
    const { did, transport, warnings } = await refusedUpgrades(426);
    expect(did).toEqual(['transport_fallback']);
    expect(transport).toBe('http');
    expect(warnings).toEqual([expect.stringContaining('1 websocket connects failed')]);
    expect(responsesLog(dev.backend, 'GET').map((r) => r.status)).toEqual([426]);
  });

  it('an error frame is a typed error (a bad request is not retried)', async () => {
    const auth = await threadAuth();
    const session = wsSession(auth);
    try {
      const error = (await turnError(session, { ...HELLO, model: '' })) as BadRequestError;
      expect(error).toBeInstanceOf(BadRequestError);
      expect([error.status, error.message]).toEqual([
        400,
        `GET ${new URL(dev.backend.chatgptBaseUrl).origin.replace('http', 'ws')}${RESPONSES_PATH} was rejected with 400: model: Too small: expected string to have >=1 characters`,
      ]);
    } finally {
      session.close();
    }
  });
});
