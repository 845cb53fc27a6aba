import { rm } from 'node:fs/promises';
import { inspect } from 'node:util';
import { resolveAuthapiBaseUrl } from '@codex-ts/agent-identity';
import { type AuthProvider, AuthUnavailableError } from '@codex-ts/auth-provider';
import type { Dispatcher } from 'undici';
import { type AuthMode, type AuthSource, CodexAuth } from './auth.js';
import { type AuthDotJson, readAgentIdentityRecord } from './auth-json.js';
import { Authorizer } from './authorizer.js';
import { AgentClock } from './clock.js';
import { type LoginConfig, loadLoginConfig } from './config.js';
import { CredentialDestinations } from './destinations.js';
import { RefreshTokenError } from './errors.js';
import { resolveCodexHome } from './home.js';
import {
  AgentIdentityLifecycle,
  describeFailure,
  type FallbackState,
  type IdentityBinding,
  type IdentityHost,
  identityBindingFor,
} from './identity.js';
import { defaultLogger, type Logger } from './logger.js';
import {
  BackgroundAuthProvider,
  BearerOnlyAuthProvider,
  ChatgptAuthProvider,
  ThreadAuthProvider,
} from './providers.js';
import { UnauthorizedRecovery, type UnauthorizedRecoveryStep } from './recovery.js';
import {
  REFRESH_WINDOW_MS,
  type RefreshedTokens,
  refreshTokenUrl,
  requestTokenRefresh,
  TOKEN_REFRESH_INTERVAL_MS,
} from './refresh.js';
import { type AuthStore, EphemeralAuthStore, FileAuthStore, updateAuthStore } from './storage.js';
import { AgentTaskRegistry, type PersistedThreadTask, toPersistedThreadTask } from './tasks.js';
import { LOGIN_PACKAGE_VERSION } from './version.js';

/** Tokens a host application supplies for `chatgptAuthTokens` mode (held in memory only). */
export interface ExternalChatgptTokens {
  idToken: string;
  accessToken: string;
  accountId?: string;
}

export interface AuthManagerOptions {
  /** Default: `$CODEX_HOME`, else `~/.codex`. */
  codexHome?: string;
  /** Environment to read overrides from (default `process.env`; tests pass their own). */
  env?: NodeJS.ProcessEnv;
  /** Overrides applied on top of config.toml. */
  config?: Partial<LoginConfig>;
  /** A custom credential store (default from `cli_auth_credentials_store`). */
  store?: AuthStore;
  /** pino-compatible logger (default: pino to stderr at 'warn', with redaction). */
  logger?: Logger;
  /** fetch used for the OAuth refresh (default global fetch). */
  fetch?: typeof fetch;
  /** undici dispatcher for the registration calls. */
  dispatcher?: Dispatcher;
  /** Timeout for each registration call (defaults: biscuit/identity 15 s, task 30 s). */
  registrationTimeoutMs?: number;
  /** ABOM session source: 'cli' (default), 'vscode', 'exec', 'mcp', … */
  sessionSource?: string;
  /** ABOM agent_version (default this package's version). */
  version?: string;
  /** Honour `CODEX_API_KEY` (default true). */
  enableCodexApiKeyEnv?: boolean;
  /** Attempts for identity/background-task registration before falling back to bearer (default 3). */
  registrationAttempts?: number;
  /** Delay before retry n is n × this (default 250 ms). */
  registrationRetryDelayMs?: number;
  /**
   * How long a default/background call waits for the identity and background task before it is served
   * with bearer instead (registration goes on in the background). Default 8000 ms. Thread calls always wait.
   */
  registrationWaitMs?: number;
  /** Refreshes host-supplied ChatGPT tokens after a 401 (chatgptAuthTokens mode). */
  refreshExternalTokens?: (context: {
    previousAccountId: string | undefined;
  }) => Promise<ExternalChatgptTokens>;
  /** More origins (scheme://host[:port]) that may receive bearer credentials. */
  trustedOrigins?: readonly string[];
}

