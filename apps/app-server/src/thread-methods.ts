import { isAbsolute, resolve } from 'node:path';
import type { AppContext } from './app-context.js';
import { DEFAULT_MODEL } from './config.js';
import { INVALID_REQUEST, invalidRequest, RpcError } from './jsonrpc.js';
import { defineMethod, type MethodSpec } from './method.js';
import { array, bool, object, oneOfStrings, optional, str, stringOrStrings, tagged, u32 } from './params.js';
import { wireReadState } from './threads/read-state.js';
import { type ListQuery, listPage } from './threads/thread-list.js';
import type { LoadedThread } from './threads/thread-manager.js';
import type { ThreadStatus } from './threads/thread-model.js';
import { threadSettings, toWireThread } from './threads/thread-wire.js';

function loadedWire(thread: LoadedThread, includeTurns: boolean): Record<string, unknown> {
  return toWireThread(thread.record(), thread.status, { includeTurns, loaded: true });
}

const threadStart = defineMethod<
  { cwd?: string | undefined; model?: string | undefined; modelProvider?: string | undefined },
  AppContext
>({
  params: object('ThreadStartParams', {
    cwd: optional(str()),
    model: optional(str()),
    modelProvider: optional(str()),
    ephemeral: optional(bool()),
  }),
  async handle({ params, connection, app, after }) {
    const cwd = params.cwd ? (isAbsolute(params.cwd) ? params.cwd : resolve(params.cwd)) : process.cwd();
    const thread = await app.threads.start({
      cwd,
      model: params.model ?? app.config.model ?? DEFAULT_MODEL,
      modelProvider: params.modelProvider ?? app.config.modelProvider,
      originator: connection.clientName ?? 'codex-ts',
    });
    app.clients.follow(thread.id, connection);
    app.analytics.threadInitialized(thread.id, connection, thread.meta.model, 'new', thread.meta.createdAt);
    after(() => app.clients.toThread(thread.id, 'thread/started', { thread: loadedWire(thread, false) }));
    return { thread: loadedWire(thread, false), ...threadSettings(thread.record()) };
  },
});

const threadResume = defineMethod<{ threadId: string; excludeTurns?: boolean | undefined }, AppContext>({
  params: object('ThreadResumeParams', { threadId: str(), excludeTurns: optional(bool()) }),
  async handle({ params, connection, app, after }) {
    const loading = !app.threads.loaded(params.threadId);
    const thread = await app.threads.resume(params.threadId);
    app.clients.follow(thread.id, connection);
    app.analytics.threadInitialized(
      thread.id,
      connection,
      thread.meta.model,
      'resumed',
      thread.meta.createdAt,
    );
    if (loading) {
      // As upstream 0.169 does when a resume loads the thread: its status before the answer; after it, the token
      // usage its rollout recorded (if a turn reported one) and that the thread has no goal (codex-ts keeps none).
      // To the resuming client only: one that resumes the same thread at the same moment hears its own, not these too.
      connection.notify('thread/status/changed', { threadId: thread.id, status: thread.status });
      after(() => {
        const usage = thread.tokenUsage;
        if (usage) {
          const { turnId, total, last, modelContextWindow } = usage;
          const tokenUsage = { total, last, modelContextWindow };
          connection.notify('thread/tokenUsage/updated', { threadId: thread.id, turnId, tokenUsage });
        }
        connection.notify('thread/goal/cleared', { threadId: thread.id });
      });
    }
    return { thread: loadedWire(thread, !params.excludeTurns), ...threadSettings(thread.record(), true) };
  },
});

const threadRead = defineMethod<{ threadId: string; includeTurns?: boolean | undefined }, AppContext>({
  params: object('ThreadReadParams', { threadId: str(), includeTurns: optional(bool()) }),
  async handle({ params, app }) {
    const includeTurns = params.includeTurns ?? false;
    const loaded = app.threads.loaded(params.threadId);
    if (loaded) {
      return {
        thread: loadedWire(loaded, includeTurns),
        readState: wireReadState(loaded.id, loaded.readState),
      };
    }
    const found = await app.threads.store.locate(params.threadId);
    if (!found || found.archived) throw invalidRequest(`thread not loaded: ${params.threadId}`);
    const record = await app.threads.readStored(params.threadId);
    return {
      thread: toWireThread(record, { type: 'notLoaded' }, { includeTurns, loaded: false }),
      readState: wireReadState(record.meta.id, record.readState),
    };
  },
});

