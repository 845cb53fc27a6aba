import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { needsAttention, publishTurn } from '../src/threads/read-state.js';
import type { ReadReceipt, Turn } from '../src/threads/thread-model.js';
import { useDevWorld } from './support/dev-world.js';

const world = useDevWorld();

const text = (t: string) => [{ type: 'text', text: t, text_elements: [] }];

interface ReadState {
  firstUnread: { type: string; turnId?: string } | null;
  revision: string;
}

describe('read state (thread/read, thread/list, thread/readState/update)', () => {
  it('a finished turn is unread until marked; marks need the latest revision; all of it survives a new process', async () => {
    const a = await world.server({ extra: 'model = "dev-echo"', experimentalApi: true });
    const { thread } = await a.client.result<{ thread: { id: string; path: string } }>('thread/start', {
      cwd: '/tmp',
    });
    const read = async (client = a.client) =>
      (await client.result<{ readState: ReadState }>('thread/read', { threadId: thread.id })).readState;
    expect(await read()).toEqual({ firstUnread: null, revision: `initial:${thread.id}` });

    const turn = async (input: string) => {
      const { turn } = await a.client.result<{ turn: { id: string } }>('turn/start', {
        threadId: thread.id,
        input: text(input),
      });
      await a.client.next('turn/completed', (p) => (p.turn as { id: string }).id === turn.id);
      return turn.id;
    };
    const t1 = await turn('one');
    const afterOne = await read();
    expect(afterOne).toEqual({
      firstUnread: { type: 'turn', turnId: t1 },
      revision: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-/),
    });
    expect(await read()).toEqual(afterOne); // reading is not marking
    const t2 = await turn('two');
    const afterTwo = await read();
    expect(afterTwo.firstUnread).toEqual({ type: 'turn', turnId: t1 }); // still the earliest unread
    expect(afterTwo.revision).not.toBe(afterOne.revision);

    const stale = await a.client.call('thread/readState/update', {
      threadId: thread.id,
      expectedRevision: afterOne.revision,
      operation: { type: 'read' },
    });
    expect(stale.error).toEqual({
      code: -32600,
      message: 'read state changed',
      data: { reason: 'readStateConflict', readState: afterTwo },
    });
    const marked = await a.client.result<{ readState: ReadState }>('thread/readState/update', {
      threadId: thread.id,
      expectedRevision: afterTwo.revision,
      operation: { type: 'read' },
    });
    expect(marked.readState).toEqual({ firstUnread: null, revision: expect.any(String) });
    expect((await a.client.next('thread/readState/changed')).params).toEqual({
      threadId: thread.id,
      readState: marked.readState,
    });
    expect(await read()).toEqual(marked.readState);
    const types = readFileSync(thread.path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).type);
    expect(types).toEqual([
      'session_meta',
      'turn',
      'token_usage',
      'read_state',
      'turn',
      'token_usage',
      'read_state',
      'read_state',
    ]);
    expect(t2).not.toBe(t1);
    await a.close();

    // A new process: the thread is stored, not loaded; its receipt is read back from the rollout.
    const b = await world.server({ home: a.home, experimentalApi: true });
    expect(await read(b.client)).toEqual(marked.readState);
    const list = await b.client.result<{ readStates: Record<string, ReadState> }>('thread/list', {});
    expect(list.readStates).toEqual({ [thread.id]: marked.readState });
    const unread = await b.client.result<{ readState: ReadState }>('thread/readState/update', {
      threadId: thread.id,
      expectedRevision: marked.readState.revision,
      operation: { type: 'unread' },
    });
    expect(unread.readState).toEqual({ firstUnread: { type: 'threadStart' }, revision: expect.any(String) });
    expect(await read(b.client)).toEqual(unread.readState);
  });

  it('thread/readState/update is experimental', async () => {
    const h = await world.server({ signedIn: false });
    expect(
      (
        await h.client.call('thread/readState/update', {
          threadId: 'x',
          expectedRevision: 'r',
          operation: { type: 'read' },
        })
      ).error,
    ).toEqual({ code: -32600, message: 'thread/readState/update requires experimentalApi capability' });
  });
});

describe('which finished turns need attention (upstream’s policy for a user thread)', () => {
  const turn = (status: Turn['status'], answer?: string, error: Turn['error'] = null): Turn => ({
    id: 't1',
    items: answer === undefined ? [] : [{ type: 'agentMessage', id: 'm', text: answer }],
    status,
    error,
    startedAt: 1,
    completedAt: 2,
    durationMs: 1,
  });

  it('an answer, a failure, or an interrupted turn that said something; not an empty or DONT_NOTIFY answer', () => {
    expect(needsAttention(turn('completed', 'done'))).toBe(true);
    expect(needsAttention(turn('completed', '  '))).toBe(false);
    expect(needsAttention(turn('completed'))).toBe(false);
    expect(needsAttention(turn('completed', 'x <decision>DONT_NOTIFY</decision>'))).toBe(false);
    expect(needsAttention(turn('failed', undefined, { message: 'boom' }))).toBe(true);
    expect(needsAttention(turn('interrupted'))).toBe(false);
    expect(needsAttention(turn('interrupted', ''))).toBe(true);
  });

  it('a result is published once; the first unread position stays; the revision changes', () => {
    const first = publishTurn(undefined, turn('completed', 'done'))!;
    expect(first).toEqual({ firstUnreadTurn: 't1', revision: expect.any(String), lastPublishedTurn: 't1' });
    expect(publishTurn(first, turn('completed', 'done'))).toBeUndefined();
    const marked: ReadReceipt = { firstUnreadTurn: '', revision: 'r', lastPublishedTurn: 't1' };
    const next = publishTurn(marked, { ...turn('completed', 'again'), id: 't2' })!;
    expect(next).toEqual({ firstUnreadTurn: '', revision: expect.any(String), lastPublishedTurn: 't2' });
    expect(next.revision).not.toBe('r');
    expect(publishTurn(undefined, turn('completed', ''))).toBeUndefined();
  });
});
