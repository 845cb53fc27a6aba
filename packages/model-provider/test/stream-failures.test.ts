import { getEventListeners } from 'node:events';
import type { AuthProvider } from '@codex-ts/auth-provider';
import { recordingAuthProvider } from '@codex-ts/auth-provider/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createModelSession,
  type ModelProviderError,
  type ModelProviderInfoInput,
  parseModelProviderInfo,
  StreamDisconnectedError,
} from '../src/index.js';
import { SSE_HEADERS, type StreamServer, sseFrame, startStreamServer } from './support/stream-server.js';
import { collect, HELLO, textOf, turnError } from './support/turns.js';

const servers: StreamServer[] = [];
afterEach(async () => {
  while (servers.length > 0) await servers.pop()!.close();
});

async function server(handler: Parameters<typeof startStreamServer>[0]) {
  const s = await startStreamServer(handler);
  servers.push(s);
  return s;
}

function session(
  baseUrl: string,
  extra: Partial<ModelProviderInfoInput> = {},
  auth: AuthProvider = recordingAuthProvider(),
) {
  return createModelSession({
    provider: parseModelProviderInfo({ name: 'Test', baseUrl, ...extra }),
    auth,
    threadId: 'thread-1',
    backoff: { baseDelayMs: 1, random: () => 0 },
  });
}

const created = sseFrame({ type: 'response.created', response: { id: 'resp_1' } });
const delta = (text: string) => sseFrame({ type: 'response.output_text.delta', item_id: 'm', delta: text });
const completed = sseFrame({ type: 'response.completed', response: { id: 'resp_1' } });

