import type { AuthManager, PersistedThreadTask } from '@codex-ts/login';
import type { ModelSession } from '@codex-ts/model-provider';
import { v7 as uuidv7 } from 'uuid';
import { invalidRequest, RpcError } from '../jsonrpc.js';
import type { AppLogger } from '../logger.js';
import type { ContextWindowLookup } from '../turns/context-window.js';
import { APP_SERVER_VERSION } from '../version.js';
import { ForeignRolloutError, refuseForeignRollout } from './foreign-rollout.js';
import { markThread, publishTurn } from './read-state.js';
import { RolloutCorruptError, RolloutWriter, readRollout, rolloutLine } from './rollout.js';
import type {
  ReadReceipt,
  ThreadMeta,
  ThreadRecord,
  ThreadStatus,
  ThreadTokenUsage,
  Turn,
} from './thread-model.js';
import type { ThreadStore } from './thread-store.js';
import { ThreadWriterLock } from './writer-lock.js';

/** A thread held in memory: its replayed record plus what is live. */
export class LoadedThread {
  readonly meta: ThreadMeta;
  readonly writer: RolloutWriter;
  readonly turns: Turn[];
  task: PersistedThreadTask | undefined;
  updatedAt: number;
  readState: ReadReceipt | undefined;
  status: ThreadStatus = { type: 'idle' };
  /** The running turn's controller (turn/interrupt aborts it). */
  activeTurn: { readonly id: string; readonly abort: AbortController } | undefined;
  /**
   * The thread's model session (model-provider), by auth mode, made on the first turn, with the model's usable
   * context window from the models list (looked up once per session, not per turn).
   */
  model:
    | {
        readonly mode: 'chatgpt' | 'apikey';
        readonly session: ModelSession;
        readonly contextWindow: ContextWindowLookup;
      }
    | undefined;
  /** The thread's token usage as of its latest turn that reported one (`thread/tokenUsage/updated`). */
  tokenUsage: ThreadTokenUsage | undefined;
  /** This server's claim on the rollout: no other process loads the thread while it is held. */
  lock: ThreadWriterLock | undefined;

  constructor(record: ThreadRecord) {
    this.meta = record.meta;
    this.writer = new RolloutWriter(record.path);
    this.turns = [...record.turns];
    this.task = record.task;
    this.updatedAt = record.updatedAt;
    this.readState = record.readState;
    this.tokenUsage = record.tokenUsage;
  }

  get id(): string {
    return this.meta.id;
  }

  record(): ThreadRecord {
    return {
      meta: this.meta,
      path: this.writer.path,
      turns: this.turns,
      task: this.task,
      updatedAt: this.updatedAt,
      readState: this.readState,
      tokenUsage: this.tokenUsage,
    };
  }

  /**
   * Appends a finished turn, with the token usage it reported and the read receipt it publishes (a result the user
   * should see) in the same write. The turn, its receipt and the thread's update time are the thread's at once (what
   * a client asks next sees them); its lines are made and go to disk on the next turn of the event loop
   * (`RolloutWriter.appendSoon`), after whatever the caller hands the client now.
   */
  async appendTurn(turn: Turn): Promise<void> {
    this.turns.push(turn);
    this.updatedAt = turn.completedAt ?? Math.floor(Date.now() / 1000);
    const usage = this.tokenUsage?.turnId === turn.id ? this.tokenUsage : undefined;
    const receipt = publishTurn(this.readState, turn);
    const lines = () => {
      const out = [rolloutLine('turn', turn)];
      if (usage) out.push(rolloutLine('token_usage', usage));
      if (receipt) out.push(rolloutLine('read_state', receipt));
      return out;
    };
    if (!receipt) return this.writer.appendSoon(lines);
    return this.#withReceipt(receipt, () => this.writer.appendSoon(lines));
  }

  /** Records a client's read mark (`thread/readState/update`) made on `expectedRevision`; false on a conflict. */
  async markRead(expectedRevision: string, operation: 'read' | 'unread'): Promise<boolean> {
    const mark = markThread(this.id, this.readState, expectedRevision, operation);
    if (!mark.applied) return false;
    await this.#withReceipt(mark.receipt, () => this.writer.append(rolloutLine('read_state', mark.receipt)));
    return true;
  }

  /**
   * The receipt is the thread's at once (a mark arriving meanwhile compares against it; appends keep its order on
   * disk) and taken back if its write fails.
   */
  async #withReceipt(receipt: ReadReceipt, write: () => Promise<void>): Promise<void> {
    const before = this.readState;
    this.readState = receipt;
    try {
      await write();
    } catch (err) {
      if (this.readState === receipt) this.readState = before;
      throw err;
    }
  }
}

export interface StartThreadOptions {
  readonly cwd: string;
  readonly model: string;
  readonly modelProvider: string;
  readonly originator: string;
}

