import {
  AgentKey,
  agentRegistrationUrl,
  buildAbom,
  createAgentSigner,
  fetchAgentBiscuit,
  formatAgentTimestamp,
  registerAgentIdentity,
} from '@codex-ts/agent-identity';
import { AuthUnavailableError } from '@codex-ts/auth-provider';
import { AgentIdentity, type IdentityBinding, identityBindingFor } from './agent-identity.js';
import { isRetryable, withAttempts } from './attempts.js';
import { type AgentIdentityRecord, readAgentIdentityRecord } from './auth-json.js';
import { describeFailure } from './failure.js';
import type { IdentityContext } from './identity-context.js';
import { SingleFlight } from './single-flight.js';
import type { AuthStore } from './storage.js';
import { judgeStoredIdentity, storedIdentity, withoutIdentity } from './stored-identity.js';

export interface FallbackState {
  readonly reason: string;
  readonly since: string;
}

/**
 * The agent identity of this process: load + validate the stored record, register one with the biscuit flow
 * when needed (single flight), persist it, drop it when the server forgets it, and the bearer fallback after
 * registration failed. `version` changes whenever the identity or the fallback does.
 */
export class AgentIdentityLifecycle {
  readonly #ctx: IdentityContext;
  readonly #flight = new SingleFlight<AgentIdentity | undefined>();
  #identity: AgentIdentity | undefined;
  #fallback: FallbackState | undefined;
  #persistWarned = false;
  #version = 0;

  constructor(ctx: IdentityContext) {
    this.#ctx = ctx;
  }

  get version(): number {
    return this.#version;
  }

  get current(): AgentIdentity | undefined {
    return this.#identity;
  }

  get fallback(): FallbackState | undefined {
    return this.#fallback;
  }

  /** The process gives up on agent identity (bearer from now on) and says so once. */
  enterFallback(err: unknown, what: string): void {
    if (this.#fallback) return;
    const reason = isRetryable(err)
      ? `${what} failed ${this.#ctx.attempts.attempts} time(s) (${describeFailure(err)})`
      : `${what} failed (${describeFailure(err)})`;
    this.#fallback = { reason, since: new Date().toISOString() };
    this.#ctx.logger.warn({ reason }, 'agent identity unavailable; falling back to bearer authorization');
    this.#version++;
  }

  /** Leave fallback (account changed, or an explicit retry). */
  resetFallback(): void {
    this.#fallback = undefined;
    this.#version++;
  }

  /** Forget the cached identity (another account logged in). */
  forget(): void {
    this.#identity = undefined;
    this.#version++;
  }

  /**
   * The identity for the current ChatGPT auth, registering one if needed. Undefined when not applicable
   * (no ChatGPT auth, no account). Throws the registration error after the attempts are used up.
   */
  ensure(): Promise<AgentIdentity | undefined> {
    return this.#flight.run(() => this.#ensure());
  }

  async #ensure(): Promise<AgentIdentity | undefined> {
    const ctx = this.#ctx;
    const auth = await ctx.refresher.fresh();
    if (!auth?.isChatgpt()) return undefined;
    const binding = identityBindingFor(auth, ctx.config.forcedChatgptWorkspaceId);
    if (!binding) return undefined;
    if (this.#identity?.matches(binding)) return this.#identity;
    this.#identity = undefined;
    const store = ctx.credentials.storeFor(auth);
    const stored = store ? await this.#loadOrClean(store, binding, auth.accountId()) : undefined;
    if (stored) return this.#adopt(stored);
    return this.#register(binding, store);
  }

  async #register(binding: IdentityBinding, store: AuthStore | undefined): Promise<AgentIdentity> {
    const ctx = this.#ctx;
    const base = ctx.config.chatgptBaseUrl;
    const key = AgentKey.generate();
    const runtimeId = await withAttempts(ctx.attempts, async () => {
      const fresh = await ctx.refresher.fresh();
      if (!fresh?.isChatgpt()) {
        throw new AuthUnavailableError(
          'not_logged_in',
          'ChatGPT auth went away during agent identity registration',
        );
      }
      const biscuit = await fetchAgentBiscuit({
        chatgptBaseUrl: base,
        accessToken: fresh.token(),
        originalMethod: 'POST',
        originalUrl: agentRegistrationUrl(base),
        ...ctx.http,
      });
      return registerAgentIdentity({
        chatgptBaseUrl: base,
        biscuit,
        publicKeySsh: key.publicKeySsh,
        abom: buildAbom({ sessionSource: ctx.sessionSource, version: ctx.version }),
        ...ctx.http,
      });
    });
    const registeredAt = formatAgentTimestamp(new Date());
    const record: AgentIdentityRecord = {
      workspace_id: binding.workspaceId,
      ...(binding.chatgptUserId !== undefined ? { chatgpt_user_id: binding.chatgptUserId } : {}),
      agent_runtime_id: runtimeId,
      agent_private_key: key.toPkcs8Base64(),
      registered_at: registeredAt,
    };
    const signer = createAgentSigner({ agentRuntimeId: runtimeId, key });
    ctx.logger.info(
      { agentRuntimeId: runtimeId, workspaceId: binding.workspaceId },
      'registered agent identity',
    );
    const fresh = (persistedIn: AuthStore | undefined) =>
      new AgentIdentity({
        signer,
        binding,
        registeredAt,
        store: persistedIn,
        storedBackgroundTaskId: undefined,
      });
    if (!store) return this.#adopt(fresh(undefined));
    // Persist, unless another process stored a valid identity for this binding meanwhile (then use theirs), the
    // stored credentials now belong to someone else, or the slot holds a record to keep (then ours stays in memory).
    try {
      const winner = await store.transaction(async (tx) => {
        const doc = tx.current;
        if (!doc?.tokens) return undefined;
        const docAccount = doc.tokens.account_id ?? undefined;
        const existing = judgeStoredIdentity(doc.agent_identity, binding, docAccount);
        if (existing?.kind === 'ok') return existing;
        if (existing?.kind === 'keep') return undefined;
        if (
          docAccount !== undefined &&
          ctx.config.forcedChatgptWorkspaceId === undefined &&
          docAccount !== binding.workspaceId
        ) {
          return undefined;
        }
        await tx.write({ ...doc, agent_identity: record });
        return 'written' as const;
      });
      if (winner && winner !== 'written') return this.#adopt(storedIdentity(winner, binding, store));
      return this.#adopt(fresh(winner === 'written' ? store : undefined));
    } catch (err) {
      if (!this.#persistWarned) {
        this.#persistWarned = true;
        ctx.logger.warn(
          { store: store.location, error: describeFailure(err) },
          'could not persist the agent identity; it is kept in memory for this process',
        );
      }
      return this.#adopt(fresh(undefined));
    }
  }

