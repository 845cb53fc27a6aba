import type { AgentIdentity } from './agent-identity.js';
import { isRetryable, withAttempts } from './attempts.js';
import { readAgentIdentityRecord } from './auth-json.js';
import { AgentTaskUnavailableError } from './errors.js';
import { describeFailure } from './failure.js';
import type { IdentityContext } from './identity-context.js';
import type { AgentIdentityLifecycle } from './identity-lifecycle.js';
import {
  type PersistedThreadTask,
  type ResolvedTask,
  resolvedTask,
  toPersistedThreadTask,
} from './resolved-task.js';
import { KeyedSingleFlight, SingleFlight } from './single-flight.js';
import { identityRejected, registerTask } from './task-registration.js';

/**
 * Background task (one per identity, persisted as agent_identity.background_task_id, reused by later processes)
 * and thread tasks (one per thread id, external_task_ref = thread id), each registered in a single flight.
 * `version` changes whenever a cached task does.
 */
export class AgentTaskRegistry {
  readonly #ctx: IdentityContext;
  readonly #lifecycle: AgentIdentityLifecycle;
  readonly #backgroundFlight = new SingleFlight<ResolvedTask | undefined>();
  readonly #threadFlights = new KeyedSingleFlight<string, ResolvedTask | undefined>();
  readonly #threads = new Map<string, ResolvedTask>();
  readonly #threadListeners = new Set<(threadId: string, task: PersistedThreadTask) => void>();
  #background: ResolvedTask | undefined;
  #version = 0;

  constructor(ctx: IdentityContext, lifecycle: AgentIdentityLifecycle) {
    this.#ctx = ctx;
    this.#lifecycle = lifecycle;
  }

  get version(): number {
    return this.#version;
  }

  /** The background task, if it is cached and belongs to the current identity (sync; hot path). */
  get warmBackground(): ResolvedTask | undefined {
    const bg = this.#background;
    return bg !== undefined && bg.identity === this.#lifecycle.current ? bg : undefined;
  }

  /** The cached thread task for `threadId`, if it belongs to the current identity (sync; hot path). */
  warmThread(threadId: string): ResolvedTask | undefined {
    const t = this.#threads.get(threadId);
    return t !== undefined && t.identity === this.#lifecycle.current ? t : undefined;
  }

  /** A background registration is in flight. */
  get backgroundPending(): Promise<ResolvedTask | undefined> | undefined {
    return this.#backgroundFlight.pending;
  }

  onThreadTask(listener: (threadId: string, task: PersistedThreadTask) => void): () => void {
    this.#threadListeners.add(listener);
    return () => this.#threadListeners.delete(listener);
  }

  /** Identity or undefined; a failed registration puts the process on bearer (fallback). */
  async #identityOrFallback(): Promise<AgentIdentity | undefined> {
    if (this.#lifecycle.fallback) return undefined;
    try {
      return await this.#lifecycle.ensure();
    } catch (err) {
      this.#lifecycle.enterFallback(err, 'agent identity registration');
      return undefined;
    }
  }

