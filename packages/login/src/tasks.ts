import {
  type AgentTaskId,
  type AgentTaskKind,
  agentTaskId,
  type RegisteredAgentTask,
  RegistrationError,
  registerAgentTask,
} from '@codex-ts/agent-identity';
import { readAgentIdentityRecord } from './auth-json.js';
import { AgentTaskUnavailableError } from './errors.js';
import {
  type AgentIdentity,
  type AgentIdentityLifecycle,
  describeFailure,
  type IdentityHost,
  isRetryable,
  withAttempts,
} from './identity.js';

/** What a thread persists (with its rollout) to reuse its task on resume. No secret in here. */
export interface PersistedThreadTask {
  readonly agentRuntimeId: string;
  readonly taskId: string;
  readonly kind: 'thread';
  readonly registeredAt: string;
}

/** A task ready to sign with. */
export interface ResolvedTask {
  readonly identity: AgentIdentity;
  readonly taskId: AgentTaskId;
  readonly kind: AgentTaskKind;
  readonly registeredAt: string;
  /** `{agentRuntimeId, taskId}` as the signer takes it (prebuilt for the hot path). */
  readonly target: { readonly agentRuntimeId: string; readonly taskId: string };
}

function resolved(
  identity: AgentIdentity,
  taskId: string,
  kind: AgentTaskKind,
  registeredAt: string,
): ResolvedTask {
  const id = agentTaskId(taskId);
  return Object.freeze({
    identity,
    taskId: id,
    kind,
    registeredAt,
    target: Object.freeze({ agentRuntimeId: identity.runtimeId as string, taskId: id as string }),
  });
}

export function toPersistedThreadTask(task: ResolvedTask): PersistedThreadTask {
  return {
    agentRuntimeId: task.identity.runtimeId,
    taskId: task.taskId,
    kind: 'thread',
    registeredAt: task.registeredAt,
  };
}

interface ThreadSlot {
  runtimeId: string;
  readonly promise: Promise<ResolvedTask>;
  value: ResolvedTask | undefined;
}

/**
 * Background task (one per identity, persisted as agent_identity.background_task_id, reused by later
 * processes) and thread tasks (one per thread id, external_task_ref = thread id). Both single-flight.
 */
export class AgentTaskRegistry {
  readonly #host: IdentityHost;
  readonly #lifecycle: AgentIdentityLifecycle;
  #background: ResolvedTask | undefined;
  #backgroundInflight: Promise<ResolvedTask | undefined> | undefined;
  readonly #threads = new Map<string, ThreadSlot>();
  readonly #threadListeners = new Set<(threadId: string, task: PersistedThreadTask) => void>();

  constructor(host: IdentityHost, lifecycle: AgentIdentityLifecycle) {
    this.#host = host;
    this.#lifecycle = lifecycle;
  }

  /** The resolved background task, if it is warm and belongs to the current identity (sync; hot path). */
  get warmBackground(): ResolvedTask | undefined {
    const bg = this.#background;
    return bg !== undefined && bg.identity === this.#lifecycle.current ? bg : undefined;
  }

  /** The warm thread task for `threadId`, if any (sync; hot path). */
  warmThread(threadId: string): ResolvedTask | undefined {
    const v = this.#threads.get(threadId)?.value;
    return v !== undefined && v.identity === this.#lifecycle.current ? v : undefined;
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

  #now(): { now?: Date } {
    const now = this.#host.clock.now();
    return now === undefined ? {} : { now };
  }

  /** The background task (registering identity and task as needed). Undefined → use bearer. */
  background(): Promise<ResolvedTask | undefined> {
    const warm = this.warmBackground;
    if (warm) return Promise.resolve(warm);
    if (this.#backgroundInflight) return this.#backgroundInflight;
    const p = this.#ensureBackground().finally(() => {
      if (this.#backgroundInflight === p) this.#backgroundInflight = undefined;
    });
    this.#backgroundInflight = p;
    return p;
  }

  async #ensureBackground(): Promise<ResolvedTask | undefined> {
    const host = this.#host;
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
        return this.#setBackground(resolved(identity, storedId, 'background', identity.registeredAt));