  #adopt(identity: AgentIdentity): AgentIdentity {
    this.#identity = identity;
    this.#version++;
    return identity;
  }

  /** Reads the stored record; a usable one is returned, an unusable one removed (under the lock), one to keep kept. */
  async #loadOrClean(
    store: AuthStore,
    binding: IdentityBinding,
    accountId: string | undefined,
  ): Promise<AgentIdentity | undefined> {
    const doc = await store.load();
    const first = judgeStoredIdentity(doc?.agent_identity, binding, accountId);
    if (first === undefined || first.kind === 'keep') return undefined;
    if (first.kind === 'ok') return storedIdentity(first, binding, store);
    return store.transaction(async (tx) => {
      const current = tx.current;
      const again = judgeStoredIdentity(current?.agent_identity, binding, accountId);
      if (again?.kind === 'ok') return storedIdentity(again, binding, store);
      if (again?.kind === 'unusable' && current) {
        this.#ctx.logger.info(
          { reason: again.reason },
          'removing stored agent identity; a new one will be registered',
        );
        await tx.write(withoutIdentity(current));
      }
      return undefined;
    });
  }

  /** The server no longer knows `runtimeId`: remove it (memory and store, if still the stored one). */
  async drop(runtimeId: string): Promise<void> {
    const identity = this.#identity;
    if (identity && identity.runtimeId === runtimeId) this.#identity = undefined;
    this.#version++;
    const store = identity?.store;
    if (!store) return;
    await store
      .transaction(async (tx) => {
        const doc = tx.current;
        const rec = readAgentIdentityRecord(doc?.agent_identity);
        if (doc && rec?.record?.agent_runtime_id === runtimeId) await tx.write(withoutIdentity(doc));
      })
      .catch((err) => {
        this.#ctx.logger.warn(
          { error: describeFailure(err) },
          'could not remove the forgotten agent identity from storage',
        );
      });
  }
}
