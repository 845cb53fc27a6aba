import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RolloutWriteError } from '../src/index.js';
import { RolloutWriter, readRollout, rolloutLine } from '../src/threads/rollout.js';
import { LoadedThread } from '../src/threads/thread-manager.js';
import type { Turn } from '../src/threads/thread-model.js';
import { useDevWorld } from './support/dev-world.js';
import { tempHome } from './support/fixture.js';

const world = useDevWorld();

interface WireThread {
  id: string;
  createdAt: number;
  path: string;
  status: unknown;
  turns: unknown[];
  preview: string;
  cwd: string;
}

describe('thread/start', () => {
  it('answers with the thread and its settings, then thread/started; the rollout starts with session_meta', async () => {
    const { client, home } = await world.server({ extra: 'model = "gpt-dev"', signedIn: false });
    const res = await client.result<{ thread: WireThread } & Record<string, unknown>>('thread/start', {
      cwd: '/tmp',
    });
    expect(res).toEqual({
      thread: {
        id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/),
        environments: [{ environmentId: 'local', cwd: '/tmp', runtimeWorkspaceRoots: ['/tmp'] }],
        extra: null,
        sessionId: res.thread.id,
        forkedFromId: null,
        attachedToThreadId: null,
        parentThreadId: null,
        preview: '',
        ephemeral: false,
        section: null,
        sectionEnteredAt: null,
        projectId: null,
        historyMode: 'legacy',
        modelProvider: 'openai',
        model: 'gpt-dev',
        reasoningEffort: null,
        createdAt: expect.any(Number),
        updatedAt: res.thread.createdAt,
        recencyAt: res.thread.createdAt,
        status: { type: 'idle' },
        path: expect.stringContaining(`${home}/sessions/`),
        cwd: '/tmp',
        cliVersion: '0.1.0',
        originator: 'codex_ts_test',
        source: 'vscode',
        canAcceptDirectInput: true,
        threadSource: null,
        agentNickname: null,
        agentRole: null,
        gitInfo: null,
        name: null,
        daybreakEnabled: null,
        turns: [],
      },
      model: 'gpt-dev',
      modelProvider: 'openai',
      serviceTier: null,
      cwd: '/tmp',
      runtimeWorkspaceRoots: ['/tmp'],
      approvalPolicy: 'on-request',
      approvalsReviewer: 'user',
      sandbox: { type: 'readOnly', networkAccess: false },
      activePermissionProfile: { id: ':read-only', extends: null },
      reasoningEffort: null,
      instructionSources: [],
      disabledPluginIds: [],
      multiAgentMode: 'explicitRequestOnly',
    });
    expect((await client.next('thread/started')).params).toEqual({ thread: res.thread });
    const lines = readFileSync(res.thread.path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([
      {
        timestamp: expect.any(String),
        type: 'session_meta',
        payload: expect.objectContaining({ id: res.thread.id }),
      },
    ]);
  });
});

describe('thread/list, read, archive, unarchive', () => {
  it('lists newest first with a cursor, reads, archives and brings back', async () => {
    const { client } = await world.server({ signedIn: false });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push((await client.result<{ thread: WireThread }>('thread/start', {})).thread.id);
    const first = await client.result<{ data: WireThread[]; nextCursor: string | null }>('thread/list', {
      limit: 2,
    });
    expect(first.data.map((t) => t.id)).toEqual([ids[2], ids[1]]);
    const second = await client.result<{ data: WireThread[]; nextCursor: string | null }>('thread/list', {
      limit: 2,
      cursor: first.nextCursor,
    });
    const createdAt = second.data[0]!.createdAt;
    expect(second).toEqual({
      data: [expect.objectContaining({ id: ids[0] })],
      readStates: { [ids[0]!]: { firstUnread: null, revision: `initial:${ids[0]}` } },
      nextCursor: null,
      backwardsCursor: new Date(createdAt * 1000).toISOString(),
    });

    expect(
      (await client.result<{ thread: WireThread }>('thread/read', { threadId: ids[0] })).thread.status,
    ).toEqual({
      type: 'idle',
    });
    expect((await client.call('thread/read', { threadId: 'nope' })).error).toEqual({
      code: -32600,
      message: 'thread not loaded: nope',
    });

    expect(await client.result('thread/archive', { threadId: ids[1] })).toEqual({});
    expect((await client.next('thread/archived')).params).toEqual({ threadId: ids[1] });
    expect((await client.result<{ data: WireThread[] }>('thread/list', {})).data.map((t) => t.id)).toEqual([
      ids[2],
      ids[0],
    ]);
    expect(
      (await client.result<{ data: WireThread[] }>('thread/list', { archived: true })).data.map((t) => t.id),
    ).toEqual([ids[1]]);
    expect((await client.call('thread/archive', { threadId: ids[1] })).error).toEqual({
      code: -32600,
      message: `thread not found: ${ids[1]}`,
    });
    const back = await client.result<{ thread: WireThread }>('thread/unarchive', { threadId: ids[1] });
    expect(back.thread).toMatchObject({ id: ids[1], status: { type: 'notLoaded' } });
    expect(existsSync(back.thread.path)).toBe(true);
    expect((await client.next('thread/unarchived')).params).toEqual({ threadId: ids[1] });
  });
});

