import { inspect } from 'node:util';
import {
  AgentKey,
  type AgentRuntimeId,
  type AgentSigner,
  agentRegistrationUrl,
  buildAbom,
  createAgentSigner,
  fetchAgentBiscuit,
  formatAgentTimestamp,
  type HttpOptions,
  normalizeChatgptBaseUrl,
  registerAgentIdentity,
  resolveAuthapiBaseUrl,
} from '@codex-ts/agent-identity';
import type { CodexAuth } from './auth.js';
import { type AgentIdentityRecord, type AuthDotJson, readAgentIdentityRecord } from './auth-json.js';
import type { AgentClock } from './clock.js';
import type { LoginConfig } from './config.js';
import { NotLoggedInError } from './errors.js';
import type { Logger } from './logger.js';
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

/** Why a stored record cannot be used (it is then removed and a new identity registered). */
export function validateStoredIdentity(
  value: unknown,
  binding: IdentityBinding,
):
  | { ok: true; record: AgentIdentityRecord; signer: AgentSigner }
  | { ok: false; reason: string }
  | undefined {
  const read = readAgentIdentityRecord(value);
  if (read === undefined) return undefined;
  if (read.record === undefined) return { ok: false, reason: read.invalid };
  const record = read.record;
  if (record.workspace_id !== binding.workspaceId)
    return { ok: false, reason: 'stored identity belongs to another workspace' };
  if (
    binding.chatgptUserId !== undefined &&
    (record.chatgpt_user_id ?? undefined) !== binding.chatgptUserId
  ) {
    return { ok: false, reason: 'stored identity belongs to another user' };
  }
  let signer: AgentSigner;
  try {
    const key = AgentKey.fromPkcs8Base64(record.agent_private_key);
    signer = createAgentSigner({ agentRuntimeId: record.agent_runtime_id, key });
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'invalid_key';
    return { ok: false, reason: `stored identity key is unusable (${code})` };
  }
  return { ok: true, record, signer };
}

type ValidStoredIdentity = Extract<ReturnType<typeof validateStoredIdentity>, { ok: true }>;

function storedIdentity(
  valid: ValidStoredIdentity,
  binding: IdentityBinding,
  store: AuthStore,
): AgentIdentity {
  return new AgentIdentity({
    signer: valid.signer,
    binding,
    registeredAt: valid.record.registered_at,
    store,
    storedBackgroundTaskId: valid.record.background_task_id ?? undefined,
  });
}

/** What the lifecycle needs from the AuthManager. */
export interface IdentityHost {
  readonly config: LoginConfig;
  readonly env: NodeJS.ProcessEnv;
  readonly logger: Logger;
  readonly http: HttpOptions;
  readonly clock: AgentClock;
  readonly sessionSource: string;
  readonly version: string;
  readonly registrationAttempts: number;
  readonly retryDelayMs: number;
  auth(): Promise<CodexAuth | undefined>;
  storeFor(auth: CodexAuth): AuthStore | undefined;
  /** Invalidate hot-path caches (identity/task/fallback changed). */
  invalidate(): void;
}

export interface FallbackState {
  readonly reason: string;
  readonly since: string;
}

export function isRetryable(err: unknown): boolean {
  return (err as { retryable?: unknown } | undefined)?.retryable === true;
}

/** Safe one-line description of a registration failure (no bodies, no secrets). */
export function describeFailure(err: unknown): string {
  const e = err as { operation?: string; code?: string; status?: number; name?: string };
  if (e && typeof e.code === 'string') {
    return `${e.operation ?? e.name ?? 'error'}: ${e.code}${e.status !== undefined ? ` ${e.status}` : ''}`;
  }
  return (err as Error)?.name ?? 'error';
}

const sleep = (ms: number) => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());

/** Runs `op` up to `attempts` times while it fails with a retryable error. */
export async function withAttempts<T>(attempts: number, delayMs: number, op: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await op();
    } catch (err) {
      if (attempt >= attempts || !isRetryable(err)) throw err;
      await sleep(delayMs * attempt);
    }
  }
}

function withoutIdentity(doc: AuthDotJson): AuthDotJson {
  const next = { ...doc };
  delete next.agent_identity;
  return next;
}

/**
 * The agent identity of this process: load + validate the stored record, register one with the
 * biscuit flow when needed (single-flight), persist it, and drop it when the server forgets it.
 */
export class AgentIdentityLifecycle {
  readonly #host: IdentityHost;
  #identity: AgentIdentity | undefined;
  #inflight: Promise<AgentIdentity | undefined> | undefined;
  #fallback: FallbackState | undefined;
  #persistWarned = false;

  constructor(host: IdentityHost) {
    this.#host = host;
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
      ? `${what} failed ${this.#host.registrationAttempts} time(s) (${describeFailure(err)})`
      : `${what} failed (${describeFailure(err)})`;
    this.#fallback = { reason, since: new Date().toISOString() };
    this.#host.logger.warn({ reason }, 'agent identity unavailable; falling back to bearer authorization');
    this.#host.invalidate();
  }

