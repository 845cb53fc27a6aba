import { mkdirSync, readFileSync, renameSync } from 'node:fs';
import { FAILING_MODEL, INCOMPLETE_MODEL } from '@codex-ts/dev-backend';
import { describe, expect, it, vi } from 'vitest';
import { useDevWorld } from './support/dev-world.js';

const world = useDevWorld();

const text = (t: string) => [{ type: 'text', text: t, text_elements: [] }];

/**
 * A turn's notifications from its start until the thread is idle again, deltas aside: upstream 0.169's order, rate
 * limits included (they come with the token usage, not with the response headers).
 */
const UNTIL_IDLE = [
  'turn/started',
  'item/started',
  'item/completed',
  'item/started',
  'item/completed',
  'thread/tokenUsage/updated',
  'account/rateLimits/updated',
  'thread/status/changed',
];

/** config.toml lines: a provider on the dev backend with these retry budgets, so retries fit a test's time. */
const smallBudgets = (requestRetries: number, streamRetries: number) =>
  [
    'model_provider = "devb"',
    '[model_providers.devb]',
    'name = "dev backend"',
    `base_url = "${world.backend.chatgptBaseUrl}/codex"`,
    'requires_openai_auth = true',
    `request_max_retries = ${requestRetries}`,
    `stream_max_retries = ${streamRetries}`,
  ].join('\n');

