import { readFileSync } from 'node:fs';
import { recordingAuthProvider, startScriptedServer } from '@codex-ts/auth-provider/testing';
import { describe, expect, it } from 'vitest';
import { createModelSession, ModelProviderError, parseModelProviderInfo } from '../src/index.js';
import { collect, turnError } from './support/turns.js';

/** Streams recorded from the dev backend (`node scripts/record-fixtures.mjs`), replayed byte for byte. */
function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}

async function replay(name: string, headers: Record<string, string> = {}, streamMaxRetries = 0) {
  const server = await startScriptedServer([
    { status: 200, headers: { 'content-type': 'text/event-stream', ...headers }, body: fixture(name) },
  ]);
  const session = createModelSession({
    provider: parseModelProviderInfo({ name: 'Fixture', baseUrl: server.url, streamMaxRetries }),
    auth: recordingAuthProvider(),
    threadId: 'thread-fixture',
  });
  return { server, session };
}

const MSG = 'msg_6dcc8650d2cb13d61fdc190d';

describe('recorded streams', () => {
  it('echo.sse becomes the typed events of a completed turn, with the response metadata first', async () => {
    const { server, session } = await replay('echo.sse', {
      'x-request-id': 'req_fixture',
      'openai-model': 'dev-echo',
      'x-models-etag': 'etag-1',
      'x-codex-primary-used-percent': '25',
      'x-codex-primary-window-minutes': '300',
    });
    try {
      expect(await collect(session)).toEqual([
        {
          type: 'metadata',
          transport: 'http',
          requestId: 'req_fixture',
          modelsEtag: 'etag-1',
          openaiModel: 'dev-echo',
          rateLimits: { limitId: 'codex', primary: { usedPercent: 25, windowMinutes: 300 } },
        },
        { type: 'created', responseId: 'resp_51984c20199a5b79164ff2c7' },
        {
          type: 'output_item.added',
          outputIndex: 0,
          item: { id: MSG, type: 'message', role: 'assistant', status: 'in_progress', content: [] },
        },
        {
          type: 'content_part.added',
          itemId: MSG,
          contentIndex: 0,
          part: { type: 'output_text', text: '', annotations: [] },
        },
        ...['Echo: ', 'hello ', 'from ', 'the ', 'fixtures'].map((delta) => ({
          type: 'output_text.delta',
          itemId: MSG,
          delta,
        })),
        { type: 'output_text.done', itemId: MSG, text: 'Echo: hello from the fixtures' },
        {
          type: 'output_item.done',
          outputIndex: 0,
          item: {
            id: MSG,
            type: 'message',
            role: 'assistant',
            status: 'completed',
            content: [{ type: 'output_text', text: 'Echo: hello from the fixtures', annotations: [] }],
          },
        },
        {
          type: 'completed',
          responseId: 'resp_51984c20199a5b79164ff2c7',
          usage: {
            inputTokens: 8,
            cachedInputTokens: 0,
            cacheWriteInputTokens: 0,
            outputTokens: 5,
            reasoningOutputTokens: 0,
            totalTokens: 13,
          },
        },
      ]);
    } finally {
      await server.close();
    }
  });

  it('function-call.sse becomes the function call events', async () => {
    const { server, session } = await replay('function-call.sse');
    const item = {
      id: 'fc_902366542d8ff68590004a27',
      type: 'function_call',
      call_id: 'call_c4d27c86e69dc7154a70edc7',
      name: 'shell',
    };
    const args = '{"command":["echo","list the files"]}';
    try {
      expect((await collect(session)).slice(1)).toEqual([
        { type: 'created', responseId: 'resp_a1867d4afc2dfa368a65e187' },
        {
          type: 'output_item.added',
          outputIndex: 0,
          item: { ...item, status: 'in_progress', arguments: '' },
        },
        { type: 'function_call_arguments.delta', itemId: item.id, delta: args.slice(0, 19) },
        { type: 'function_call_arguments.delta', itemId: item.id, delta: args.slice(19) },
        { type: 'function_call_arguments.done', itemId: item.id, arguments: args },
        { type: 'output_item.done', outputIndex: 0, item: { ...item, status: 'completed', arguments: args } },
        {
          type: 'completed',
          responseId: 'resp_a1867d4afc2dfa368a65e187',
          usage: {
            inputTokens: 1,
            cachedInputTokens: 0,
            cacheWriteInputTokens: 0,
            outputTokens: 1,
            reasoningOutputTokens: 0,
            totalTokens: 2,
          },
        },
      ]);
    } finally {
      await server.close();
    }
  });

  it('failed.sse becomes a typed response_failed error', async () => {
    const { server, session } = await replay('failed.sse');
    try {
      const error = (await turnError(session)) as ModelProviderError;
      expect(error).toBeInstanceOf(ModelProviderError);
      expect([error.code, error.message, error.retryable]).toEqual([
        'response_failed',
        'the response failed (server_error): the dev-fail model always fails',
        true,
      ]);
      expect(server.seen).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});