  /** Leave fallback (auth changed, or an explicit retry). */
  resetFallback(): void {
    this.#fallback = undefined;
    this.#host.invalidate();
  }

  /** Forget the cached identity (another account logged in). */
  forget(): void {
    this.#identity = undefined;
    this.#host.invalidate();
  }

  /**
   * The identity for the current ChatGPT auth, registering one if needed. Undefined when not applicable
   * (no ChatGPT auth, no account). Throws the registration error after the attempts are used up.
   */
  ensure(): Promise<AgentIdentity | undefined> {
    if (this.#inflight) return this.#inflight;
    const p = this.#ensure().finally(() => {
      if (this.#inflight === p) this.#inflight = undefined;
    });
    this.#inflight = p;
    return p;
  }

  async #ensure(): Promise<AgentIdentity | undefined> {
    const host = this.#host;
    const auth = await host.auth();
    if (!auth?.isChatgpt()) return undefined;
    const binding = identityBindingFor(auth, host.config.forcedChatgptWorkspaceId);
    if (!binding) return undefined;
    if (this.#identity?.matches(binding)) return this.#identity;
    this.#identity = undefined;
    const store = host.storeFor(auth);

    const stored = store ? await this.#loadOrClean(store, binding) : undefined;
    if (stored) return this.#adopt(stored);

    const base = host.config.chatgptBaseUrl;
    const key = AgentKey.generate();
    const runtimeId = await withAttempts(host.registrationAttempts, host.retryDelayMs, async () => {
      const fresh = await host.auth();
      if (!fresh?.isChatgpt())
        throw new NotLoggedInError('ChatGPT auth went away during agent identity registration');
      const biscuit = await fetchAgentBiscuit({
        chatgptBaseUrl: base,
        accessToken: fresh.token(),
        originalMethod: 'POST',
        originalUrl: agentRegistrationUrl(base),
        ...host.http,
      });
      return registerAgentIdentity({
        chatgptBaseUrl: base,
        biscuit,
        publicKeySsh: key.publicKeySsh,
        abom: buildAbom({ sessionSource: host.sessionSource, version: host.version }),
        ...host.http,
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
    host.logger.info(
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
    // Persist, unless another process stored a valid identity for this binding meanwhile (then use theirs),
    // or the stored credentials now belong to someone else (then keep ours in memory only).
    try {
      const winner = await store.transaction(async (tx) => {
        const doc = tx.current;
        if (!doc?.tokens) return undefined;
        const existing = validateStoredIdentity(doc.agent_identity, binding);
        if (existing?.ok) return existing;
        const docAccount = doc.tokens.account_id ?? undefined;
        if (
          docAccount !== undefined &&
          host.config.forcedChatgptWorkspaceId === undefined &&
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
        host.logger.warn(
          { store: store.location, error: describeFailure(err) },
          'could not persist the agent identity; it is kept in memory for this process',
        );
      }
      return this.#adopt(fresh(undefined));
    }
  }

  #adopt(identity: AgentIdentity): AgentIdentity {
    this.#identity = identity;
    this.#host.invalidate();
    return identity;
  }

  /** Reads the stored record; a valid one is returned, an invalid one removed (under the lock). */
  async #loadOrClean(store: AuthStore, binding: IdentityBinding): Promise<AgentIdentity | undefined> {
    const doc = await store.load();
    const first = validateStoredIdentity(doc?.agent_identity, binding);
    if (first === undefined) return undefined;
    if (first.ok) return storedIdentity(first, binding, store);
    return store.transaction(async (tx) => {
      const current = tx.current;
      const again = validateStoredIdentity(current?.agent_identity, binding);
      if (again?.ok) return storedIdentity(again, binding, store);
      if (again && current) {
        this.#host.logger.info(
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
    this.#host.invalidate();
    const store = identity?.store;
    if (!store) return;
    await store
      .transaction(async (tx) => {
        const doc = tx.current;
        const rec = readAgentIdentityRecord(doc?.agent_identity);
        if (doc && rec?.record?.agent_runtime_id === runtimeId) await tx.write(withoutIdentity(doc));
      })
      .catch((err) => {
        this.#host.logger.warn(
          { error: describeFailure(err) },
          'could not remove the forgotten agent identity from storage',
        );
      });
  }

  /** Task-registration base URL: CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL or the normalized ChatGPT base URL. */
  authapiBaseUrl(): string {
    return resolveAuthapiBaseUrl(this.#host.config.chatgptBaseUrl, this.#host.env);
  }

  normalizedBaseUrl(): string {
    return normalizeChatgptBaseUrl(this.#host.config.chatgptBaseUrl);
  }
}