/** A thread upstream Codex wrote (a CODEX_HOME shared with the Codex CLI): codex-ts leaves it to Codex. */
function foreignThread(threadId: string, err: ForeignRolloutError): RpcError {
  return invalidRequest(
    `thread ${threadId} was written by Codex ${err.writer}: codex-ts replays only the threads it wrote`,
  );
}

/** Archive and unarchive move only codex-ts's own rollouts (read to their first line to know). */
async function refuseForeign(threadId: string, path: string): Promise<void> {
  try {
    await refuseForeignRollout(path);
  } catch (err) {
    throw err instanceof ForeignRolloutError ? foreignThread(threadId, err) : err;
  }
}

/**
 * Loaded threads and their rollouts. Each thread's agent task (flag on) is prewarmed at start, persisted
 * in the rollout whenever login registers one, and restored on resume when its runtime is still current.
 */
export class ThreadManager {
  readonly store: ThreadStore;
  readonly #auth: AuthManager;
  readonly #logger: AppLogger;
  readonly #loaded = new Map<string, LoadedThread>();
  readonly #loading = new Map<string, Promise<LoadedThread>>();
  readonly #unsubscribe: () => void;
  readonly #pending = new Set<Promise<unknown>>();

  constructor(store: ThreadStore, auth: AuthManager, logger: AppLogger) {
    this.store = store;
    this.#auth = auth;
    this.#logger = logger;
    this.#unsubscribe = auth.onThreadTask((threadId, task) => this.#persistTask(threadId, task));
  }

  get loadedCount(): number {
    return this.#loaded.size;
  }

  loaded(threadId: string): LoadedThread | undefined {
    return this.#loaded.get(threadId);
  }

  /** A loaded thread, else `-32600 thread not loaded: <id>`. */
  require(threadId: string): LoadedThread {
    const t = this.#loaded.get(threadId);
    if (!t) throw invalidRequest(`thread not loaded: ${threadId}`);
    return t;
  }

  async start(options: StartThreadOptions): Promise<LoadedThread> {
    const id = uuidv7();
    const nowMs = Date.now();
    const meta: ThreadMeta = {
      id,
      createdAt: Math.floor(nowMs / 1000),
      cwd: options.cwd,
      model: options.model,
      modelProvider: options.modelProvider,
      cliVersion: APP_SERVER_VERSION,
      originator: options.originator,
      source: 'vscode',
    };
    const path = await this.store.newRolloutPath(id, nowMs);
    const lock = await ThreadWriterLock.acquire(path);
    if (!lock) throw invalidRequest(`thread ${id} already has an active writer`); // a new path: never held
    const thread = new LoadedThread({
      meta,
      path,
      turns: [],
      task: undefined,
      updatedAt: meta.createdAt,
      readState: undefined,
      tokenUsage: undefined,
    });
    thread.lock = lock;
    try {
      await thread.writer.append(rolloutLine('session_meta', meta));
    } catch (err) {
      lock.release();
      throw err;
    }
    this.#loaded.set(id, thread);
    this.prewarmTask(thread);
    return thread;
  }

