import { describe, expect, it } from 'vitest';
import { useDevWorld } from './support/dev-world.js';

const world = useDevWorld();

const text = (t: string) => [{ type: 'text', text: t, text_elements: [] }];

type Params = Record<string, unknown> & { item?: Record<string, unknown> };

const server = () => world.server({ extra: 'model = "dev-echo"' });

describe('a turn’s items, as upstream times and ids them', () => {
  it('items carry their start and completion times, the client’s message id, and thread/read gives them back whole', async () => {
    const { client } = await server();
    const { thread } = await client.result<{ thread: { id: string } }>('thread/start', { cwd: '/tmp' });
    const before = Date.now();
    const { turn } = await client.result<{ turn: { id: string } }>('turn/start', {
      threadId: thread.id,
      input: text('timed'),
      clientUserMessageId: 'client-msg-1',
    });
    await client.next('turn/completed');
    const after = Date.now();
    const of = (method: string) =>
      client.notifications.filter((n) => n.method === method).map((n) => n.params as Params);
    const [userStarted, agentStarted] = of('item/started');
    const [userDone, agentDone] = of('item/completed');

    const userAt = userStarted!.startedAtMs as number;
    expect(userAt).toBeGreaterThanOrEqual(before);
    const userItem = {
      type: 'userMessage',
      id: expect.any(String),
      clientId: 'client-msg-1',
      content: text('timed'),
      startedAtMs: userAt,
      completedAtMs: userAt,
    };
    expect(userStarted).toEqual({
      item: { ...userItem, completedAtMs: null },
      threadId: thread.id,
      turnId: turn.id,
      startedAtMs: userAt,
    });
    expect(userDone).toEqual({
      item: userItem,
      threadId: thread.id,
      turnId: turn.id,
      contentTokenCount: null,
      completedAtMs: userAt,
    });

    const agentAt = agentStarted!.startedAtMs as number;
    const agentDoneAt = agentDone!.completedAtMs as number;
    expect(userAt).toBeLessThanOrEqual(agentAt);
    expect(agentAt).toBeLessThanOrEqual(agentDoneAt);
    expect(agentDoneAt).toBeLessThanOrEqual(after);
    const absent = { moderation: null, phase: null, memoryCitation: null, delivery: null, questions: null };
    expect(agentStarted).toEqual({
      item: {
        type: 'agentMessage',
        id: agentDone!.item!.id,
        text: '',
        ...absent,
        startedAtMs: agentAt,
        completedAtMs: null,
      },
      threadId: thread.id,
      turnId: turn.id,
      startedAtMs: agentAt,
    });
    expect(agentDone).toEqual({
      item: {
        type: 'agentMessage',
        id: expect.stringMatching(/^msg_/),
        text: 'Echo: timed',
        ...absent,
        startedAtMs: agentAt,
        completedAtMs: agentDoneAt,
      },
      threadId: thread.id,
      turnId: turn.id,
      contentTokenCount: null,
      completedAtMs: agentDoneAt,
    });

    const read = await client.result<{ thread: { turns: Array<Record<string, unknown>> } }>('thread/read', {
      threadId: thread.id,
      includeTurns: true,
    });
    expect(read.thread.turns).toEqual([
      {
        id: turn.id,
        rootTurnId: turn.id,
        items: [userDone!.item, agentDone!.item],
        itemsView: 'full',
        status: 'completed',
        error: null,
        startedAt: expect.any(Number),
        completedAt: expect.any(Number),
        durationMs: expect.any(Number),
      },
    ]);
  });

  it('a turn names the root turn the client gives it (else itself), in turn/start, turn/started and turn/completed', async () => {
    const { client } = await server();
    const { thread } = await client.result<{ thread: { id: string } }>('thread/start', {});
    const first = (
      await client.result<{ turn: { id: string } }>('turn/start', {
        threadId: thread.id,
        input: text('one'),
      })
    ).turn;
    await client.next('turn/completed');
    const second = (
      await client.result<{ turn: { id: string; rootTurnId: string } }>('turn/start', {
        threadId: thread.id,
        input: text('two'),
        rootTurnId: first.id,
      })
    ).turn;
    expect(second.rootTurnId).toBe(first.id);
    const started = await client.next('turn/started', (p) => (p.turn as { id: string }).id === second.id);
    expect(started.params).toMatchObject({
      turn: { id: second.id, rootTurnId: first.id, itemsView: 'notLoaded' },
    });
    const done = await client.next('turn/completed', (p) => (p.turn as { id: string }).id === second.id);
    expect(done.params).toMatchObject({ turn: { rootTurnId: first.id, itemsView: 'summary' } });
  });

  it('thread/tokenUsage/updated: cache-write tokens as the response reports them, the model’s usable context window', async () => {
    const { client } = await server();
    const { thread } = await client.result<{ thread: { id: string } }>('thread/start', {});
    const { turn } = await client.result<{ turn: { id: string } }>('turn/start', {
      threadId: thread.id,
      input: text('count me'),
    });
    const usage = await client.next('thread/tokenUsage/updated');
    const last = {
      totalTokens: expect.any(Number),
      inputTokens: expect.any(Number),
      cachedInputTokens: 0,
      cacheWriteInputTokens: 0,
      outputTokens: expect.any(Number),
      reasoningOutputTokens: 0,
    };
    // dev-echo's context_window is 272,000; upstream's usable share is 95% when the model names none.
    expect(usage.params).toEqual({
      threadId: thread.id,
      turnId: turn.id,
      tokenUsage: { total: last, last, modelContextWindow: 258_400 },
    });
  });

  it('a thread resumed in a new process reports its usage again, after the answer, and counts on from it', async () => {
    const a = await server();
    const { thread } = await a.client.result<{ thread: { id: string } }>('thread/start', {});
    type Usage = { turnId: string; tokenUsage: Record<string, Record<string, number>> };
    const usages: Usage[] = [];
    for (const words of ['one', 'two words']) {
      const { turn } = await a.client.result<{ turn: { id: string } }>('turn/start', {
        threadId: thread.id,
        input: text(words),
      });
      usages.push(
        (await a.client.next('thread/tokenUsage/updated', (p) => p.turnId === turn.id)).params as Usage,
      );
      await a.client.next('turn/completed', (p) => (p.turn as { id: string }).id === turn.id);
    }
    await a.close();
    const stored = usages[1]!;

    const b = await world.server({ home: a.home });
    const from = b.client.raw.length;
    await b.client.result('thread/resume', { threadId: thread.id });
    await b.client.next('thread/goal/cleared');
    const heard = b.client.raw.slice(from) as Array<{ method?: string; params?: unknown }>;
    expect(
      heard
        .map((m) => m.method ?? 'answer')
        .filter((m) => m !== 'account/updated' && !m.startsWith('remote')),
    ).toEqual(['thread/status/changed', 'answer', 'thread/tokenUsage/updated', 'thread/goal/cleared']);
    // The second turn's report, as it was: its turn, the thread's total over both turns, its own count.
    expect(heard.find((m) => m.method === 'thread/tokenUsage/updated')!.params).toEqual(stored);

    const { turn } = await b.client.result<{ turn: { id: string } }>('turn/start', {
      threadId: thread.id,
      input: text('three'),
    });
    const next = (await b.client.next('thread/tokenUsage/updated', (p) => p.turnId === turn.id))
      .params as Usage;
    const { total, last } = next.tokenUsage;
    const before = stored.tokenUsage.total!;
    for (const k of Object.keys(before)) expect(total![k]).toBe(before[k]! + last![k]!);
    expect(last!.totalTokens).toBeGreaterThan(0);
  });
  it('the context window exceeded: the usage filled to the window before the error, and kept for a resumed thread', async () => {
    const a = await server();
    const { thread } = await a.client.result<{ thread: { id: string } }>('thread/start', {});
    type Usage = { turnId: string; tokenUsage: Record<string, Record<string, number>> };
    const first = await a.client.result<{ turn: { id: string } }>('turn/start', {
      threadId: thread.id,
      input: text('one'),
    });
    const before = (await a.client.next('thread/tokenUsage/updated', (p) => p.turnId === first.turn.id))
      .params as Usage;
    await a.client.next('turn/completed', (p) => (p.turn as { id: string }).id === first.turn.id);
    world.backend.injectFault({
      path: '/backend-api/codex/responses',
      status: 400,
      body: { error: { code: 'context_length_exceeded', message: 'too long' } },
    });
    const from = a.client.raw.length;
    const { turn } = await a.client.result<{ turn: { id: string } }>('turn/start', {
      threadId: thread.id,
      input: text('two'),
    });
    await a.client.next('turn/completed', (p) => (p.turn as { id: string }).id === turn.id);
    const heard = a.client.raw.slice(from) as Array<{ method?: string; params?: unknown }>;
    expect(
      heard.map((m) => m.method ?? 'answer').filter((m) => m !== 'item/started' && m !== 'item/completed'),
    ).toEqual([
      'answer',
      'thread/status/changed',
      'turn/started',
      'thread/tokenUsage/updated',
      'thread/status/changed',
      'error',
      'turn/completed',
    ]);
    const window = 258_400;
    const zero = {
      cachedInputTokens: 0,
      cacheWriteInputTokens: 0,
      inputTokens: 0,
      outputTokens: 0,
      reasoningOutputTokens: 0,
    };
    const filled = {
      threadId: thread.id,
      turnId: turn.id,
      tokenUsage: {
        total: { ...zero, totalTokens: window },
        last: { ...zero, totalTokens: window - before.tokenUsage.total!.totalTokens! },
        modelContextWindow: window,
      },
    };
    expect(heard.find((m) => m.method === 'thread/tokenUsage/updated')!.params).toEqual(filled);
    await a.close();

    const b = await world.server({ home: a.home });
    await b.client.result('thread/resume', { threadId: thread.id });
    expect((await b.client.next('thread/tokenUsage/updated')).params).toEqual(filled);
  });
});