describe('streams that go wrong', () => {
  it('a stream cut in the middle is resumed by a retry with fresh headers', async () => {
    const s = await server((res, index) => {
      res.writeHead(200, SSE_HEADERS);
      if (index === 0) {
        // Cut once the first part is on its way (destroying at once would drop it with the response headers).
        res.write(created + delta('Hel'), () => res.socket?.destroy());
        return;
      }
      res.end(created + delta('Hello') + completed);
    });
    const events = await collect(session(s.url));
    expect(events.filter((e) => e.type === 'output_text.delta').map((e) => e.delta)).toEqual([
      'Hel',
      'Hello',
    ]);
    const retry = events.find((e) => e.type === 'retry');
    expect(retry && [retry.budget, retry.attempt, retry.maxRetries, retry.error.code]).toEqual([
      'stream',
      1,
      5,
      'stream_disconnected',
    ]);
    expect(textOf(events)).toBe('Hello');
    expect(events.at(-1)).toEqual({ type: 'completed', responseId: 'resp_1' });
    expect(s.seen.map((r) => r.headers.authorization)).toEqual([
      'Bearer test-token-1',
      'Bearer test-token-2',
    ]);
  });

  it('a stream that ends without response.completed is retried up to streamMaxRetries, then a typed error', async () => {
    const s = await server((res) => {
      res.writeHead(200, SSE_HEADERS);
      res.end(created + delta('partial'));
    });
    const error = (await turnError(session(s.url, { streamMaxRetries: 2 }))) as StreamDisconnectedError;
    expect(error).toBeInstanceOf(StreamDisconnectedError);
    expect(error.message).toBe('the stream closed before response.completed');
    expect(s.seen).toHaveLength(3);
  });

  it('an idle stream times out, is retried, and then fails with the idle timeout', async () => {
    const s = await server((res) => {
      res.writeHead(200, SSE_HEADERS);
      res.write(created);
    });
    const error = (await turnError(
      session(s.url, { streamMaxRetries: 1, streamIdleTimeoutMs: 300 }),
    )) as ModelProviderError;
    expect(error).toBeInstanceOf(StreamDisconnectedError);
    expect(error.message).toBe(`idle timeout: POST ${s.url}/responses sent nothing for 300 ms`);
    expect(s.seen).toHaveLength(2);
    await Promise.all([s.closed(0), s.closed(1)]);
  });

  it('a server that never sends response headers trips the idle timeout too', async () => {
    const s = await server(() => {});
    const error = (await turnError(
      session(s.url, { requestMaxRetries: 1, streamMaxRetries: 0, streamIdleTimeoutMs: 300 }),
    )) as ModelProviderError;
    expect(error).toBeInstanceOf(StreamDisconnectedError);
    expect(error.message).toBe(`idle timeout: POST ${s.url}/responses sent no response headers for 300 ms`);
    expect(s.seen).toHaveLength(2);
  });

  it('cancellation stops a silent stream within a second and closes the connection', async () => {
    const s = await server((res) => {
      res.writeHead(200, SSE_HEADERS);
      res.write(created);
    });
    const controller = new AbortController();
    const turn = session(s.url).stream(HELLO, { signal: controller.signal });
    expect((await turn.next()).value).toEqual({ type: 'metadata', transport: 'http' });
    expect((await turn.next()).value).toEqual({ type: 'created', responseId: 'resp_1' });
    const started = Date.now();
    const reason = new Error('stop');
    const next = turn.next();
    controller.abort(reason);
    await expect(next).rejects.toBe(reason);
    await s.closed(0);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('cancellation ends a wait on the provider (a task registration) before any request', async () => {
    let waiting: (() => void) | undefined;
    const registering: AuthProvider = {
      specificationVersion: 'v1',
      describe: () => ({ scheme: 'bearer' }),
      headers: (request) =>
        new Promise((_, reject) => {
          waiting?.();
          request.signal?.addEventListener('abort', () => reject(request.signal?.reason), { once: true });
        }),
    };
    const s = await server((res) => {
      res.end();
    });
    const controller = new AbortController();
    const asked = new Promise<void>((resolve) => {
      waiting = resolve;
    });
    const turn = collect(session(s.url, {}, registering), HELLO, controller.signal);
    await asked;
    const reason = new Error('user cancelled');
    controller.abort(reason);
    await expect(turn).rejects.toBe(reason);
    expect(s.seen).toHaveLength(0);
  });

  it('cancellation during a retry backoff stops at once', async () => {
    const s = await server((res) => {
      res.writeHead(503);
      res.end();
    });
    const controller = new AbortController();
    const turns = createModelSession({
      provider: parseModelProviderInfo({ name: 'Test', baseUrl: s.url }),
      auth: recordingAuthProvider(),
      threadId: 'thread-1',
      backoff: { baseDelayMs: 60_000 },
    });
    const turn = turns.stream(HELLO, { signal: controller.signal });
    const retry = await turn.next();
    expect(retry.value).toMatchObject({ type: 'retry', attempt: 1 });
    const reason = new Error('stop waiting');
    const next = turn.next();
    controller.abort(reason);
    await expect(next).rejects.toBe(reason);
    expect(s.seen).toHaveLength(1);
  });

  it.each([
    [
      'bad JSON in data',
      'event: response.output_text.delta\ndata: {"type":\n\n',
      'invalid_event',
      'an event of POST',
    ],
    ['an event without a type', 'data: {"delta":"x"}\n\n', 'invalid_event', 'an event of POST'],
    [
      'a delta without text',
      'data: {"type":"response.output_text.delta"}\n\n',
      'invalid_event',
      'response.output_text.delta without its text',
    ],
  ])('malformed SSE (%s) → a typed %s error after the stream retries', async (_name, bad, code, message) => {
    const s = await server((res) => {
      res.writeHead(200, SSE_HEADERS);
      res.end(created + bad + completed);
    });
    const error = (await turnError(session(s.url, { streamMaxRetries: 1 }))) as ModelProviderError;
    expect([error.code, error.message.startsWith(message)]).toEqual([code, true]);
    expect(s.seen).toHaveLength(2);
  });

  it('a body left open after response.completed still ends the turn, and the connection is closed', async () => {
    const s = await server((res) => {
      res.writeHead(200, SSE_HEADERS);
      res.write(created + completed);
    });
    const events = await collect(session(s.url));
    expect(events.at(-1)).toEqual({ type: 'completed', responseId: 'resp_1' });
    await s.closed(0);
  });

  it('an unknown event type is skipped and the turn completes', async () => {
    const s = await server((res) => {
      res.writeHead(200, SSE_HEADERS);
      res.end(created + sseFrame({ type: 'response.brand_new_thing', x: 1 }) + delta('ok') + completed);
    });
    const events = await collect(session(s.url));
    expect(events.map((e) => e.type)).toEqual(['metadata', 'created', 'output_text.delta', 'completed']);
  });

  it('response.incomplete ends the turn with its reason and the usage of what was produced', async () => {
    const s = await server((res) => {
      res.writeHead(200, SSE_HEADERS);
      res.end(
        created +
          sseFrame({
            type: 'response.incomplete',
            response: {
              id: 'resp_2',
              incomplete_details: { reason: 'max_output_tokens' },
              usage: {
                input_tokens: 7,
                input_tokens_details: { cached_tokens: 2 },
                output_tokens: 3,
                output_tokens_details: { reasoning_tokens: 1 },
                total_tokens: 10,
              },
            },
          }),
      );
    });
    const events = await collect(session(s.url));
    expect(events.at(-1)).toEqual({
      type: 'incomplete',
      responseId: 'resp_2',
      reason: 'max_output_tokens',
      usage: {
        inputTokens: 7,
        cachedInputTokens: 2,
        cacheWriteInputTokens: 0,
        outputTokens: 3,
        reasoningOutputTokens: 1,
        totalTokens: 10,
      },
    });
  });

  it('response.failed with context_length_exceeded is a ContextWindowExceededError, not retried', async () => {
    const s = await server((res) => {
      res.writeHead(200, SSE_HEADERS);
      res.end(
        created +
          sseFrame({
            type: 'response.failed',
            response: { id: 'resp_1', error: { code: 'context_length_exceeded', message: 'too long' } },
          }),
      );
    });
    const error = (await turnError(session(s.url))) as ModelProviderError;
    expect([error.name, error.code, error.message]).toEqual([
      'ContextWindowExceededError',
      'context_window_exceeded',
      "the conversation no longer fits the model's context window",
    ]);
    expect(s.seen).toHaveLength(1);
  });

  it('a codex.rate_limits event becomes a rate_limits event', async () => {
    const s = await server((res) => {
      res.writeHead(200, SSE_HEADERS);
      res.end(
        created +
          sseFrame({
            type: 'codex.rate_limits',
            plan_type: 'plus',
            rate_limits: { primary: { used_percent: 42, window_minutes: 300, reset_at: 1_800_000_000 } },
            credits: { has_credits: true, unlimited: false, balance: '5' },
          }) +
          completed,
      );
    });
    expect((await collect(session(s.url)))[2]).toEqual({
      type: 'rate_limits',
      planType: 'plus',
      rateLimits: {
        limitId: 'codex',
        primary: { usedPercent: 42, windowMinutes: 300, resetsAt: 1_800_000_000 },
        credits: { hasCredits: true, unlimited: false, balance: '5' },
      },
    });
  });

  it('reasoning and function-call events are typed', async () => {
    const s = await server((res) => {
      res.writeHead(200, SSE_HEADERS);
      res.end(
        created +
          sseFrame({ type: 'response.reasoning_summary_part.added', item_id: 'rs', summary_index: 0 }) +
          sseFrame({
            type: 'response.reasoning_summary_text.delta',
            item_id: 'rs',
            summary_index: 0,
            delta: 'Think',
          }) +
          sseFrame({ type: 'response.reasoning_text.delta', item_id: 'rs', content_index: 1, delta: 'raw' }) +
          sseFrame({ type: 'response.function_call_arguments.delta', item_id: 'fc', delta: '{"a":' }) +
          sseFrame({ type: 'response.function_call_arguments.done', item_id: 'fc', arguments: '{"a":1}' }) +
          sseFrame({
            type: 'response.completed',
            response: {
              id: 'resp_1',
              usage: {
                input_tokens: 10,
                input_tokens_details: { cached_tokens: 4, cache_write_tokens: 3 },
                output_tokens: 6,
                output_tokens_details: { reasoning_tokens: 2 },
                total_tokens: 16,
              },
            },
          }),
      );
    });
    expect((await collect(session(s.url))).slice(2)).toEqual([
      { type: 'reasoning_summary_part.added', itemId: 'rs', summaryIndex: 0 },
      { type: 'reasoning_summary_text.delta', itemId: 'rs', summaryIndex: 0, delta: 'Think' },
      { type: 'reasoning_text.delta', itemId: 'rs', contentIndex: 1, delta: 'raw' },
      { type: 'function_call_arguments.delta', itemId: 'fc', delta: '{"a":' },
      { type: 'function_call_arguments.done', itemId: 'fc', arguments: '{"a":1}' },
      {
        type: 'completed',
        responseId: 'resp_1',
        usage: {
          inputTokens: 10,
          cachedInputTokens: 4,
          cacheWriteInputTokens: 3,
          outputTokens: 6,
          reasoningOutputTokens: 2,
          totalTokens: 16,
        },
      },
    ]);
  });

  it('a caller signal that outlives its turns keeps no listener from them (completed, retried or failed)', async () => {
    const s = await server((res, index) => {
      if (index === 1) {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end('{"error":{"message":"bad"}}');
        return;
      }
      res.writeHead(200, SSE_HEADERS);
      if (index === 2) {
        res.write(created + delta('Hel'));
        res.socket?.destroy();
        return;
      }
      res.end(created + delta('Hello') + completed);
    });
    const long = new AbortController();
    const turns = session(s.url);
    expect(textOf(await collect(turns, HELLO, long.signal))).toBe('Hello');
    await expect(turnError(turns, HELLO, long.signal)).resolves.toMatchObject({ code: 'bad_request' });
    expect(textOf(await collect(turns, HELLO, long.signal))).toBe('Hello');
    expect(s.seen).toHaveLength(4);
    expect(getEventListeners(long.signal, 'abort')).toEqual([]);
  });
});
