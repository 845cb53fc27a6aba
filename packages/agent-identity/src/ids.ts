import { AgentIdentityError } from './errors.js';

/** Branded identifiers, so a task id cannot be passed where a runtime id is expected. */
export type AgentRuntimeId = string & { readonly __brand: 'AgentRuntimeId' };
export type AgentTaskId = string & { readonly __brand: 'AgentTaskId' };
export type AgentTaskExternalRef = string & { readonly __brand: 'AgentTaskExternalRef' };

export type AgentTaskKind = 'thread' | 'background';

export interface RegisteredAgentTask {
  agentRuntimeId: AgentRuntimeId;
  taskId: AgentTaskId;
  kind: AgentTaskKind;
  externalTaskRef?: AgentTaskExternalRef;
  /** RFC 3339, whole seconds, `Z`. */
  registeredAt: string;
}

function nonEmpty(what: string, value: string): void {
  if (typeof value !== 'string' || value.length === 0) {
    throw new AgentIdentityError('invalid_id', `${what} must be a non-empty string`);
  }
}

export function agentRuntimeId(value: string): AgentRuntimeId {
  nonEmpty('agent runtime id', value);
  return value as AgentRuntimeId;
}

export function agentTaskId(value: string): AgentTaskId {
  nonEmpty('agent task id', value);
  return value as AgentTaskId;
}

export function agentTaskExternalRef(value: string): AgentTaskExternalRef {
  nonEmpty('agent task external ref', value);
  return value as AgentTaskExternalRef;
}
