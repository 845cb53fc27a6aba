import { inspect } from 'node:util';
import type { AgentRuntimeId, AgentSigner } from '@codex-ts/agent-identity';
import type { CodexAuth } from './auth.js';
import type { AuthStore } from './storage.js';

/** The account an identity is bound to: forced workspace, else the token's account; plus the ChatGPT user. */
export interface IdentityBinding {
  readonly workspaceId: string;
  readonly chatgptUserId: string | undefined;
}

export function identityBindingFor(
  auth: CodexAuth,
  forcedWorkspaceId: string | undefined,
): IdentityBinding | undefined {
  if (!auth.isChatgpt()) return undefined;
  const workspaceId = forcedWorkspaceId || auth.accountId();
  if (!workspaceId) return undefined;
  return { workspaceId, chatgptUserId: auth.chatgptUserId() };
}

export function sameBinding(a: IdentityBinding | undefined, b: IdentityBinding | undefined): boolean {
  return a?.workspaceId === b?.workspaceId && a?.chatgptUserId === b?.chatgptUserId;
}

/** A usable agent identity: its runtime id and a signer with the parsed key (cached for the hot path). */
export class AgentIdentity {
  readonly runtimeId: AgentRuntimeId;
  readonly signer: AgentSigner;
  readonly binding: IdentityBinding;
  readonly registeredAt: string;
  /** Store it is persisted in (undefined: memory only). */
  readonly store: AuthStore | undefined;
  /** background_task_id seen in the stored record when this identity was loaded/registered. */
  readonly storedBackgroundTaskId: string | undefined;

  constructor(o: {
    signer: AgentSigner;
    binding: IdentityBinding;
    registeredAt: string;
    store: AuthStore | undefined;
    storedBackgroundTaskId: string | undefined;
  }) {
    this.signer = o.signer;
    this.runtimeId = o.signer.agentRuntimeId;
    this.binding = o.binding;
    this.registeredAt = o.registeredAt;
    this.store = o.store;
    this.storedBackgroundTaskId = o.storedBackgroundTaskId;
  }

  matches(binding: IdentityBinding): boolean {
    return (
      this.binding.workspaceId === binding.workspaceId &&
      (binding.chatgptUserId === undefined || this.binding.chatgptUserId === binding.chatgptUserId)
    );
  }

  toJSON(): Record<string, unknown> {
    return {
      agentRuntimeId: this.runtimeId,
      workspaceId: this.binding.workspaceId,
      registeredAt: this.registeredAt,
    };
  }

  [inspect.custom](): string {
    return `AgentIdentity ${inspect(this.toJSON())}`;
  }
}