const threadList = defineMethod<ListQuery & { archived?: boolean | undefined }, AppContext>({
  params: object('ThreadListParams', {
    cursor: optional(str()),
    limit: optional(u32()),
    sortKey: optional(oneOfStrings(['created_at', 'updated_at', 'recency_at', 'section_position'] as const)),
    sortDirection: optional(oneOfStrings(['asc', 'desc'] as const)),
    modelProviders: optional(array(str())),
    archived: optional(bool()),
    cwd: optional(stringOrStrings()),
    searchTerm: optional(str()),
  }),
  async handle({ params, app }) {
    const { page, nextCursor, backwardsCursor } = listPage(
      await app.threads.list(params.archived ?? false),
      params,
    );
    const data: Record<string, unknown>[] = [];
    const readStates: Record<string, unknown> = {};
    for (const r of page) {
      const loaded = app.threads.loaded(r.meta.id);
      const status: ThreadStatus = loaded ? loaded.status : { type: 'notLoaded' };
      const record = loaded ? loaded.record() : r;
      data.push(toWireThread(record, status, { includeTurns: false, loaded: !!loaded, listing: true }));
      readStates[r.meta.id] = wireReadState(r.meta.id, record.readState);
    }
    return { data, readStates, nextCursor, backwardsCursor };
  },
});

const threadArchive = defineMethod<{ threadId: string }, AppContext>({
  params: object('ThreadArchiveParams', { threadId: str() }),
  async handle({ params, app, after }) {
    await app.threads.archive(params.threadId);
    after(() => {
      app.clients.broadcast('thread/archived', { threadId: params.threadId });
      app.clients.unfollowThread(params.threadId);
    });
    return {};
  },
});

const threadUnarchive = defineMethod<{ threadId: string }, AppContext>({
  params: object('ThreadUnarchiveParams', { threadId: str() }),
  async handle({ params, app, after }) {
    const record = await app.threads.unarchive(params.threadId);
    after(() => app.clients.broadcast('thread/unarchived', { threadId: params.threadId }));
    return { thread: toWireThread(record, { type: 'notLoaded' }, { includeTurns: false, loaded: false }) };
  },
});

/**
 * Experimental, as upstream: marks a thread read or unread when the client saw its latest revision (else
 * `read state changed`, with the current state); subscribers get `thread/readState/changed`.
 */
const threadReadStateUpdate = defineMethod<
  { threadId: string; expectedRevision: string; operation: { type: 'read' | 'unread' } },
  AppContext
>({
  params: object('ThreadReadStateUpdateParams', {
    threadId: str(),
    expectedRevision: str(),
    operation: tagged('ThreadReadStateOperation', 'type', {
      read: object('Read', {}),
      unread: object('Unread', {}),
    }),
  }) as never,
  experimental: true,
  async handle({ params, app, after }) {
    const { threadId } = params;
    const { applied, receipt } = await app.threads.markRead(
      threadId,
      params.expectedRevision,
      params.operation.type,
    );
    const readState = wireReadState(threadId, receipt);
    if (!applied) {
      throw new RpcError(INVALID_REQUEST, 'read state changed', { reason: 'readStateConflict', readState });
    }
    after(() => app.clients.toThread(threadId, 'thread/readState/changed', { threadId, readState }));
    return { readState };
  },
});

export const threadMethods: ReadonlyArray<[string, MethodSpec<unknown, AppContext>]> = [
  ['thread/start', threadStart],
  ['thread/resume', threadResume],
  ['thread/list', threadList],
  ['thread/read', threadRead],
  ['thread/archive', threadArchive],
  ['thread/unarchive', threadUnarchive],
  ['thread/readState/update', threadReadStateUpdate],
];
