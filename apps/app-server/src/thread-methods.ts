import { isAbsolute, resolve } from 'node:path';
import type { AppContext } from './app-context.js';
import { DEFAULT_MODEL } from './config.js';
import { invalidRequest } from './jsonrpc.js';
import { defineMethod, type MethodSpec } from './method.js';
import { array, bool, object, oneOfStrings, optional, str, stringOrStrings, u32 } from './params.js';
import type { LoadedThread } from './threads/thread-manager.js';
import { type ThreadRecord, type ThreadStatus, threadPreview, toWireThread } from './threads/thread-model.js';

const DEFAULT_LIST_LIMIT = 25;

/** What thread/start and thread/resume report besides the thread (this server runs no tools: read-only). */
function threadSettings(thread: LoadedThread): Record<string, unknown> {
  return {
    model: thread.meta.model,
    modelProvider: thread.meta.modelProvider,
    cwd: thread.meta.cwd,
    approvalPolicy: 'on-request',
    approvalsReviewer: 'user',
    sandbox: { type: 'readOnly', networkAccess: false },
    reasoningEffort: null,
    instructionSources: [],
    disabledPluginIds: [],
  };
}

function loadedWire(thread: LoadedThread, includeTurns: boolean): Record<string, unknown> {
  return toWireThread(thread.record(), thread.status, includeTurns);
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
    return { thread: loadedWire(thread, false), ...threadSettings(thread) };
  },
});

const threadResume = defineMethod<{ threadId: string; excludeTurns?: boolean | undefined }, AppContext>({
  params: object('ThreadResumeParams', { threadId: str(), excludeTurns: optional(bool()) }),
  async handle({ params, connection, app }) {
    const thread = await app.threads.resume(params.threadId);
    app.clients.follow(thread.id, connection);
    app.analytics.threadInitialized(
      thread.id,
      connection,
      thread.meta.model,
      'resumed',
      thread.meta.createdAt,
    );
    return { thread: loadedWire(thread, !params.excludeTurns), ...threadSettings(thread) };
  },
});

const threadRead = defineMethod<{ threadId: string; includeTurns?: boolean | undefined }, AppContext>({
  params: object('ThreadReadParams', { threadId: str(), includeTurns: optional(bool()) }),
  async handle({ params, app }) {
    const includeTurns = params.includeTurns ?? false;
    const loaded = app.threads.loaded(params.threadId);
    if (loaded) return { thread: loadedWire(loaded, includeTurns) };
    const found = await app.threads.store.locate(params.threadId);
    if (!found || found.archived) throw invalidRequest(`thread not loaded: ${params.threadId}`);
    const record = await app.threads.readStored(params.threadId);
    return { thread: toWireThread(record, { type: 'notLoaded' }, includeTurns) };
  },
});

type SortKey = 'created_at' | 'updated_at' | 'recency_at' | 'section_position';

interface ListParams {
  cursor?: string | undefined;
  limit?: number | undefined;
  sortKey?: SortKey | undefined;
  sortDirection?: 'asc' | 'desc' | undefined;
  modelProviders?: string[] | undefined;
  archived?: boolean | undefined;
  cwd?: string | string[] | undefined;
  searchTerm?: string | undefined;
}

function decodeCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const n = Number(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!Number.isSafeInteger(n) || n < 0) throw invalidRequest(`invalid cursor: ${cursor}`);
  return n;
}

const threadList = defineMethod<ListParams, AppContext>({
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
    let records: ThreadRecord[] = await app.threads.list(params.archived ?? false);
    const cwds = params.cwd === undefined ? undefined : [params.cwd].flat();
    if (cwds) records = records.filter((r) => cwds.includes(r.meta.cwd));
    if (params.modelProviders?.length) {
      records = records.filter((r) => params.modelProviders!.includes(r.meta.modelProvider));
    }
    if (params.searchTerm) {
      const term = params.searchTerm.toLowerCase();
      records = records.filter((r) => threadPreview(r.turns).toLowerCase().includes(term));
    }
    const byUpdated = params.sortKey === 'updated_at' || params.sortKey === 'recency_at';
    const key = (r: ThreadRecord) => (byUpdated ? r.updatedAt : r.meta.createdAt);
    const dir = params.sortDirection === 'asc' ? 1 : -1;
    records.sort((a, b) => dir * (key(a) - key(b)) || dir * a.meta.id.localeCompare(b.meta.id));
    const start = decodeCursor(params.cursor);
    const limit = Math.max(1, params.limit ?? DEFAULT_LIST_LIMIT);
    const page = records.slice(start, start + limit);
    const next =
      start + limit < records.length ? Buffer.from(String(start + limit)).toString('base64url') : null;
    return {
      data: page.map((r) => {
        const loaded = app.threads.loaded(r.meta.id);
        const status: ThreadStatus = loaded ? loaded.status : { type: 'notLoaded' };
        return toWireThread(loaded ? loaded.record() : r, status, false);
      }),
      nextCursor: next,
    };
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
    return { thread: toWireThread(record, { type: 'notLoaded' }, false) };
  },
});

export const threadMethods: ReadonlyArray<[string, MethodSpec<unknown, AppContext>]> = [
  ['thread/start', threadStart],
  ['thread/resume', threadResume],
  ['thread/list', threadList],
  ['thread/read', threadRead],
  ['thread/archive', threadArchive],
  ['thread/unarchive', threadUnarchive],
];
