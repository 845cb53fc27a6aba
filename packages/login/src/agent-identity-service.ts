import type { FallbackState } from './identity-lifecycle.js';
import type { PersistedThreadTask, ResolvedTask } from './resolved-task.js';

/** Which task a request signs with. */
export type TaskScope =
  | { readonly kind: 'background' }
  | { readonly kind: 'thread'; readonly threadId: string };

/** What a 401 to an AgentAssertion said: the reason on the wire, the claims of the assertion sent, the `Date`. */
export interface AssertionRejection {
  readonly reason: string | undefined;
  readonly agentRuntimeId: string;
  readonly taskId: string;
  readonly dateHeader: string | null;
}

/**
 * The agent identity side of login: identity, background and thread tasks, bearer fallback. Built when
 * `features.use_agent_identity` is on at `AuthManager.create`; a null object (`disabledAgentIdentity`, disabled-agent-identity.ts) otherwise.
 */
export interface AgentIdentityService {
  readonly enabled: boolean;
  /** Changes whenever an identity, a task or the fallback does (the warm header cache compares it). */
  readonly version: number;
  readonly fallback: FallbackState | undefined;
  /** The identity this process uses, if it has one in memory. */
  readonly currentRuntimeId: string | undefined;
  /** The cached task for `scope` (sync; hot path). */
  warmTask(scope: TaskScope): ResolvedTask | undefined;
  /** The background registration in flight, if any. */
  readonly backgroundPending: Promise<ResolvedTask | undefined> | undefined;
  /** The background task, registering what is needed; undefined → bearer. */
  background(): Promise<ResolvedTask | undefined>;
  /** The thread task; undefined → bearer; rejects with AgentTaskUnavailableError when registration fails. */
  thread(threadId: string): Promise<ResolvedTask | undefined>;
  restoreThread(threadId: string, persisted: PersistedThreadTask | undefined | null): Promise<boolean>;
  forgetThread(threadId: string): void;
  onThreadTask(listener: (threadId: string, task: PersistedThreadTask) => void): () => void;
  /** Leave bearer fallback so the next call registers again. */
  retry(): void;
  /** A 401 to an assertion: drop what the server forgot, or correct the clock. True when one retry may succeed. */
  recover(rejection: AssertionRejection): Promise<boolean>;
}