/** What `status()` reports. No secrets. */
export interface AuthStatus {
  readonly loggedIn: boolean;
  readonly mode: AuthMode | undefined;
  readonly source: AuthSource | undefined;
  readonly store: string;
  readonly accountId: string | undefined;
  readonly email: string | undefined;
  readonly plan: string | undefined;
  readonly fedramp: boolean;
  readonly agentIdentity: {
    readonly enabled: boolean;
    /** off: flag off. not_applicable: not ChatGPT auth / no account. fallback: on bearer after failures.
     *  active: identity and background task cached. registered: stored identity, not yet used by this process.
     *  unregistered: nothing registered yet. */
    readonly state: 'off' | 'not_applicable' | 'fallback' | 'active' | 'registered' | 'unregistered';
    readonly agentRuntimeId: string | undefined;
    readonly backgroundTask: boolean;
    readonly fallbackReason: string | undefined;
    readonly fallbackSince: string | undefined;
  };
}

function sameBinding(a: IdentityBinding | undefined, b: IdentityBinding | undefined): boolean {
  return a?.workspaceId === b?.workspaceId && a?.chatgptUserId === b?.chatgptUserId;
}

/**
 * Owns the credentials of one CODEX_HOME: loads auth.json (or the configured store), refreshes ChatGPT
 * tokens (single-flight in process, lock + reload-before-refresh across processes), runs 401 recovery,
 * and — when `features.use_agent_identity` is on — the agent identity and task lifecycle behind
 * the auth providers it hands out.
 */
export class AuthManager {
  readonly codexHome: string;
  readonly config: LoginConfig;
  readonly store: AuthStore;
  readonly #ephemeral: EphemeralAuthStore;
  readonly #env: NodeJS.ProcessEnv;
  readonly #logger: Logger;
  readonly #options: AuthManagerOptions;
  readonly #clock = new AgentClock();
  readonly #listeners = new Set<(auth: CodexAuth | undefined) => void>();
  readonly #authorizer: Authorizer;
  #auth: CodexAuth | undefined;
  #revision = 0;
  #refreshInflight: Promise<CodexAuth | undefined> | undefined;
  #permanentFailure: { auth: CodexAuth; error: RefreshTokenError } | undefined;
  #lastRefreshWarning: unknown;
  #lifecycle: AgentIdentityLifecycle | undefined;
  #tasks: AgentTaskRegistry | undefined;
  #defaultProvider: ChatgptAuthProvider | undefined;

