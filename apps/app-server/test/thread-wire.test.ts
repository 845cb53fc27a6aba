import { describe, expect, it, onTestFinished } from 'vitest';
import { toWireThread } from '../src/threads/thread-wire.js';
import { ContextWindowLookup, modelContextWindow } from '../src/turns/context-window.js';
import { wireTurn } from '../src/turns/turn-wire.js';
import { TestClient } from './support/client.js';
import { useDevWorld } from './support/dev-world.js';
import { threadRecord } from './support/thread-record.js';

const world = useDevWorld();

interface Shown {
  id: string;
  status: unknown;
  environments: unknown;
  canAcceptDirectInput: unknown;
}

describe('a thread’s environment and live capability', () => {
  it('a loaded thread has its cwd as environment and takes input; a stored one has neither; a listing reports no capability', async () => {
    const a = await world.server({ signedIn: false });
    const { thread } = await a.client.result<{ thread: Shown }>('thread/start', { cwd: '/srv/work' });
    const env = [{ environmentId: 'local', cwd: '/srv/work', runtimeWorkspaceRoots: ['/srv/work'] }];
    const pick = (t: Shown) => ({
      status: t.status,
      environments: t.environments,
      canAcceptDirectInput: t.canAcceptDirectInput,
    });
    expect(pick(thread)).toEqual({ status: { type: 'idle' }, environments: env, canAcceptDirectInput: true });
    const listed = (await a.client.result<{ data: Shown[] }>('thread/list', {})).data;
    expect(listed.map(pick)).toEqual([
      { status: { type: 'idle' }, environments: env, canAcceptDirectInput: null },
    ]);
    await a.close();

    const b = await world.server({ home: a.home });
    const stored = (await b.client.result<{ thread: Shown }>('thread/read', { threadId: thread.id })).thread;
    expect(pick(stored)).toEqual({
      status: { type: 'notLoaded' },
      environments: null,
      canAcceptDirectInput: null,
    });
    expect((await b.client.result<{ data: Shown[] }>('thread/list', {})).data.map(pick)).toEqual([
      { status: { type: 'notLoaded' }, environments: null, canAcceptDirectInput: null },
    ]);
    const resumed = await b.client.result<{ thread: Shown; runtimeWorkspaceRoots: string[] }>(
      'thread/resume',
      {
        threadId: thread.id,
      },
    );
    expect(pick(resumed.thread)).toEqual({
      status: { type: 'idle' },
      environments: env,
      canAcceptDirectInput: true,
    });
    expect(resumed.runtimeWorkspaceRoots).toEqual(['/srv/work']);
  });
});

describe('thread/resume in a new process', () => {
  it('sends the thread’s status before the answer and its cleared goal after; the answer ends as upstream 0.169’s', async () => {
    const a = await world.server({ signedIn: false });
    const { thread } = await a.client.result<{ thread: Shown }>('thread/start', { model: 'gpt-dev' });
    await a.close();

    const b = await world.server({ home: a.home });
    const from = b.client.raw.length;
    const result = await b.client.result<Record<string, unknown>>('thread/resume', { threadId: thread.id });
    await b.client.next('thread/goal/cleared');
    // The order on the wire: status, the answer, then the goal.
    const order = b.client.raw
      .slice(from)
      .map((m) => (m as { method?: string }).method ?? 'answer')
      .filter((m) => m.startsWith('thread/') || m === 'answer');
    expect(order).toEqual(['thread/status/changed', 'answer', 'thread/goal/cleared']);
    const sent = b.client.raw
      .slice(from)
      .filter((m) => (m as { method?: string }).method?.startsWith('thread/'));
    expect(sent.map((m) => (m as { params: unknown }).params)).toEqual([
      { threadId: thread.id, status: { type: 'idle' } },
      { threadId: thread.id },
    ]);
    expect(Object.entries(result).slice(-6)).toEqual([
      ['reasoningEffort', null],
      [
        'collaborationMode',
        {
          mode: 'default',
          settings: { model: 'gpt-dev', reasoning_effort: null, developer_instructions: null },
        },
      ],
      ['multiAgentMode', 'explicitRequestOnly'],
      ['initialTurnsPage', null],
      ['turnsBackwardsCursor', null],
      ['itemsBackwardsCursor', null],
    ]);

    // A second resume of the loaded thread answers alone.
    const again = b.client.raw.length;
    await b.client.result('thread/resume', { threadId: thread.id });
    await b.client.result('thread/read', { threadId: thread.id });
    expect(b.client.raw.slice(again).map((m) => (m as { method?: string }).method ?? 'answer')).toEqual([
      'answer',
      'answer',
    ]);
  });
});