describe('persistence across processes', () => {
  it('flag on: the thread task is prewarmed, persisted, and restored on resume by a new server (no new registration)', async () => {
    const a = await world.server({ flag: true });
    const { thread } = await a.client.result<{ thread: WireThread }>('thread/start', {});
    const persisted = await new Promise<unknown>((resolve) =>
      a.server.context.auth.onThreadTask((id, t) => {
        if (id === thread.id) resolve(t);
      }),
    );
    await a.server.context.threads.loaded(thread.id)!.writer.idle();
    const lines = readFileSync(thread.path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.type)).toEqual(['session_meta', 'thread_task']);
    const task = lines[1].payload;
    expect(task).toEqual(persisted);
    const registered = world.backend.tasks().filter((t) => t.externalTaskRef === thread.id);
    expect(registered).toHaveLength(1);
    expect(task).toEqual({
      agentRuntimeId: registered[0]!.agentRuntimeId,
      taskId: expect.any(String),
      kind: 'thread',
      registeredAt: expect.any(String),
    });
    await a.close();

    const b = await world.server({ home: a.home });
    const resumed = await b.client.result<{ thread: WireThread }>('thread/resume', { threadId: thread.id });
    expect(resumed.thread).toMatchObject({ id: thread.id, status: { type: 'idle' } });
    expect(world.backend.tasks().filter((t) => t.externalTaskRef === thread.id)).toHaveLength(1);
    expect(b.logs.some((l) => l.includes('"restoredTask":true'))).toBe(true);
  });

  it('shutdown right after thread/start still persists the thread task registered in flight', async () => {
    const a = await world.server({ flag: true });
    const { thread } = await a.client.result<{ thread: WireThread }>('thread/start', {});
    await a.close();
    const lines = readFileSync(thread.path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.type)).toEqual(['session_meta', 'thread_task']);
    expect(lines[1].payload.taskId).toBe(
      world.backend.tasks().find((t) => t.externalTaskRef === thread.id)?.taskId,
    );
  });

  it('a corrupt rollout: that thread errors, the others load', async () => {
    const a = await world.server({ signedIn: false });
    const good = (await a.client.result<{ thread: WireThread }>('thread/start', {})).thread;
    const bad = (await a.client.result<{ thread: WireThread }>('thread/start', {})).thread;
    await a.close();
    writeFileSync(bad.path, `${readFileSync(bad.path, 'utf8')}{torn\n{"type":"turn","payload":{}}\n`);

    const b = await world.server({ home: a.home });
    expect((await b.client.result<{ data: WireThread[] }>('thread/list', {})).data.map((t) => t.id)).toEqual([
      good.id,
    ]);
    expect((await b.client.call('thread/resume', { threadId: bad.id })).error).toEqual({
      code: -32603,
      message: `failed to load thread ${bad.id}: rollout ${bad.path} is corrupt at line 2: not JSON`,
    });
    expect(
      (await b.client.result<{ thread: WireThread }>('thread/resume', { threadId: good.id })).thread.id,
    ).toBe(good.id);
    expect(b.logs.some((l) => l.includes('skipping an unreadable rollout'))).toBe(true);
  });
});

/** A thread's session_meta as a rollout stores it. */
const storedMeta = (id: string) => ({
  id,
  createdAt: 1,
  cwd: '/',
  model: 'm',
  modelProvider: 'openai',
  cliVersion: '0',
  originator: 'o',
  source: 'vscode',
});