  private constructor(codexHome: string, config: LoginConfig, store: AuthStore, options: AuthManagerOptions) {
    this.codexHome = codexHome;
    this.config = config;
    this.store = store;
    this.#ephemeral = new EphemeralAuthStore(codexHome);
    this.#env = options.env ?? process.env;
    this.#logger = options.logger ?? defaultLogger();
    this.#options = options;
    this.#authorizer = new Authorizer({
      config,
      logger: this.#logger,
      clock: this.#clock,
      destinations: new CredentialDestinations([
        config.chatgptBaseUrl,
        resolveAuthapiBaseUrl(config.chatgptBaseUrl, this.#env),
        ...(options.trustedOrigins ?? []),
      ]),
      registrationWaitMs: options.registrationWaitMs ?? 8000,
      authCached: () => this.#auth,
      auth: () => this.auth(),
      registry: () => this.#registry(),
      tasks: () => this.#tasks,
      lifecycle: () => this.#lifecycle,
      unauthorizedRecovery: () => this.unauthorizedRecovery(),
    });
  }

  /** Reads config.toml and the stored auth. Throws ConfigError / AuthFileError (naming the file). */
  static async create(options: AuthManagerOptions = {}): Promise<AuthManager> {
    const env = options.env ?? process.env;
    const codexHome = options.codexHome ?? resolveCodexHome(env);
    const fromFile = await loadLoginConfig(codexHome);
    const overrides = Object.fromEntries(
      Object.entries(options.config ?? {}).filter(([, v]) => v !== undefined),
    );
    const config = Object.freeze({ ...fromFile, ...overrides }) as LoginConfig;
    const store =
      options.store ??
      (config.credentialsStore === 'ephemeral'
        ? new EphemeralAuthStore(codexHome)
        : new FileAuthStore(codexHome));
    const manager = new AuthManager(codexHome, config, store, options);
    manager.#auth = await manager.#loadAuth();
    return manager;
  }

  // ---------------------------------------------------------------- auth state

  /** The current auth without refreshing. */
  authCached(): CodexAuth | undefined {
    return this.#auth;
  }

  /** The current auth; managed ChatGPT tokens expiring within 5 minutes are refreshed first (failure: logged, old auth returned). */
  async auth(): Promise<CodexAuth | undefined> {
    const a = this.#auth;
    if (a?.mode === 'chatgpt' && this.#isStale(a)) {
      try {
        return await this.#refresh(false);
      } catch (err) {
        if (this.#lastRefreshWarning !== err) {
          this.#lastRefreshWarning = err;
          this.#logger.warn({ error: describeFailure(err) }, 'token refresh failed; using the current token');
        }
        return this.#auth;
      }
    }
    return a;
  }

  /** Increments on every auth change. */
  get revision(): number {
    return this.#revision;
  }

  /** Called with the new auth (or undefined after logout) whenever it changes. Returns an unsubscribe function. */
  subscribe(listener: (auth: CodexAuth | undefined) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Re-reads the store. Returns true when the credentials changed. */
  async reload(): Promise<boolean> {
    const next = await this.#loadAuth();
    const prev = this.#auth;
    if (prev === undefined ? next === undefined : prev.sameCredentials(next)) return false;
    this.#setAuth(next);
    return true;
  }

  /** Forces a token refresh (single-flight; skipped when another process already refreshed). */
  async refresh(): Promise<CodexAuth | undefined> {
    return this.#refresh(true);
  }

  /** The 401 recovery sequence for the current auth (see UnauthorizedRecovery). */
  unauthorizedRecovery(): UnauthorizedRecovery {
    const a = this.#auth;
    const mode =
      a?.mode === 'chatgpt'
        ? 'managed'
        : a?.mode === 'chatgptAuthTokens' && this.#options.refreshExternalTokens
          ? 'external'
          : 'none';
    const accountId = a?.accountId();
    return new UnauthorizedRecovery(mode, (step) => this.#runRecoveryStep(step, accountId));
  }

  async #runRecoveryStep(step: UnauthorizedRecoveryStep, accountId: string | undefined): Promise<boolean> {
    if (step === 'reload') {
      const stored = await this.#loadAuth();
      if (stored?.accountId() !== accountId) {
        throw new RefreshTokenError({
          permanent: true,
          reason: 'account_changed',
          message:
            'stored auth belongs to another account (logged out or signed in elsewhere); not reloading',
        });
      }
      return this.reload();
    }
    if (step === 'refresh_token') {
      const before = this.#auth;
      const after = await this.#refresh(true);
      return !before?.sameCredentials(after);
    }
    const refresher = this.#options.refreshExternalTokens;
    if (!refresher) return false;
    const tokens = await refresher({ previousAccountId: accountId });
    await this.loginWithChatgptAuthTokens(tokens);
    return true;
  }

  #isStale(a: CodexAuth): boolean {
    const now = Date.now();
    if (a.accessTokenExpiresAtMs !== undefined) return a.accessTokenExpiresAtMs - now <= REFRESH_WINDOW_MS;
    if (a.lastRefresh) {
      const t = Date.parse(a.lastRefresh);
      return Number.isFinite(t) && now - t > TOKEN_REFRESH_INTERVAL_MS;
    }
    return false;
  }

  #refresh(force: boolean): Promise<CodexAuth | undefined> {
    if (this.#refreshInflight) return this.#refreshInflight;
    const p = this.#doRefresh(force).finally(() => {
      if (this.#refreshInflight === p) this.#refreshInflight = undefined;
    });
    this.#refreshInflight = p;
    return p;
  }

  async #doRefresh(force: boolean): Promise<CodexAuth | undefined> {
    const cached = this.#auth;
    if (cached?.mode !== 'chatgpt') return cached;
    if (this.#permanentFailure?.auth === cached) throw this.#permanentFailure.error;
    const store = this.#storeFor(cached);
    if (!store) return cached;
    try {
      return await store.transaction(async (tx) => {
        const doc = tx.current;
        const stored = doc ? CodexAuth.fromAuthDotJson(doc, cached.source, store.location) : undefined;
        if (!doc || !stored || stored.mode !== 'chatgpt' || stored.accountId() !== cached.accountId()) {
          throw new RefreshTokenError({
            permanent: true,
            reason: 'account_changed',
            message: 'not refreshing: the stored auth was logged out or belongs to another account',
          });
        }
        if (!stored.sameCredentials(cached)) {
          // Another process refreshed already: adopt its tokens.
          this.#setAuth(stored);
          if (force || !this.#isStale(stored)) return stored;
        }
        const refreshToken = stored.refreshToken();
        if (!refreshToken) {
          throw new RefreshTokenError({
            permanent: true,
            reason: 'other',
            message: 'no refresh token stored; log in again',
          });
        }
        const fresh: RefreshedTokens = await requestTokenRefresh({
          url: refreshTokenUrl(this.#env),
          refreshToken,
          ...(this.#options.fetch ? { fetch: this.#options.fetch } : {}),
        });
        const tokens = { ...doc.tokens! };
        if (fresh.idToken !== undefined) tokens.id_token = fresh.idToken;
        if (fresh.accessToken !== undefined) tokens.access_token = fresh.accessToken;
        if (fresh.refreshToken !== undefined) tokens.refresh_token = fresh.refreshToken;
        const next: AuthDotJson = { ...doc, tokens, last_refresh: new Date().toISOString() };
        await tx.write(next);
        const auth = CodexAuth.fromAuthDotJson(next, cached.source, store.location)!;
        this.#logger.info({ accountId: auth.accountId() }, 'refreshed ChatGPT tokens');
        this.#setAuth(auth);
        return auth;
      });
    } catch (err) {
      if (err instanceof RefreshTokenError && err.permanent)
        this.#permanentFailure = { auth: cached, error: err };
      throw err;
    }
  }

  async #loadAuth(): Promise<CodexAuth | undefined> {
    const env = this.#env;
    const codexKey = env.CODEX_API_KEY?.trim();
    if ((this.#options.enableCodexApiKeyEnv ?? true) && codexKey)
      return CodexAuth.fromApiKey(codexKey, 'env');
    const eph = await this.#ephemeral.load();
    if (eph) {
      const a = CodexAuth.fromAuthDotJson(eph, 'ephemeral', this.#ephemeral.location);
      if (a) return a;
    }
    if (this.store.location !== this.#ephemeral.location) {
      const doc = await this.store.load();
      if (doc) {
        const a = CodexAuth.fromAuthDotJson(
          doc,
          this.store.kind === 'ephemeral' ? 'ephemeral' : 'file',
          this.store.location,
        );
        if (a) return a;
      }
    }
    const openaiKey = env.OPENAI_API_KEY?.trim();
    if (openaiKey) return CodexAuth.fromApiKey(openaiKey, 'env');
    return undefined;
  }

  #storeFor(auth: CodexAuth): AuthStore | undefined {
    if (auth.source === 'env') return undefined;
    if (auth.source === 'ephemeral' && this.store.kind !== 'ephemeral') return this.#ephemeral;
    return this.store;
  }

  #setAuth(next: CodexAuth | undefined): void {
    const prev = this.#auth;
    this.#auth = next;
    this.#revision++;
    this.#authorizer.invalidate();
    if (this.#lifecycle) {
      const f = this.config.forcedChatgptWorkspaceId;
      const before = prev ? identityBindingFor(prev, f) : undefined;
      const after = next ? identityBindingFor(next, f) : undefined;
      if (!sameBinding(before, after)) {
        this.#lifecycle.forget();
        this.#tasks?.clear();
        this.#lifecycle.resetFallback();
      }
    }
    for (const l of this.#listeners) {
      try {
        l(next);
      } catch (err) {
        this.#logger.warn({ error: describeFailure(err) }, 'auth change listener threw');
      }
    }
  }

  // ---------------------------------------------------------------- login / logout

  /** Stores an API key (auth_mode apikey) in the configured store; other unknown fields are kept. */
  async loginWithApiKey(apiKey: string): Promise<void> {
    const key = apiKey.trim();
    if (!key) throw new AuthUnavailableError('not_logged_in', 'empty API key');
    await updateAuthStore(this.store, (current) => {
      const next: AuthDotJson = { ...(current ?? {}), auth_mode: 'apikey', OPENAI_API_KEY: key };
      delete next.tokens;
      delete next.last_refresh;
      delete next.agent_identity;
      return next;
    });
    // Host-supplied tokens would shadow the stored key: drop them (same map when the store is ephemeral).
    if (this.store.kind !== 'ephemeral') await this.#ephemeral.transaction((tx) => tx.remove());
    await this.reload();
  }

  /** Stores managed ChatGPT tokens (after a browser/device login). An existing identity is kept; it is validated on use. */
  async saveChatgptTokens(t: {
    idToken: string;
    accessToken: string;
    refreshToken: string;
    accountId?: string;
  }): Promise<void> {
    await updateAuthStore(this.store, (current) => ({
      ...(current ?? {}),
      auth_mode: 'chatgpt',
      OPENAI_API_KEY: null,
      tokens: {
        id_token: t.idToken,
        access_token: t.accessToken,
        refresh_token: t.refreshToken,
        ...(t.accountId !== undefined ? { account_id: t.accountId } : {}),
      },
      last_refresh: new Date().toISOString(),
    }));
    await this.reload();
  }

  /** Host-supplied ChatGPT tokens, held in memory (ephemeral store) and never written to disk. */
  async loginWithChatgptAuthTokens(t: ExternalChatgptTokens): Promise<void> {
    await this.#ephemeral.transaction(async (tx) => {
      const keep = tx.current?.agent_identity;
      await tx.write({
        auth_mode: 'chatgptAuthTokens',
        OPENAI_API_KEY: null,
        tokens: {
          id_token: t.idToken,
          access_token: t.accessToken,
          refresh_token: '',
          ...(t.accountId !== undefined ? { account_id: t.accountId } : {}),
        },
        ...(keep !== undefined ? { agent_identity: keep } : {}),
      });
    });
    await this.reload();
  }

  /** Removes stored credentials (the file and the in-memory store). Returns true when something was removed. */
  async logout(): Promise<boolean> {
    let removed = false;
    for (const store of new Set<AuthStore>([this.#ephemeral, this.store])) {
      await store
        .transaction(async (tx) => {
          if (tx.current !== undefined) removed = true;
          await tx.remove();
        })
        .catch(async (err) => {
          // A corrupt file can still be logged out of: remove it without reading.
          if (store instanceof FileAuthStore) {
            await rm(store.location, { force: true });
            removed = true;
          } else throw err;
        });
    }
    await this.reload();
    return removed;
  }

  // ---------------------------------------------------------------- identity and tasks

  #identityHost(): IdentityHost {
    const o = this.#options;
    const http: IdentityHost['http'] = {};
    if (o.dispatcher) http.dispatcher = o.dispatcher;
    if (o.registrationTimeoutMs !== undefined) http.timeoutMs = o.registrationTimeoutMs;
    return {
      config: this.config,
      env: this.#env,
      logger: this.#logger,
      http,
      clock: this.#clock,
      sessionSource: o.sessionSource ?? 'cli',
      version: o.version ?? LOGIN_PACKAGE_VERSION,
      registrationAttempts: Math.max(1, o.registrationAttempts ?? 3),
      retryDelayMs: o.registrationRetryDelayMs ?? 250,
      auth: () => this.auth(),
      storeFor: (a) => this.#storeFor(a),
      invalidate: () => this.#authorizer.invalidate(),
    };
  }

  /** Identity machinery; created on first use and only when the flag is on. */
  #registry(): AgentTaskRegistry | undefined {
    if (!this.config.useAgentIdentity) return undefined;
    if (!this.#tasks) {
      const host = this.#identityHost();
      this.#lifecycle = new AgentIdentityLifecycle(host);
      this.#tasks = new AgentTaskRegistry(host, this.#lifecycle);
    }
    return this.#tasks;
  }

  /** The current thread task for `threadId` in its persistable form (registers it if needed; prewarm). */
  async ensureThreadTask(threadId: string): Promise<PersistedThreadTask | undefined> {
    const reg = this.#registry();
    const a = await this.auth();
    if (!reg || !a?.isChatgpt()) return undefined;
    const t = await reg.thread(threadId);
    return t ? toPersistedThreadTask(t) : undefined;
  }

  /** On resume: reuse a persisted thread task when it belongs to the current identity. Returns whether it was accepted. */
  async restoreThreadTask(
    threadId: string,
    persisted: PersistedThreadTask | undefined | null,
  ): Promise<boolean> {
    const reg = this.#registry();
    const a = await this.auth();
    if (!reg || !a?.isChatgpt()) return false;
    return reg.restoreThread(threadId, persisted);
  }

  /** Called whenever a thread task is (re-)registered, so the owner can persist it with the thread. */
  onThreadTask(listener: (threadId: string, task: PersistedThreadTask) => void): () => void {
    const reg = this.#registry();
    return reg ? reg.onThreadTask(listener) : () => {};
  }

  /** Forgets a closed thread's cached task. */
  forgetThread(threadId: string): void {
    this.#tasks?.forgetThread(threadId);
  }

  /** Leaves bearer fallback so the next call tries to register again. */
  retryAgentIdentity(): void {
    this.#lifecycle?.resetFallback();
  }

  /** The fallback state, when the process gave up on agent identity. */
  agentIdentityFallback(): FallbackState | undefined {
    return this.#lifecycle?.fallback;
  }

  // ---------------------------------------------------------------- providers

  /** Default authorization for ChatGPT backend calls: background AgentAssertion when available, else bearer. */
  defaultProvider(): AuthProvider {
    this.#defaultProvider ??= new ChatgptAuthProvider(this.#authorizer);
    return this.#defaultProvider;
  }

  /** Bearer only (bootstrap calls: biscuit, refresh, registration). Never an assertion. */
  bearerProvider(): AuthProvider {
    return new BearerOnlyAuthProvider(this.#authorizer);
  }

  /** Sessionless control-plane calls: the background task's assertion, else bearer (same decision as the default). */
  backgroundProvider(): AuthProvider {
    return new BackgroundAuthProvider(this.#authorizer);
  }

  /** Calls made for one conversation thread: that thread's task assertion, else bearer. */
  threadProvider(threadId: string): AuthProvider {
    if (!threadId) throw new TypeError('threadProvider needs a thread id');
    return new ThreadAuthProvider(this.#authorizer, threadId);
  }

  /**
   * Registers (or loads) the identity and background task now, e.g. at startup. Resolves true when
   * assertions are available; false when agent identity is off, not applicable, or on bearer fallback.
   */
  async prewarmAgentIdentity(): Promise<boolean> {
    const reg = this.#registry();
    const a = await this.auth();
    if (!reg || !a?.isChatgpt()) return false;
    return (await reg.background()) !== undefined;
  }

  // ---------------------------------------------------------------- status

  /** Safe summary for `codex-ts-login status` and the app-server's account status. */
  async status(): Promise<AuthStatus> {
    const a = this.#auth;
    const enabled = this.config.useAgentIdentity;
    let runtimeId: string | undefined = this.#lifecycle?.current?.runtimeId;
    let backgroundTask = this.#tasks?.warmBackground !== undefined;
    let stored = false;
    if (enabled && a?.isChatgpt()) {
      const store = this.#storeFor(a);
      const doc = store ? await store.load().catch(() => undefined) : undefined;
      const rec = readAgentIdentityRecord(doc?.agent_identity)?.record;
      if (rec) {
        stored = true;
        runtimeId ??= rec.agent_runtime_id;
        backgroundTask ||= rec.agent_runtime_id === runtimeId && !!rec.background_task_id;
      }
    }
    const fb = this.#lifecycle?.fallback;
    const applicable =
      !!a?.isChatgpt() && identityBindingFor(a, this.config.forcedChatgptWorkspaceId) !== undefined;
    const state: AuthStatus['agentIdentity']['state'] = !enabled
      ? 'off'
      : !applicable
        ? 'not_applicable'
        : fb
          ? 'fallback'
          : this.#tasks?.warmBackground
            ? 'active'
            : stored
              ? 'registered'
              : 'unregistered';
    return {
      loggedIn: a !== undefined,
      mode: a?.mode,
      source: a?.source,
      store: this.store.location,
      accountId: a?.mode === 'apikey' ? undefined : a?.accountId(),
      email: a?.email(),
      plan: a?.planType(),
      fedramp: a?.isFedrampAccount() ?? false,
      agentIdentity: {
        enabled,
        state,
        agentRuntimeId: enabled ? runtimeId : undefined,
        backgroundTask: enabled && backgroundTask,
        fallbackReason: fb?.reason,
        fallbackSince: fb?.since,
      },
    };
  }

  toJSON(): Record<string, unknown> {
    return {
      codexHome: this.codexHome,
      store: this.store.location,
      useAgentIdentity: this.config.useAgentIdentity,
      auth: this.#auth?.toJSON(),
    };
  }

  [inspect.custom](): string {
    return `AuthManager ${inspect(this.toJSON(), { depth: 3 })}`;
  }
}