describe('two clients resume one stored thread at the same moment', () => {
  it('each hears the thread’s status and cleared goal once', async () => {
    const a = await world.server({ signedIn: false });
    const { thread } = await a.client.result<{ thread: Shown }>('thread/start', {});
    await a.close();

    const b = await world.server({ home: a.home });
    const other = new TestClient(b.server);
    onTestFinished(() => other.close());
    await other.initialize();
    const clients = [b.client, other];
    const from = clients.map((c) => c.raw.length);
    await Promise.all(clients.map((c) => c.result('thread/resume', { threadId: thread.id })));
    await Promise.all(clients.map((c) => c.next('thread/goal/cleared')));
    await Promise.all(clients.map((c) => c.result('thread/read', { threadId: thread.id })));
    for (const [i, c] of clients.entries()) {
      const heard = c.raw
        .slice(from[i])
        .map((m) => (m as { method?: string }).method)
        .filter((m) => m?.startsWith('thread/'));
      expect(heard).toEqual(['thread/status/changed', 'thread/goal/cleared']);
    }
  });
});

describe('history written before items were timed', () => {
  it('replays with null times and root turn, and the absent features as null', () => {
    const record = threadRecord('th', 100, {
      path: '/w/rollout.jsonl',
      turns: [
        {
          id: 't',
          items: [
            { type: 'userMessage', id: 'u', content: [{ type: 'text', text: 'hi', text_elements: [] }] },
            { type: 'agentMessage', id: 'a', text: 'Echo: hi' },
          ],
          status: 'completed',
          error: null,
          startedAt: 100,
          completedAt: 101,
          durationMs: 900,
        },
      ],
      updatedAt: 101,
    });
    const wire = toWireThread(record, { type: 'notLoaded' }, { includeTurns: true, loaded: false });
    expect(wire.turns).toEqual([
      {
        id: 't',
        rootTurnId: null,
        items: [
          {
            type: 'userMessage',
            id: 'u',
            clientId: null,
            content: [{ type: 'text', text: 'hi', text_elements: [] }],
            startedAtMs: null,
            completedAtMs: null,
          },
          {
            type: 'agentMessage',
            moderation: null,
            id: 'a',
            text: 'Echo: hi',
            phase: null,
            memoryCitation: null,
            delivery: null,
            questions: null,
            startedAtMs: null,
            completedAtMs: null,
          },
        ],
        itemsView: 'full',
        status: 'completed',
        error: null,
        startedAt: 100,
        completedAt: 101,
        durationMs: 900,
      },
    ]);
    expect(wire).toMatchObject({ recencyAt: 101, updatedAt: 101, historyMode: 'legacy', environments: null });
    expect(wireTurn(record.turns[0]!, 'notLoaded')).toMatchObject({ itemsView: 'notLoaded' });
  });
});

describe('the model context window', () => {
  const model = (extra: Record<string, unknown>) =>
    ({ slug: 'm', display_name: 'M', priority: 0, visibility: 'list', ...extra }) as never;

  it('is the model’s share of its window (95% unless the model names one); null when its entry names none', () => {
    expect(modelContextWindow([model({ context_window: 272_000 })], 'm')).toBe(258_400);
    expect(
      modelContextWindow([model({ context_window: 200_000, effective_context_window_percent: 90 })], 'm'),
    ).toBe(180_000);
    expect(modelContextWindow([model({ context_window: null })], 'm')).toBeNull();
  });

  it('finds the model as upstream: the longest slug that prefixes it, then without one namespace; else 272,000', () => {
    const list = [
      model({ slug: 'gpt-5', context_window: 100_000 }),
      model({ slug: 'gpt-5-codex', context_window: 200_000 }),
    ];
    expect(modelContextWindow(list, 'gpt-5-codex-latest')).toBe(190_000);
    expect(modelContextWindow(list, 'gpt-5.1')).toBe(95_000);
    expect(modelContextWindow(list, 'openai/gpt-5-codex')).toBe(190_000);
    // More than one namespace, or one that is not a plain word, is not stripped.
    expect(modelContextWindow(list, 'a/b/gpt-5')).toBe(258_400);
    expect(modelContextWindow(list, 'x.y/gpt-5')).toBe(258_400);
    // A model the list does not know: upstream's fallback metadata (272,000 at 95%).
    expect(modelContextWindow(list, 'dev-incomplete')).toBe(258_400);
  });

  it('is looked up once: a turn waits only until it is known; a failed lookup is null', async () => {
    const lookup = new ContextWindowLookup(Promise.resolve(258_400));
    const first = lookup.get();
    expect(first).toBeInstanceOf(Promise);
    expect(await first).toBe(258_400);
    expect(lookup.get()).toBe(258_400);
    const failed = new ContextWindowLookup(Promise.reject(new Error('models list unavailable')));
    expect(await failed.get()).toBeNull();
    expect(failed.get()).toBeNull();
  });
});