describe('turn/start', () => {
  it('streams a turn in upstream order; deltas add up to the agent message; the turn is persisted', async () => {
    const { client } = await world.server({ flag: true });
    const { thread } = await client.result<{ thread: { id: string } }>('thread/start', {});
    const res = await client.result<{ turn: Record<string, unknown> }>('turn/start', {
      threadId: thread.id,
      input: text('hello there'),
    });
    expect(res.turn).toEqual({
      id: expect.any(String),
      rootTurnId: res.turn.id,
      items: [],
      itemsView: 'notLoaded',
      status: 'inProgress',
      error: null,
      startedAt: null,
      completedAt: null,
      durationMs: null,
    });
    const completed = await client.next('turn/completed');
    const methods = client.raw
      .map((m) => (m as { method?: string }).method)
      .filter(
        (m): m is string =>
          m !== undefined &&
          m !== 'thread/started' &&
          m !== 'account/updated' &&
          m !== 'remoteControl/status/changed',
      );
    const deltas = methods.filter((m) => m === 'item/agentMessage/delta').length;
    expect(deltas).toBeGreaterThan(1);
    expect(methods.filter((m) => m !== 'item/agentMessage/delta')).toEqual([
      'thread/status/changed',
      ...UNTIL_IDLE,
      'turn/completed',
    ]);
    const deltaText = client.notifications
      .filter((n) => n.method === 'item/agentMessage/delta')
      .map((n) => (n.params as { delta: string }).delta)
      .join('');
    expect(deltaText).toBe('Echo: hello there');
    expect(completed.params).toEqual({
      threadId: thread.id,
      turn: {
        id: res.turn.id,
        rootTurnId: res.turn.id,
        items: [
          {
            type: 'agentMessage',
            moderation: null,
            id: expect.stringMatching(/^msg_/),
            text: 'Echo: hello there',
            phase: null,
            memoryCitation: null,
            delivery: null,
            questions: null,
            startedAtMs: expect.any(Number),
            completedAtMs: expect.any(Number),
          },
        ],
        itemsView: 'summary',
        status: 'completed',
        error: null,
        startedAt: expect.any(Number),
        completedAt: expect.any(Number),
        durationMs: expect.any(Number),
      },
    });
    const responses = world.backend.requests({ path: '/backend-api/codex/responses' });
    expect(responses.map((r) => [r.status, r.authScheme, r.taskKind])).toEqual([
      [200, 'assertion', 'thread'],
    ]);
    const read = await client.result<{ thread: { turns: Array<{ items: unknown[] }>; preview: string } }>(
      'thread/read',
      {
        threadId: thread.id,
        includeTurns: true,
      },
    );
    expect(read.thread.preview).toBe('hello there');
    expect(read.thread.turns[0]!.items).toHaveLength(2);
  });

  it('the model request is sent before turn/start is answered (the answer and turn/started follow it)', async () => {
    const { client } = await world.server({ flag: true });
    const { thread } = await client.result<{ thread: { id: string } }>('thread/start', {});
    // A first turn, so the thread's task is registered and nothing is awaited before the request.
    await client.result('turn/start', { threadId: thread.id, input: text('first') });
    await client.next('turn/completed');
    const seenWhenSent: number[] = [];
    const realFetch = globalThis.fetch;
    const fetchSpy = vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
      if (String(input).endsWith('/backend-api/codex/responses')) seenWhenSent.push(client.raw.length);
      return realFetch(input, init);
    });
    try {
      const before = client.raw.length;
      const { turn } = await client.result<{ turn: { id: string } }>('turn/start', {
        threadId: thread.id,
        input: text('second'),
      });
      const answeredAt = client.raw.findIndex(
        (m, i) => i >= before && (m as { result?: { turn?: { id?: string } } }).result?.turn?.id === turn.id,
      );
      const startedAt = client.raw.findIndex(
        (m, i) => i >= before && (m as { method?: string }).method === 'turn/started',
      );
      await client.next('turn/completed', (p) => (p.turn as { id: string }).id === turn.id);
      // The request left while the client had seen nothing of this turn; the answer then came first.
      expect(seenWhenSent).toEqual([before]);
      expect(answeredAt).toBe(before);
      expect(startedAt).toBeGreaterThan(answeredAt);
    } finally {
      fetchSpy.mockRestore();
    }
  });

  it('the turn completes at response.completed, without waiting for the body to close; the body is then read to its end', async () => {
    const { client } = await world.server();
    const { thread } = await client.result<{ thread: { id: string } }>('thread/start', {});
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let settle!: (outcome: string) => void;
    const outcome = new Promise<string>((resolve) => (settle = resolve));
    const realFetch = globalThis.fetch;
    // The backend's first model response, its body held open after its last event until the test releases it.
    let modelResponses = 0;
    const fetchSpy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const response = await realFetch(input, init);
      if (!String(input).endsWith('/backend-api/codex/responses') || modelResponses++ > 0) return response;
      const reader = response.body!.getReader();
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const { done, value } = await reader.read();
          if (!done) return controller.enqueue(value);
          await released;
          settle('read to its end');
          controller.close();
        },
        cancel: () => settle('cancelled'),
      });
      return new Response(body, { status: response.status, headers: response.headers });
    });
    try {
      await client.result('turn/start', { threadId: thread.id, input: text('held open') });
      const done = await client.next('turn/completed');
      expect(done.params).toMatchObject({
        turn: { status: 'completed', items: [{ text: 'Echo: held open' }] },
      });
      release();
      expect(await outcome).toBe('read to its end');
      await client.result('turn/start', { threadId: thread.id, input: text('next') });
      expect((await client.next('turn/completed')).params).toMatchObject({ turn: { status: 'completed' } });
    } finally {
      release();
      fetchSpy.mockRestore();
    }
  });

  it('a failed response is retried as upstream reports it ("Reconnecting... n/max"), then fails the turn', async () => {
    const { client } = await world.server({ extra: smallBudgets(0, 1) });
    const { thread } = await client.result<{ thread: { id: string } }>('thread/start', {
      model: FAILING_MODEL,
    });
    await client.result('turn/start', { threadId: thread.id, input: text('x') });
    const done = await client.next('turn/completed');
    const cause = 'the response failed (server_error): the dev-fail model always fails';
    const error = { message: cause, codexErrorInfo: 'other', additionalDetails: null, misalignment: null };
    const errors = client.raw.filter((m) => (m as { method?: string }).method === 'error');
    expect(errors.map((m) => (m as { params: unknown }).params)).toEqual([
      {
        error: {
          message: 'Reconnecting... 1/1',
          codexErrorInfo: { responseStreamDisconnected: { httpStatusCode: null } },
          additionalDetails: cause,
          misalignment: null,
        },
        willRetry: true,
        threadId: thread.id,
        turnId: expect.any(String),
      },
      { error, willRetry: false, threadId: thread.id, turnId: expect.any(String) },
    ]);
    // As upstream 0.169: the final error goes out after the thread is idle, last before turn/completed, which
    // carries the error and no items.
    const tail = client.raw.map((m) => (m as { method?: string }).method).slice(-3);
    expect(tail).toEqual(['thread/status/changed', 'error', 'turn/completed']);
    expect(done.params).toMatchObject({
      turn: { status: 'failed', error, items: [], itemsView: 'notLoaded' },
    });
    // Two attempts (a request is logged when its response closes, which may follow turn/completed: count bodies).
    expect(world.backend.modelRequests().map((b) => b.model)).toEqual([FAILING_MODEL, FAILING_MODEL]);
    expect(world.backend.requests({ path: '/backend-api/codex/responses' })[0]).toMatchObject({
      authScheme: 'bearer',
    });
  });

  it('a response cut short (response.incomplete) fails the turn as upstream 0.169 does, without a retry', async () => {
    const { client } = await world.server();
    const { thread } = await client.result<{ thread: { id: string } }>('thread/start', {
      model: INCOMPLETE_MODEL,
    });
    const { turn } = await client.result<{ turn: { id: string } }>('turn/start', {
      threadId: thread.id,
      input: text('cut here'),
    });
    const done = await client.next('turn/completed');
    const error = {
      message: 'Incomplete response returned, reason: max_output_tokens',
      codexErrorInfo: 'other',
      additionalDetails: null,
      misalignment: null,
    };
    const methods = client.raw
      .map((m) => (m as { method?: string }).method)
      .filter((m) => m !== 'item/agentMessage/delta');
    expect(methods.slice(methods.indexOf('turn/started'))).toEqual([
      ...UNTIL_IDLE,
      'error',
      'turn/completed',
    ]);
    expect((await client.next('error')).params).toEqual({
      error,
      willRetry: false,
      threadId: thread.id,
      turnId: turn.id,
    });
    expect(done.params).toMatchObject({
      turn: { id: turn.id, status: 'failed', error, items: [], itemsView: 'notLoaded' },
    });
    expect(world.backend.modelRequests()).toHaveLength(1);
    // The thread keeps what the model said before it stopped.
    const read = await client.result<{ thread: { turns: Array<{ status: string; items: unknown[] }> } }>(
      'thread/read',
      { threadId: thread.id, includeTurns: true },
    );
    expect(read.thread.turns.at(-1)).toMatchObject({
      status: 'failed',
      items: [{ type: 'userMessage' }, { type: 'agentMessage', text: 'Echo: cut here' }],
    });
  });

  it('turn/interrupt cancels the stream: the turn completes as interrupted', async () => {
    const { client } = await world.server();
    const { thread } = await client.result<{ thread: { id: string } }>('thread/start', {});
    world.backend.injectFault({ path: '/backend-api/codex/responses', delayMs: 60_000 });
    const { turn } = await client.result<{ turn: { id: string } }>('turn/start', {
      threadId: thread.id,
      input: text('x'),
    });
    await client.next('turn/started');
    expect(await client.result('turn/interrupt', { threadId: thread.id, turnId: turn.id })).toEqual({});
    const done = await client.next('turn/completed');
    // As upstream 0.169: an interrupted turn's turn/completed carries no items.
    expect(done.params).toMatchObject({
      turn: { id: turn.id, status: 'interrupted', error: null, items: [], itemsView: 'notLoaded' },
    });
    // The thread's next turn runs under a new abort signal, not the aborted one.
    world.backend.clearFaults();
    const next = await client.result<{ turn: { id: string } }>('turn/start', {
      threadId: thread.id,
      input: text('after the interrupt'),
    });
    expect(
      (await client.next('turn/completed', (p) => (p.turn as { id: string }).id === next.turn.id)).params,
    ).toMatchObject({
      turn: {
        status: 'completed',
        items: [{ type: 'agentMessage', text: 'Echo: after the interrupt' }],
      },
    });
  });

  it('flag on and the thread task cannot be registered: the turn fails with a typed retryable error, no model call', async () => {
    const { client } = await world.server({ flag: true });
    world.backend.injectFault({ path: '/backend-api/v1/agent/*/task/register', status: 500, count: 50 });
    const { thread } = await client.result<{ thread: { id: string } }>('thread/start', {});
    await client.result('turn/start', { threadId: thread.id, input: text('x') });
    const err = await client.next('error');
    expect(err.params).toMatchObject({
      willRetry: false,
      error: {
        codexErrorInfo: 'unauthorized',
        additionalDetails: expect.stringContaining('retryable: true'),
      },
    });
    expect((await client.next('turn/completed')).params).toMatchObject({ turn: { status: 'failed' } });
    expect(world.backend.requests({ path: '/backend-api/codex/responses' })).toEqual([]);
  });

  it('a backend that drops requests: resent unsaid within an attempt; each new attempt is an error willRetry true', async () => {
    const { client } = await world.server({ extra: smallBudgets(1, 2) });
    const { thread } = await client.result<{ thread: { id: string } }>('thread/start', {});
    world.backend.injectFault({ path: '/backend-api/codex/responses', drop: true, count: 3 });
    await client.result('turn/start', { threadId: thread.id, input: text('again') });
    expect((await client.next('turn/completed')).params).toMatchObject({
      turn: { status: 'completed', items: [{ text: 'Echo: again' }] },
    });
    // Dropped, resent (request budget 1) and dropped: one attempt lost. The next: dropped, resent, answered.
    const dropped = world.backend
      .requests({ path: '/backend-api/codex/responses' })
      .filter((r) => r.status === 0);
    expect([dropped.length, world.backend.modelRequests().length]).toEqual([3, 1]);
    const errors = client.raw.filter((m) => (m as { method?: string }).method === 'error');
    expect(errors.map((m) => (m as { params: unknown }).params)).toEqual([
      {
        error: {
          message: 'Reconnecting... 1/2',
          codexErrorInfo: { responseStreamDisconnected: { httpStatusCode: null } },
          additionalDetails: expect.stringMatching(
            /^could not reach POST http:\/\/127\.0\.0\.1:\d+\/backend-api\/codex\/responses: /,
          ),
          misalignment: null,
        },
        willRetry: true,
        threadId: thread.id,
        turnId: expect.any(String),
      },
    ]);
  });

  it('a rollout append that fails: turn/completed first, then an error naming the write; earlier lines intact', async () => {
    const { client, server } = await world.server();
    const { thread } = await client.result<{ thread: { id: string; path: string } }>('thread/start', {});
    await client.result('turn/start', { threadId: thread.id, input: text('kept') });
    await client.next('turn/completed');
    const loaded = server.context.threads.require(thread.id);
    await loaded.writer.close();
    // The next append reopens the path and finds a directory there (EISDIR, whoever runs the test).
    const kept = `${thread.path}.kept`;
    renameSync(thread.path, kept);
    mkdirSync(thread.path);
    await client.result('turn/start', { threadId: thread.id, input: text('lost') });
    const completed = await client.next('turn/completed');
    expect(completed.params).toMatchObject({
      turn: { status: 'completed', items: [{ text: 'Echo: lost' }] },
    });
    const err = await client.next('error');
    expect(err.params).toEqual({
      error: {
        message: `cannot append to rollout ${thread.path}: EISDIR`,
        codexErrorInfo: 'other',
        additionalDetails: null,
        misalignment: null,
      },
      willRetry: false,
      threadId: thread.id,
      turnId: (completed.params as { turn: { id: string } }).turn.id,
    });
    const lines = readFileSync(kept, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).type);
    expect(lines).toEqual(['session_meta', 'turn', 'token_usage', 'read_state']);
  });
});
