import { AgentKey, type AgentSigner, createAgentSigner } from '@codex-ts/agent-identity';
import { AgentIdentity, type IdentityBinding } from './agent-identity.js';
import { type AgentIdentityRecord, type AuthDotJson, readAgentIdentityRecord } from './auth-json.js';
import type { AuthStore } from './storage.js';

/**
 * What the stored `agent_identity` record is worth for `binding`:
 * - `ok`: usable (the key parsed once, into a signer);
 * - `keep`: valid, but for another workspace of the same credentials (e.g. a `forced_chatgpt_workspace_id` that
 *   names another one): not used, and neither removed nor overwritten, so setting the config back reuses it;
 * - `unusable`: corrupt, another user, another account, a key that does not parse: removed, a new one registered;
 * - undefined: there is none.
 */
export type StoredIdentityVerdict =
  | { readonly kind: 'ok'; readonly record: AgentIdentityRecord; readonly signer: AgentSigner }
  | { readonly kind: 'keep'; readonly reason: string }
  | { readonly kind: 'unusable'; readonly reason: string };

/** `credentialsAccountId`: the account of the stored credentials (the token's `account_id`). */
export function judgeStoredIdentity(
  value: unknown,
  binding: IdentityBinding,
  credentialsAccountId: string | undefined,
): StoredIdentityVerdict | undefined {
  const read = readAgentIdentityRecord(value);
  if (read === undefined) return undefined;
  if (read.record === undefined) return { kind: 'unusable', reason: read.invalid };
  const record = read.record;
  if (record.workspace_id !== binding.workspaceId) {
    return record.workspace_id === credentialsAccountId
      ? { kind: 'keep', reason: 'stored identity belongs to another workspace of this account' }
      : { kind: 'unusable', reason: 'stored identity belongs to another workspace' };
  }
  if (
    binding.chatgptUserId !== undefined &&
    (record.chatgpt_user_id ?? undefined) !== binding.chatgptUserId
  ) {
    return { kind: 'unusable', reason: 'stored identity belongs to another user' };
  }
  let signer: AgentSigner;
  try {
    const key = AgentKey.fromPkcs8Base64(record.agent_private_key);
    signer = createAgentSigner({ agentRuntimeId: record.agent_runtime_id, key });
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'invalid_key';
    return { kind: 'unusable', reason: `stored identity key is unusable (${code})` };
  }
  return { kind: 'ok', record, signer };
}

/** The identity a usable verdict describes. */
export function storedIdentity(
  verdict: Extract<StoredIdentityVerdict, { kind: 'ok' }>,
  binding: IdentityBinding,
  store: AuthStore,
): AgentIdentity {
  return new AgentIdentity({
    signer: verdict.signer,
    binding,
    registeredAt: verdict.record.registered_at,
    store,
    storedBackgroundTaskId: verdict.record.background_task_id ?? undefined,
  });
}

export function withoutIdentity(doc: AuthDotJson): AuthDotJson {
  const next = { ...doc };
  delete next.agent_identity;
  return next;
}