describe('rollout writer', () => {
  it('a full disk is a typed RolloutWriteError (ENOSPC)', async () => {
    if (!existsSync('/dev/full')) return;
    const writer = new RolloutWriter('/dev/full');
    const err = await writer.append(rolloutLine('turn', { id: 't' } as never)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RolloutWriteError);
    expect((err as RolloutWriteError).code).toBe('ENOSPC');
    expect((err as Error).message).toBe('cannot append to rollout /dev/full: ENOSPC');
  });

  it('appendSoon writes on the next turn of the event loop, in its place among the appends', async () => {
    const path = `${tempHome()}/rollout-soon.jsonl`;
    const w = new RolloutWriter(path);
    const ids = () =>
      readFileSync(path, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).payload.id);
    await w.append(rolloutLine('turn', { id: 'first' } as never));
    const soon = w.appendSoon(() => [rolloutLine('turn', { id: 'soon' } as never)]);
    const later = w.append(rolloutLine('turn', { id: 'later' } as never));
    // Every microtask and tick queued so far has run: the line is still not on disk.
    await new Promise<void>((resolve) => process.nextTick(resolve));
    await Promise.resolve();
    expect(ids()).toEqual(['first']);
    await Promise.all([soon, later]);
    expect(ids()).toEqual(['first', 'soon', 'later']);
  });

  it("a finished turn, its usage and its receipt are the thread's at once; their lines reach disk in one write on the next turn of the event loop", async () => {
    const path = `${tempHome()}/rollout-turn.jsonl`;
    const meta = storedMeta('a');
    await new RolloutWriter(path).append(rolloutLine('session_meta', meta));
    const thread = new LoadedThread({
      meta,
      path,
      turns: [],
      task: undefined,
      updatedAt: 1,
      readState: undefined,
      tokenUsage: undefined,
    });
    const turn: Turn = {
      id: 't1',
      rootTurnId: 't1',
      items: [{ type: 'agentMessage', id: 'm1', text: 'done', startedAtMs: 5000, completedAtMs: 6000 }],
      status: 'completed',
      error: null,
      startedAt: 5,
      completedAt: 7,
      durationMs: 2000,
    };
    const usage = {
      totalTokens: 3,
      inputTokens: 2,
      cachedInputTokens: 0,
      cacheWriteInputTokens: 0,
      outputTokens: 1,
      reasoningOutputTokens: 0,
    };
    thread.tokenUsage = { turnId: 't1', total: usage, last: usage, modelContextWindow: null };
    const written = thread.appendTurn(turn);
    // What a client asks next sees the turn, its receipt and the update time, before anything is on disk.
    expect(thread.turns).toEqual([turn]);
    expect(thread.updatedAt).toBe(7);
    expect(thread.readState).toEqual({
      firstUnreadTurn: 't1',
      revision: expect.any(String),
      lastPublishedTurn: 't1',
    });
    const types = () =>
      readFileSync(path, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).type);
    await Promise.resolve();
    expect(types()).toEqual(['session_meta']);
    await written;
    expect(types()).toEqual(['session_meta', 'turn', 'token_usage', 'read_state']);
    expect(await readRollout(path)).toMatchObject({
      turns: [turn],
      readState: thread.readState,
      tokenUsage: thread.tokenUsage,
      updatedAt: 7,
    });
  });

  it('a torn final line (crash mid-append) is ignored on replay; what came before is kept', async () => {
    const home = tempHome();
    const path = `${home}/rollout-x.jsonl`;
    const w = new RolloutWriter(path);
    const meta = storedMeta('a');
    await w.append(rolloutLine('session_meta', meta));
    writeFileSync(path, `${readFileSync(path, 'utf8')}{"type":"tu`);
    expect(await readRollout(path)).toEqual({ meta, path, turns: [], task: undefined, updatedAt: 1 });
  });

  it('token usage: the last line wins on replay; a malformed one is corruption, named by its line', async () => {
    const path = `${tempHome()}/rollout-usage.jsonl`;
    const w = new RolloutWriter(path);
    const meta = storedMeta('u');
    const count = (n: number) => ({
      totalTokens: n,
      inputTokens: n,
      cachedInputTokens: 0,
      cacheWriteInputTokens: 0,
      outputTokens: 0,
      reasoningOutputTokens: 0,
    });
    const first = { turnId: 't1', total: count(5), last: count(5), modelContextWindow: 258_400 };
    const second = { turnId: 't2', total: count(12), last: count(7), modelContextWindow: null };
    await w.append(rolloutLine('session_meta', meta), rolloutLine('token_usage', first));
    await w.append(rolloutLine('token_usage', second));
    expect((await readRollout(path)).tokenUsage).toEqual(second);

    await w.append(rolloutLine('token_usage', { ...second, last: { ...count(1), outputTokens: -1 } }));
    await w.append(rolloutLine('session_meta', meta)); // so the bad line is not the last (a torn append)
    await expect(readRollout(path)).rejects.toThrow(
      `rollout ${path} is corrupt at line 4: invalid token_usage`,
    );
  });
});
