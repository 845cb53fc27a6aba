import { type AgentTaskId, type AgentTaskKind, agentTaskId } from '@codex-ts/agent-identity';
import type { AgentIdentity } from './agent-identity.js';

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

export function resolvedTask(
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