      let task: RegisteredAgentTask;
      try {
        task = await withAttempts(host.registrationAttempts, host.retryDelayMs, () =>
          this.#register(identity, 'background'),
        );
      } catch (err) {
        if (round === 0 && identityRejected(err)) {
          // The server does not accept this identity (unknown runtime, or the stored key is not the one it
          // registered): drop it and register a new one, once.
          host.logger.info(
            { agentRuntimeId: identity.runtimeId, error: describeFailure(err) },
            'agent identity rejected; registering a new one',
          );
          await this.#lifecycle.drop(identity.runtimeId);
          continue;
        }
        this.#lifecycle.enterFallback(err, 'background agent task registration');
        return undefined;
      }
      host.logger.info(
        { agentRuntimeId: identity.runtimeId, taskId: task.taskId },
        'registered background agent task',
      );
      let taskId: string = task.taskId;
      if (identity.store) {
        try {
          taskId = await identity.store.transaction(async (tx) => {
            const doc = tx.current;
            const rec = readAgentIdentityRecord(doc?.agent_identity)?.record;
            if (!doc || !rec || rec.agent_runtime_id !== identity.runtimeId) return task.taskId;
            if (rec.background_task_id) return rec.background_task_id; // another process won
            await tx.write({ ...doc, agent_identity: { ...rec, background_task_id: task.taskId } });
            return task.taskId;
          });
        } catch (err) {
          host.logger.warn(
            { error: describeFailure(err) },
            'could not persist the background agent task; kept in memory',
          );
        }
      }
      return this.#setBackground(resolved(identity, taskId, 'background', task.registeredAt));
    }
  }

  /**
   * One task registration. When the server rejects the signed timestamp (our clock is off), the clock offset is
   * corrected from the response `Date` (once per process, DESIGN.md point 8) and the registration is sent again.
   */
  async #register(
    identity: AgentIdentity,
    kind: AgentTaskKind,
    externalTaskRef?: string,
  ): Promise<RegisteredAgentTask> {
    const send = () =>
      registerAgentTask({
        authapiBaseUrl: this.#lifecycle.authapiBaseUrl(),
        signer: identity.signer,
        kind,
        ...(externalTaskRef === undefined ? {} : { externalTaskRef }),
        ...this.#now(),
        ...this.#host.http,
      });
    try {
      return await send();
    } catch (err) {
      if (!isClockRejection(err) || !this.#host.clock.correctFromDateHeader(err.serverDate)) throw err;
      this.#host.logger.warn(
        { offsetMs: this.#host.clock.offsetMs, reason: err.authorizationError },
        'server rejected the task-registration timestamp; corrected the clock offset',
      );
      this.#host.invalidate();
      return send();
    }
  }

  #setBackground(task: ResolvedTask): ResolvedTask {
    this.#background = task;
    this.#host.invalidate();
    return task;
  }

  /**
   * The thread task for `threadId`: registered once (single-flight per thread), again when the identity changes.
   * Undefined → agent identity not applicable or the process is on bearer fallback.
   * Throws AgentTaskUnavailableError when registration fails (the next call tries again).
   */
  async thread(threadId: string): Promise<ResolvedTask | undefined> {
    const warm = this.warmThread(threadId);
    if (warm) return warm;
    const identity = await this.#identityOrFallback();
    if (!identity) return undefined;
    const existing = this.#threads.get(threadId);
    if (existing && existing.runtimeId === identity.runtimeId) return existing.promise;

    const host = this.#host;
    const register = async (): Promise<ResolvedTask> => {
      let current = identity;
      for (let round = 0; ; round++) {
        try {
          const t = await this.#register(current, 'thread', threadId);
          slot.runtimeId = current.runtimeId; // slot is assigned below, before this first await resolves
          return resolved(current, t.taskId, 'thread', t.registeredAt);
        } catch (err) {
          if (round === 0 && identityRejected(err)) {
            await this.#lifecycle.drop(current.runtimeId);
            const next = await this.#identityOrFallback();
            if (next) {
              current = next;
              continue;
            }
          }
          throw new AgentTaskUnavailableError(
            `agent task registration for the thread failed (${describeFailure(err)}); the next request will try again`,
            isRetryable(err),
            { cause: err },
          );
        }
      }
    };
    const promise = register();
    const slot: ThreadSlot = { runtimeId: identity.runtimeId, promise, value: undefined };
    this.#threads.set(threadId, slot);
    promise.then(
      (value) => {
        slot.value = value;
        host.logger.info(
          { agentRuntimeId: value.identity.runtimeId, taskId: value.taskId },
          'registered thread agent task',
        );
        for (const l of this.#threadListeners) l(threadId, toPersistedThreadTask(value));
      },
      () => {
        if (this.#threads.get(threadId) === slot) this.#threads.delete(threadId);
      },
    );
    return promise;
  }

  /** Accepts a persisted thread task when it was registered for the current identity. */
  async restoreThread(threadId: string, persisted: PersistedThreadTask | undefined | null): Promise<boolean> {
    if (persisted?.kind !== 'thread' || !persisted.taskId) return false;
    const identity = await this.#identityOrFallback();
    if (!identity || identity.runtimeId !== persisted.agentRuntimeId) return false;
    const value = resolved(identity, persisted.taskId, 'thread', persisted.registeredAt);
    this.#threads.set(threadId, { runtimeId: identity.runtimeId, promise: Promise.resolve(value), value });
    this.#host.invalidate();
    return true;
  }

  /** Forgets one thread's task (e.g. the thread was closed). */
  forgetThread(threadId: string): void {
    this.#threads.delete(threadId);
  }

  /**
   * The server does not know `taskId` any more: drop it wherever it is cached (and the persisted
   * background_task_id when it is that one). Returns true when something was dropped.
   */
  async dropTask(taskId: string): Promise<boolean> {
    let dropped = false;
    const bg = this.#background;
    if (bg && bg.taskId === taskId) {
      this.#background = undefined;
      dropped = true;
      const store = bg.identity.store;
      if (store) {
        await store
          .transaction(async (tx) => {
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
    }
    for (const [threadId, slot] of this.#threads) {
      if (slot.value?.taskId === taskId) {
        this.#threads.delete(threadId);
        dropped = true;
      }
    }
    this.#host.invalidate();
    return dropped;
  }

  /** Drops every cached task (identity gone or changed). */
  clear(): void {
    this.#background = undefined;
    this.#threads.clear();
    this.#host.invalidate();
  }
}

const CLOCK_REASONS = new Set(['stale_timestamp', 'future_timestamp']);

/** A 401 whose reason is the signed timestamp (the server's clock and ours disagree). */
function isClockRejection(err: unknown): err is RegistrationError {
  return (
    err instanceof RegistrationError &&
    err.status === 401 &&
    err.authorizationError !== undefined &&
    CLOCK_REASONS.has(err.authorizationError)
  );
}

/** A task registration the server refused because of the identity itself (not a transient failure). */
export function identityRejected(err: unknown): boolean {
  const e = err as { status?: number; body?: string } | undefined;
  if (e?.status !== 401 && e?.status !== 404) return false;
  let code: unknown;
  try {
    code = (JSON.parse(e.body ?? '') as { error?: { code?: unknown } }).error?.code;
  } catch {
    code = undefined;
  }
  return code === undefined || code === 'unknown_runtime' || code === 'bad_signature';
}