  /** Registers the thread's task in the background (flag on); a failure is logged, the turn will retry. */
  prewarmTask(thread: LoadedThread): void {
    const p = this.#auth.ensureThreadTask(thread.id).catch((err: unknown) => {
      this.#logger.warn({ threadId: thread.id, error: err }, 'thread task prewarm failed');
    });
    this.#pending.add(p);
    void p.finally(() => this.#pending.delete(p));
  }

  /**
   * Waits (at most `timeoutMs`) for prewarms in flight and for every rollout's queued appends, so a task
   * registered just before shutdown is persisted with its thread.
   */
  async drain(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    const work = (async () => {
      await Promise.allSettled([...this.#pending]);
      await Promise.allSettled([...this.#loaded.values()].map((t) => t.writer.idle()));
    })();
    await Promise.race([work, timeout]);
    clearTimeout(timer);
  }

  /** Loads a stored thread (once, however many callers) and restores its task. */
  async resume(threadId: string): Promise<LoadedThread> {
    const hit = this.#loaded.get(threadId);
    if (hit) return hit;
    const inflight = this.#loading.get(threadId);
    if (inflight) return inflight;
    const p = this.#load(threadId).finally(() => this.#loading.delete(threadId));
    this.#loading.set(threadId, p);
    return p;
  }

  /**
   * Loads the thread for this server to write: refused while another live process (or server) holds its rollout,
   * as upstream refuses with `thread … already has an active writer`.
   */
  async #load(threadId: string): Promise<LoadedThread> {
    const path = await this.#locateLive(threadId);
    const lock = await ThreadWriterLock.acquire(path);
    if (!lock) {
      this.#logger.warn({ threadId, lock: `${path}.lock` }, 'another live writer holds the thread');
      throw invalidRequest(`thread ${threadId} already has an active writer`);
    }
    let record: ThreadRecord;
    try {
      record = await this.#replay(threadId, path);
    } catch (err) {
      lock.release();
      throw err;
    }
    const thread = new LoadedThread(record);
    thread.lock = lock;
    this.#loaded.set(threadId, thread);
    const restored = await this.#auth.restoreThreadTask(threadId, record.task).catch((err: unknown) => {
      this.#logger.warn({ threadId, error: err }, 'could not restore the thread task');
      return false;
    });
    if (!restored) this.prewarmTask(thread);
    this.#logger.info({ threadId, restoredTask: restored }, 'thread resumed');
    return thread;
  }

  /** Reads a stored (live) thread without loading it. */
  async readStored(threadId: string): Promise<ThreadRecord> {
    return this.#replay(threadId, await this.#locateLive(threadId));
  }

  async #locateLive(threadId: string): Promise<string> {
    const found = await this.store.locate(threadId);
    if (!found || found.archived) throw invalidRequest(`thread not found: ${threadId}`);
    return found.path;
  }

  async #replay(threadId: string, path: string): Promise<ThreadRecord> {
    try {
      return await readRollout(path);
    } catch (err) {
      if (err instanceof RolloutCorruptError)
        throw new RpcError(-32603, `failed to load thread ${threadId}: ${err.message}`);
      if (err instanceof ForeignRolloutError) throw foreignThread(threadId, err);
      throw err;
    }
  }

  /**
   * A client's read mark on a live thread, loaded or not: the receipt after it, or the current one (`applied`
   * false) when the client did not see the latest revision.
   */
  async markRead(
    threadId: string,
    expectedRevision: string,
    operation: 'read' | 'unread',
  ): Promise<{ applied: boolean; receipt: ReadReceipt | undefined }> {
    // A thread being loaded is marked once loaded, so its receipt in memory is the one on disk.
    await this.#loading.get(threadId)?.catch(() => {});
    const loaded = this.#loaded.get(threadId);
    if (loaded) {
      const applied = await loaded.markRead(expectedRevision, operation);
      return { applied, receipt: loaded.readState };
    }
    const record = await this.readStored(threadId);
    const mark = markThread(threadId, record.readState, expectedRevision, operation);
    if (!mark.applied) return { applied: false, receipt: record.readState };
    const writer = new RolloutWriter(record.path);
    try {
      await writer.append(rolloutLine('read_state', mark.receipt));
    } finally {
      await writer.close();
    }
    return { applied: true, receipt: mark.receipt };
  }

  async archive(threadId: string): Promise<void> {
    const found = await this.store.locate(threadId);
    if (!found || found.archived) throw invalidRequest(`thread not found: ${threadId}`);
    await refuseForeign(threadId, found.path);
    const loaded = this.#loaded.get(threadId);
    // The rollout moves under its lock (taken, or taken over from a writer that is gone, when not loaded here): no
    // other process resumes the thread meanwhile, and no lock is left beside the old path.
    const lock = loaded?.lock ?? (await ThreadWriterLock.acquire(found.path));
    if (!lock) throw invalidRequest(`thread ${threadId} already has an active writer`);
    loaded?.activeTurn?.abort.abort();
    this.#loaded.delete(threadId);
    try {
      await loaded?.writer.close();
      this.#auth.forgetThread(threadId);
      await this.store.move(found.path, true);
    } finally {
      lock.release();
    }
  }

  async unarchive(threadId: string): Promise<ThreadRecord> {
    const found = await this.store.locate(threadId);
    if (!found?.archived) throw invalidRequest(`thread not found: ${threadId}`);
    await refuseForeign(threadId, found.path);
    const path = await this.store.move(found.path, false);
    return readRollout(path);
  }

  /** Stored threads, live or archived (unreadable rollouts are left out and logged). */
  list(archived: boolean): Promise<ThreadRecord[]> {
    return this.store.list(archived);
  }

  /** Unloads every thread (shutdown); each gives up its rollout once its queued appends are done. */
  async close(): Promise<void> {
    this.#unsubscribe();
    const threads = [...this.#loaded.values()];
    this.#loaded.clear();
    await Promise.all(
      threads.map(async (t) => {
        t.activeTurn?.abort.abort();
        t.model?.session.close();
        await t.writer.close();
        t.lock?.release();
      }),
    );
  }

  #persistTask(threadId: string, task: PersistedThreadTask): void {
    const thread = this.#loaded.get(threadId);
    if (!thread || thread.task?.taskId === task.taskId) return;
    thread.task = task;
    thread.writer.append(rolloutLine('thread_task', task)).catch((err: unknown) => {
      this.#logger.error({ threadId, error: err }, 'could not persist the thread task');
    });
  }
}