  #changed(): void {
    this.#version++;
  }

  /** The background task (registering identity and task as needed). Undefined → use bearer. */
  background(): Promise<ResolvedTask | undefined> {
    const warm = this.warmBackground;
    if (warm) return Promise.resolve(warm);
    return this.#backgroundFlight.run(() => this.#ensureBackground());
  }

  async #ensureBackground(): Promise<ResolvedTask | undefined> {
    for (let round = 0; ; round++) {
      const identity = await this.#identityOrFallback();
      if (!identity) return undefined;
      if (this.#background?.identity === identity) return this.#background;
      // Reuse a task a previous process (or this one) persisted.
      let storedId = identity.storedBackgroundTaskId;
      if (identity.store) {
        const doc = await identity.store.load().catch(() => undefined);
        const rec = readAgentIdentityRecord(doc?.agent_identity)?.record;
        storedId =
          rec?.agent_runtime_id === identity.runtimeId ? (rec.background_task_id ?? undefined) : undefined;
      }
      if (storedId)
        return this.#setBackground(resolvedTask(identity, storedId, 'background', identity.registeredAt));
      try {
        const task = await withAttempts(this.#ctx.attempts, () =>
          registerTask(this.#ctx, identity, 'background'),
        );
        this.#ctx.logger.info(
          { agentRuntimeId: identity.runtimeId, taskId: task.taskId },
          'registered background agent task',
        );
        const taskId = await this.#persistBackground(identity, task.taskId);
        return this.#setBackground(resolvedTask(identity, taskId, 'background', task.registeredAt));
      } catch (err) {
        if (round === 0 && identityRejected(err)) {
          // The server does not accept this identity (unknown runtime, or the stored key is not the one it
          // registered): drop it and register a new one, once.
          this.#ctx.logger.info(
            { agentRuntimeId: identity.runtimeId, error: describeFailure(err) },
            'agent identity rejected; registering a new one',
          );
          await this.#lifecycle.drop(identity.runtimeId);
          continue;
        }
        this.#lifecycle.enterFallback(err, 'background agent task registration');
        return undefined;
      }
    }
  }

  /** Stores the background task id with the identity; another process's id wins. Returns the id to use. */
  async #persistBackground(identity: AgentIdentity, taskId: string): Promise<string> {
    if (!identity.store) return taskId;
    try {
      return await identity.store.transaction(async (tx) => {
        const doc = tx.current;
        const rec = readAgentIdentityRecord(doc?.agent_identity)?.record;
        if (!doc || !rec || rec.agent_runtime_id !== identity.runtimeId) return taskId;
        if (rec.background_task_id) return rec.background_task_id;
        await tx.write({ ...doc, agent_identity: { ...rec, background_task_id: taskId } });
        return taskId;
      });
    } catch (err) {
      this.#ctx.logger.warn(
        { error: describeFailure(err) },
        'could not persist the background agent task; kept in memory',
      );
      return taskId;
    }
  }

  #setBackground(task: ResolvedTask): ResolvedTask {
    this.#background = task;
    this.#changed();
    return task;
  }

  /**
   * The thread task for `threadId`: registered once (single flight per thread), again when the identity changes.
   * Undefined → agent identity not applicable or the process is on bearer fallback.
   * Rejects with AgentTaskUnavailableError when registration fails (the next call tries again).
   */
  thread(threadId: string): Promise<ResolvedTask | undefined> {
    const warm = this.warmThread(threadId);
    if (warm) return Promise.resolve(warm);
    return this.#threadFlights.run(threadId, () => this.#registerThread(threadId));
  }

  async #registerThread(threadId: string): Promise<ResolvedTask | undefined> {
    let identity = await this.#identityOrFallback();
    for (let round = 0; identity; round++) {
      try {
        const t = await registerTask(this.#ctx, identity, 'thread', threadId);
        const task = resolvedTask(identity, t.taskId, 'thread', t.registeredAt);
        this.#threads.set(threadId, task);
        this.#changed();
        this.#ctx.logger.info(
          { agentRuntimeId: identity.runtimeId, taskId: task.taskId },
          'registered thread agent task',
        );
        for (const l of this.#threadListeners) l(threadId, toPersistedThreadTask(task));
        return task;
      } catch (err) {
        if (round === 0 && identityRejected(err)) {
          await this.#lifecycle.drop(identity.runtimeId);
          identity = await this.#identityOrFallback();
          continue;
        }
        throw new AgentTaskUnavailableError(
          `agent task registration for the thread failed (${describeFailure(err)}); the next request will try again`,
          isRetryable(err),
          { cause: err },
        );
      }
    }
    return undefined;
  }

  /** Accepts a persisted thread task when it was registered for the current identity. */
  async restoreThread(threadId: string, persisted: PersistedThreadTask | undefined | null): Promise<boolean> {
    if (persisted?.kind !== 'thread' || !persisted.taskId) return false;
    const identity = await this.#identityOrFallback();
    if (!identity || identity.runtimeId !== persisted.agentRuntimeId) return false;
    this.#threads.set(threadId, resolvedTask(identity, persisted.taskId, 'thread', persisted.registeredAt));
    this.#changed();
    return true;
  }

  /** Forgets one thread's task (e.g. the thread was closed). */
  forgetThread(threadId: string): void {
    this.#threads.delete(threadId);
    this.#threadFlights.forget(threadId);
    this.#changed();
  }

  /** The server does not know `taskId` any more: drop it wherever it is cached (and the persisted background id). */
  async dropTask(taskId: string): Promise<void> {
    const bg = this.#background;
    if (bg && bg.taskId === taskId) {
      this.#background = undefined;
      await bg.identity.store
        ?.transaction(async (tx) => {
          const doc = tx.current;
          const rec = readAgentIdentityRecord(doc?.agent_identity)?.record;
          if (doc && rec && rec.background_task_id === taskId) {
            const next = { ...rec };
            delete next.background_task_id;
            await tx.write({ ...doc, agent_identity: next });
          }
        })
        .catch(() => {});
    }
    for (const [threadId, task] of this.#threads) {
      if (task.taskId === taskId) this.#threads.delete(threadId);
    }
    this.#changed();
  }

  /** Drops every cached task (identity gone or changed). */
  clear(): void {
    this.#background = undefined;
    this.#threads.clear();
    this.#threadFlights.clear();
    this.#changed();
  }
}
