import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { bearerAuthProvider } from '@codex-ts/auth-provider';
import { recordingAuthProvider, startScriptedServer } from '@codex-ts/auth-provider/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BadRequestError,
  createModelSession,
  type ModelProviderInfoInput,
  parseModelProviderInfo,
  ServerOverloadedError,
  StreamDisconnectedError,
  UnauthorizedError,
  UsageLimitReachedError,
} from '../src/index.js';
import { collect, failedTurnEvents, HELLO, textOf, turnError } from './support/turns.js';

const echo = readFileSync(new URL('./fixtures/echo.sse', import.meta.url), 'utf8');
const SSE = { 'content-type': 'text/event-stream' };
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

async function scripted(script: Parameters<typeof startScriptedServer>[0]) {
  const server = await startScriptedServer(script);
  closers.push(() => server.close());
  return server;
}

function session(
  baseUrl: string,
  extra: Partial<ModelProviderInfoInput> = {},
  auth = recordingAuthProvider(),
) {
  return {
    auth,
    session: createModelSession({
      provider: parseModelProviderInfo({ name: 'Test', baseUrl, ...extra }),
      auth,
      threadId: 'thread-1',
      backoff: { baseDelayMs: 1, random: () => 0.5 },
    }),
  };
}

describe('a turn over HTTP', () => {
  it('POSTs {base}/responses with the upstream body and headers', async () => {
    const server = await scripted([{ status: 200, headers: SSE, body: echo }]);
    const auth = recordingAuthProvider({ accountId: 'acct-1' });
    const turns = createModelSession({
      provider: parseModelProviderInfo({
        name: 'Test',
        baseUrl: `${server.url}/backend-api/codex/`,
        queryParams: { 'api-version': '1' },
        httpHeaders: { 'X-Team': 'codex' },
        envHttpHeaders: { 'OpenAI-Project': 'PROJECT_ID', 'OpenAI-Organization': 'ORG_ID' },
      }),
      auth,
      threadId: 'thread-1',
      sessionId: 'session-1',
      env: { PROJECT_ID: 'proj-1', ORG_ID: '' },
      client: { originator: 'codex_cli_rs', userAgent: 'codex_cli_rs/0.1.0 (test)' },
    });
    await collect(turns, {
      ...HELLO,
      tools: [{ type: 'function', name: 'shell', parameters: { type: 'object' } }],
      parallelToolCalls: true,
      reasoning: { effort: 'medium', summary: 'auto' },
      include: ['reasoning.encrypted_content'],
      clientMetadata: { 'x-codex-installation-id': 'install-1' },
      turnMetadata: '{"turn_id":"turn-1"}',
    });
    const [seen] = server.seen;
    expect([seen!.method, seen!.url]).toEqual(['POST', '/backend-api/codex/responses?api-version=1']);
    expect(JSON.parse(seen!.body)).toEqual({
      model: 'dev-echo',
      instructions: 'You are a test.',
      input: HELLO.input,
      tools: [{ type: 'function', name: 'shell', parameters: { type: 'object' } }],
      tool_choice: 'auto',
      parallel_tool_calls: true,
      reasoning: { effort: 'medium', summary: 'auto' },
      store: false,
      stream: true,
      include: ['reasoning.encrypted_content'],
      prompt_cache_key: 'thread-1',
      client_metadata: { 'x-codex-installation-id': 'install-1' },
    });
    const {
      host,
      connection,
      'content-length': _l,
      'accept-encoding': _e,
      'accept-language': _al,
      'sec-fetch-mode': _s,
      ...rest
    } = seen!.headers;
    expect(rest).toEqual({
      accept: 'text/event-stream',
      'content-type': 'application/json',
      authorization: 'Bearer test-token-1',
      'chatgpt-account-id': 'acct-1',
      'x-team': 'codex',
      'openai-project': 'proj-1',
      originator: 'codex_cli_rs',
      'user-agent': 'codex_cli_rs/0.1.0 (test)',
      session_id: 'session-1',
      'x-client-request-id': 'thread-1',
      'x-codex-turn-metadata': '{"turn_id":"turn-1"}',
    });
  });

  it('retries 503 twice and succeeds on the third attempt, each with fresh headers', async () => {
    const server = await scripted([
      { status: 503, body: '{"error":{"code":"unavailable"}}' },
      { status: 503, body: '{"error":{"code":"unavailable"}}' },
      { status: 200, headers: SSE, body: echo },
    ]);
    const { session: turns } = session(server.url);
    const events = await collect(turns);
    expect(server.seen.map((r) => r.headers.authorization)).toEqual([
      'Bearer test-token-1',
      'Bearer test-token-2',
      'Bearer test-token-3',
    ]);
    expect(
      events
        .filter((e) => e.type === 'retry')
        .map((e) => [e.budget, e.attempt, e.maxRetries, e.delayMs, e.error.status]),
    ).toEqual([
      ['request', 1, 4, 1, 503],
      ['request', 2, 4, 2, 503],
    ]);
    expect(textOf(events)).toBe('Echo: hello from the fixtures');
  });

  it('honours Retry-After; request retries nest inside stream retries as upstream, then the last typed error', async () => {
    const server = await scripted([
      { status: 502, headers: { 'retry-after-ms': '3', 'x-request-id': 'req_502' }, body: '{"error":{}}' },
    ]);
    const { session: turns } = session(server.url, { requestMaxRetries: 2, streamMaxRetries: 1 });
    const { events, error } = await failedTurnEvents(turns);
    // (1 + 2 request retries) for each of (1 + 1 stream retry) attempts.
    expect(server.seen).toHaveLength(6);
    expect(
      events.map(
        (e) => e.type === 'retry' && `${e.budget} ${e.attempt}/${e.maxRetries} after ${e.delayMs} ms`,
      ),
    ).toEqual([
      'request 1/2 after 3 ms',
      'request 2/2 after 3 ms',
      'stream 1/1 after 3 ms',
      'request 1/2 after 3 ms',
      'request 2/2 after 3 ms',
    ]);
    expect([error.code, error.requestId]).toEqual(['unexpected_status', 'req_502']);
  });

  // Statuses as upstream 0.169 treats them (its app-server on the dev backend, side by side in the interop suite).
  const failedTurn = async (
    reply: { status: number; body: string; headers?: Record<string, string> },
    budgets = { requestMaxRetries: 2, streamMaxRetries: 1 },
  ) => {
    const server = await scripted([{ headers: { 'retry-after-ms': '1' }, ...reply }]);
    const { session: turns } = session(server.url, budgets);
    const { events, error } = await failedTurnEvents(turns);
    const retries = events.map((e) => e.type === 'retry' && `${e.budget} ${e.attempt}/${e.maxRetries}`);
    return { error, requests: server.seen.length, retries };
  };

  it('a 429 that is no usage limit is final: not resent, not retried', async () => {
    const { error, requests, retries } = await failedTurn({ status: 429, body: '{"error":{}}' });
    expect([error.code, error.status, error.retryable, requests, retries]).toEqual([
      'rate_limited',
      429,
      false,
      1,
      [],
    ]);
  });

  it.each([403, 404, 408, 413, 415, 422])('a %i retries the attempt, without resends', async (status) => {
    const { error, requests, retries } = await failedTurn({
      status,
      body: '{"error":{"message":"no such thing"}}',
    });
    expect([error.code, error.status, requests, retries]).toEqual([
      'unexpected_status',
      status,
      2,
      ['stream 1/1'],
    ]);
    expect(error.message).toContain(`answered ${status}: no such thing`);
  });

  it('503 overloaded is resent, then final: the attempt is not retried', async () => {
    const { error, requests, retries } = await failedTurn({
      status: 503,
      body: '{"error":{"code":"server_is_overloaded"}}',
    });
    expect(error).toBeInstanceOf(ServerOverloadedError);
    expect([requests, retries]).toEqual([3, ['request 1/2', 'request 2/2']]);
  });

  it('a 400 is final', async () => {
    const { error, requests, retries } = await failedTurn({
      status: 400,
      body: '{"error":{"message":"bad tool"}}',
    });
    expect(error).toBeInstanceOf(BadRequestError);
    expect([requests, retries]).toEqual([1, []]);
  });

  it('429 usage_limit_reached is its typed error at once, not retried', async () => {
    const server = await scripted([
      {
        status: 429,
        headers: { 'x-request-id': 'req_u', 'content-type': 'application/json' },
        body: JSON.stringify({
          error: { type: 'usage_limit_reached', plan_type: 'pro', resets_at: 1_900_000_000 },
        }),
      },
    ]);
    const { session: turns } = session(server.url);
    const error = (await turnError(turns)) as UsageLimitReachedError;
    expect(error).toBeInstanceOf(UsageLimitReachedError);
    expect([error.planType, error.resetsAt?.toISOString(), error.status, error.requestId]).toEqual([
      'pro',
      '2030-03-17T17:46:40.000Z',
      429,
      'req_u',
    ]);
    expect(server.seen).toHaveLength(1);
  });

  it('a 401 goes through the provider recovery once, then the retry carries fresh headers', async () => {
    const server = await scripted([
      {
        status: 401,
        headers: { 'x-openai-authorization-error': 'unknown_task' },
        body: '{"error":{"code":"unknown_task"}}',
      },
      { status: 200, headers: SSE, body: echo },
    ]);
    const auth = recordingAuthProvider({ scheme: 'agent-assertion' });
    const { session: turns } = session(server.url, {}, auth);
    expect(textOf(await collect(turns))).toBe('Echo: hello from the fixtures');
    expect(auth.unauthorized.map((c) => c.response.headers.get('x-openai-authorization-error'))).toEqual([
      'unknown_task',
    ]);
    expect(server.seen.map((r) => r.headers.authorization)).toEqual([
      'AgentAssertion test-assertion-1',
      'AgentAssertion test-assertion-2',
    ]);
  });

  it('a 401 the provider cannot fix is an UnauthorizedError with the reason and no credential', async () => {
    const server = await scripted([
      {
        status: 401,
        headers: { 'x-openai-authorization-error': 'bad_signature', 'x-request-id': 'req_401' },
        body: '{"error":{"code":"bad_signature","message":"got AgentAssertion test-assertion-2"}}',
      },
    ]);
    const auth = recordingAuthProvider({ scheme: 'agent-assertion', retryOnUnauthorized: true });
    const { session: turns } = session(server.url, {}, auth);
    const error = (await turnError(turns)) as UnauthorizedError;
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect([error.reason, error.status, error.requestId, error.body]).toEqual([
      'bad_signature',
      401,
      'req_401',
      '{"error":{"code":"bad_signature","message":"got <redacted>"}}',
    ]);
    expect(server.seen).toHaveLength(2);
  });

  it('no credential in the session, its errors, their JSON or util.inspect', async () => {
    const secret = 'sk-very-secret-key-0123456789';
    const server = await scripted([
      {
        status: 401,
        headers: { 'x-request-id': 'req_s' },
        body: `{"error":{"message":"bad key ${secret}"}}`,
      },
    ]);
    const turns = createModelSession({
      provider: parseModelProviderInfo({ name: 'Test', baseUrl: server.url }),
      auth: bearerAuthProvider({ token: secret }),
      threadId: 'thread-1',
    });
    const error = await turnError(turns);
    for (const text of [
      inspect(turns, { depth: 10 }),
      inspect(error, { depth: 10 }),
      JSON.stringify(error),
      String(error),
    ]) {
      expect(text).not.toContain(secret);
    }
    expect((error as UnauthorizedError).body).toBe('{"error":{"message":"bad key <redacted>"}}');
  });

  it('refuses a second concurrent turn on the same session', async () => {
    const server = await scripted([{ status: 200, headers: SSE, body: echo }]);
    const { session: turns } = session(server.url);
    const first = turns.stream(HELLO);
    await first.next();
    await expect(turns.stream(HELLO).next()).rejects.toThrow('a model session runs one turn at a time');
    await first.return(undefined);
    expect(textOf(await collect(turns))).toBe('Echo: hello from the fixtures');
  });

  it('a network failure is retried, then a StreamDisconnectedError', async () => {
    const server = await scripted([{ status: 200 }]);
    const url = server.url;
    await server.close();
    const { session: turns } = session(url, { requestMaxRetries: 1 });
    const error = (await turnError(turns)) as StreamDisconnectedError;
    expect(error).toBeInstanceOf(StreamDisconnectedError);
    expect(error.message).toMatch(
      /^could not reach POST http:\/\/127\.0\.0\.1:\d+\/responses: fetch failed \(ECONNREFUSED\)$/,
    );
  });
});
