import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createModelSession,
  type ModelEvent,
  parseModelProviderInfo,
  StreamDisconnectedError,
} from '../src/index.js';
import { type DevSetup, devSetup } from './support/dev-backend.js';
import { collect, HELLO, turnError } from './support/turns.js';

let dev: DevSetup;
beforeEach(async () => {
  dev = await devSetup();
});
afterEach(async () => {
  await dev.backend.close();
});

async function session(
  websocket: boolean,
  extra: { streamIdleTimeoutMs?: number; streamMaxRetries?: number } = {},
) {
  const auth = await dev.account.thread('thread-models');
  return createModelSession({
    provider: parseModelProviderInfo({ ...dev.provider, ...extra }),
    auth,
    threadId: 'thread-models',
    websocket,
    backoff: { baseDelayMs: 1 },
  });
}

const shape = (events: ModelEvent[]) =>
  events.map((e) => {
    if (e.type === 'function_call_arguments.done') return `${e.type} ${e.arguments}`;
    if (e.type === 'output_item.done') return `${e.type} ${e.item.type} ${String(e.item.name)}`;
    return e.type;
  });

describe('dev backend models through a session', () => {
  it.each([
    ['HTTP', false],
    ['the websocket', true],
  ])('a tool call and its output, over %s', async (_name, websocket) => {
    const turns = await session(websocket);
    try {
      const call = await collect(turns, {
        ...HELLO,
        model: 'dev-tool-call',
        input: [{ role: 'user', content: 'pwd' }],
      });
      expect(shape(call)).toEqual([
        'metadata',
        // Over the websocket the dev backend sends the turn's rate limits as a `codex.rate_limits` event.
        ...(websocket ? ['rate_limits'] : []),
        'created',
        'output_item.added',
        'function_call_arguments.delta',
        'function_call_arguments.delta',
        'function_call_arguments.done {"command":["echo","pwd"]}',
        'output_item.done function_call shell',
        'completed',
      ]);
      const done = call.find((e) => e.type === 'output_item.done');
      const item = done?.type === 'output_item.done' ? done.item : {};
      const answer = await collect(turns, {
        ...HELLO,
        model: 'dev-tool-call',
        input: [
          { role: 'user', content: 'pwd' },
          item,
          { type: 'function_call_output', call_id: String(item.call_id), output: '/home/dev' },
        ],
      });
      const text = answer.find((e) => e.type === 'output_text.done');
      expect(text?.type === 'output_text.done' && text.text).toBe('Echo: Tool output: /home/dev');
    } finally {
      turns.close();
    }
  });

  it.each([
    ['HTTP', false],
    ['the websocket', true],
  ])('the slow model trips the idle timeout over %s', async (_name, websocket) => {
    const turns = await session(websocket, { streamIdleTimeoutMs: 300, streamMaxRetries: 0 });
    try {
      const error = await turnError(turns, { ...HELLO, model: 'dev-slow' });
      expect(error).toBeInstanceOf(StreamDisconnectedError);
      expect((error as Error).message).toMatch(/^idle timeout: (POST|GET) .* sent nothing for 300 ms$/);
    } finally {
      turns.close();
    }
  });

  it.each([
    ['HTTP', false],
    ['the websocket', true],
  ])('cancelling a slow turn over %s stops it within a second', async (_name, websocket) => {
    const turns = await session(websocket);
    const controller = new AbortController();
    const turn = turns.stream({ ...HELLO, model: 'dev-slow' }, { signal: controller.signal });
    while ((await turn.next()).value?.type !== 'created');
    const started = Date.now();
    const reason = new Error('cancelled by the user');
    setImmediate(() => controller.abort(reason));
    await expect(turn.next()).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(1000);
    turns.close();
  });
});
