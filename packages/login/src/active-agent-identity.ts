import { type IdentityBinding, identityBindingFor, sameBinding } from './agent-identity.js';
import type { AgentIdentityService, AssertionRejection, TaskScope } from './agent-identity-service.js';
import type { IdentityContext } from './identity-context.js';
import { AgentIdentityLifecycle, type FallbackState } from './identity-lifecycle.js';
import type { PersistedThreadTask, ResolvedTask } from './resolved-task.js';
import { AgentTaskRegistry } from './task-registry.js';

/**
 * Agent identity on: the identity lifecycle and the task registry, kept in step with the credentials (another
 * account or workspace drops the identity, its tasks and the fallback) by comparing the credentials' version.
 */
export class ActiveAgentIdentity implements AgentIdentityService {
  readonly enabled = true;
  readonly #ctx: IdentityContext;
  readonly #lifecycle: AgentIdentityLifecycle;
  readonly #tasks: AgentTaskRegistry;
  #credentialsVersion = -1;
  #binding: IdentityBinding | undefined;

  constructor(ctx: IdentityContext) {
    this.#ctx = ctx;
    this.#lifecycle = new AgentIdentityLifecycle(ctx);
    this.#tasks = new AgentTaskRegistry(ctx, this.#lifecycle);
  }

  /** Another account or workspace since last time: forget identity, tasks and fallback. */
  #sync(): void {
    const credentials = this.#ctx.credentials;
    if (credentials.version === this.#credentialsVersion) return;
    this.#credentialsVersion = credentials.version;
    const a = credentials.current;
    const binding = a ? identityBindingFor(a, this.#ctx.config.forcedChatgptWorkspaceId) : undefined;
    if (sameBinding(binding, this.#binding)) return;
    this.#binding = binding;
    this.#lifecycle.forget();
    this.#tasks.clear();
    this.#lifecycle.resetFallback();
  }

  get version(): number {
    this.#sync();
    return this.#lifecycle.version + this.#tasks.version;
  }

  get fallback(): FallbackState | undefined {
    this.#sync();
    return this.#lifecycle.fallback;
  }

  get currentRuntimeId(): string | undefined {
    this.#sync();
    return this.#lifecycle.current?.runtimeId;
  }

  get backgroundPending(): Promise<ResolvedTask | undefined> | undefined {
    return this.#tasks.backgroundPending;
  }

  warmTask(scope: TaskScope): ResolvedTask | undefined {
    return scope.kind === 'thread' ? this.#tasks.warmThread(scope.threadId) : this.#tasks.warmBackground;
  }

  background(): Promise<ResolvedTask | undefined> {
    this.#sync();
    return this.#tasks.background();
  }

  thread(threadId: string): Promise<ResolvedTask | undefined> {
    this.#sync();
    return this.#tasks.thread(threadId);
  }

  restoreThread(threadId: string, persisted: PersistedThreadTask | undefined | null): Promise<boolean> {
    this.#sync();
    return this.#tasks.restoreThread(threadId, persisted);
  }

  forgetThread(threadId: string): void {
    this.#tasks.forgetThread(threadId);
  }

  onThreadTask(listener: (threadId: string, task: PersistedThreadTask) => void): () => void {
    return this.#tasks.onThreadTask(listener);
  }

  retry(): void {
    this.#lifecycle.resetFallback();
  }

  async recover(rejection: AssertionRejection): Promise<boolean> {
    const { logger, clock } = this.#ctx;
    const { reason, agentRuntimeId, taskId } = rejection;
    switch (reason) {
      case 'stale_timestamp':
      case 'future_timestamp': {
        const corrected = clock.correctFromDateHeader(rejection.dateHeader);
        if (corrected) {
          logger.warn(
            { offsetMs: clock.offsetMs, reason },
            'server rejected the assertion timestamp; corrected the clock offset',
          );
        }
        return corrected;
      }
      case 'unknown_task':
        logger.info({ agentRuntimeId, taskId }, 'server does not know the agent task; registering again');
        // After this the task is cached nowhere, so the retry carries a newly registered one.
        await this.#tasks.dropTask(taskId);
        return !this.#lifecycle.fallback;
      case 'unknown_runtime':
      case 'bad_signature': {
        // bad_signature: the stored key is not the one the server registered for this runtime.
        const current = this.#lifecycle.current;
        if (current && current.runtimeId !== agentRuntimeId) return true; // already replaced
        logger.info({ agentRuntimeId }, 'server does not know the agent identity; registering again');
        this.#tasks.clear();
        await this.#lifecycle.drop(agentRuntimeId);
        return !this.#lifecycle.fallback;
      }
      default:
        return false;
    }
  }
}
