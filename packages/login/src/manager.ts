import { inspect } from 'node:util';
import {
  fetchWithDispatcher,
  type HttpOptions,
  normalizeChatgptBaseUrl,
  resolveAuthapiBaseUrl,
} from '@codex-ts/agent-identity';
import { AuthUnavailableError } from '@codex-ts/auth-provider';
import type { Dispatcher } from 'undici';
import { ActiveAgentIdentity } from './active-agent-identity.js';
import { identityBindingFor } from './agent-identity.js';
import type { AgentIdentityService } from './agent-identity-service.js';
import type { CodexAuth } from './auth.js';
import { readAgentIdentityRecord } from './auth-json.js';
import { Authorizer } from './authorizer.js';
import { AgentClock } from './clock.js';
import { type LoginConfig, loadLoginConfig, withOverrides } from './config.js';
import { Credentials, type ExternalChatgptTokens } from './credentials.js';
import type { AuthScope } from './decision.js';
import { CredentialDestinations } from './destinations.js';
import { disabledAgentIdentity } from './disabled-agent-identity.js';
import { resolveCodexHome } from './home.js';
import type { FallbackState } from './identity-lifecycle.js';
import { defaultLogger, type Logger } from './logger.js';
import {
  BackgroundAuthProvider,
  BootstrapAuthProvider,
  ChatgptAuthProvider,
  ThreadAuthProvider,
} from './providers.js';
import { type PersistedThreadTask, toPersistedThreadTask } from './resolved-task.js';
import { type AuthStatus, authStatus } from './status.js';
import { type AuthStore, EphemeralAuthStore, FileAuthStore } from './storage.js';
import { TokenRefresher } from './token-refresher.js';
import { UnauthorizedHandler } from './unauthorized-handler.js';
import type { ExternalTokenRefresher, UnauthorizedRecovery } from './unauthorized-recovery.js';
import { LOGIN_PACKAGE_VERSION } from './version.js';

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
  /** fetch for every call login makes itself: the OAuth refresh and the registration calls (default global fetch). */
  fetch?: typeof fetch;
  /** @deprecated Pass `fetch: fetchWithDispatcher(dispatcher)` (from agent-identity); ignored when `fetch` is given. */
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
  refreshExternalTokens?: ExternalTokenRefresher;
  /** More origins (scheme://host[:port]) that may receive bearer credentials. */
  trustedOrigins?: readonly string[];
}

const BACKGROUND_SCOPE: AuthScope = Object.freeze({ kind: 'background' });

// Kept importable from here: the CLI and other callers name these types through manager.ts.
export type { AuthStatus, ExternalChatgptTokens };

function httpOptions(o: AuthManagerOptions): HttpOptions {
  const http: HttpOptions = {};
  if (o.fetch) http.fetch = o.fetch;
  else if (o.dispatcher) http.fetch = fetchWithDispatcher(o.dispatcher);
  if (o.registrationTimeoutMs !== undefined) http.timeoutMs = o.registrationTimeoutMs;
  return http;
}

/**
 * The composition root of one CODEX_HOME's credentials: the credentials (load, reload, subscribe), the token
 * refresher, 401 recovery, the agent identity service (when `features.use_agent_identity` is on) and the auth
 * providers handed out, one per scope.
 */
export class AuthManager {
  readonly codexHome: string;
  readonly config: LoginConfig;
  readonly store: AuthStore;
  readonly #credentials: Credentials;
  readonly #refresher: TokenRefresher;
  readonly #identity: AgentIdentityService;
  readonly #authorizer: Authorizer;
  readonly #unauthorized: UnauthorizedHandler;
  readonly #threads = new Map<string, ThreadAuthProvider>();
  #default: ChatgptAuthProvider | undefined;
  #background: BackgroundAuthProvider | undefined;
  #bootstrap: BootstrapAuthProvider | undefined;

  private constructor(codexHome: string, config: LoginConfig, store: AuthStore, o: AuthManagerOptions) {
    this.codexHome = codexHome;
    this.config = config;
    this.store = store;
    const env = o.env ?? process.env;
    const logger = o.logger ?? defaultLogger();
    const clock = new AgentClock();
    const credentials = new Credentials({
      codexHome,
      store,
      env,
      logger,
      enableCodexApiKeyEnv: o.enableCodexApiKeyEnv ?? true,
    });
    const refresher = new TokenRefresher({ credentials, env, logger, fetch: o.fetch });
    const identity: AgentIdentityService = config.useAgentIdentity
      ? new ActiveAgentIdentity({
          config,
          env,
          logger,
          http: httpOptions(o),
          clock,
          credentials,
          refresher,
          sessionSource: o.sessionSource ?? 'cli',
          version: o.version ?? LOGIN_PACKAGE_VERSION,
          attempts: {
            attempts: Math.max(1, o.registrationAttempts ?? 3),
            delayMs: o.registrationRetryDelayMs ?? 250,
          },
        })
      : disabledAgentIdentity;
    this.#credentials = credentials;
    this.#refresher = refresher;
    this.#identity = identity;
    this.#authorizer = new Authorizer({
      config,
      logger,
      clock,
      credentials,
      refresher,
      agentIdentity: identity,
      destinations: new CredentialDestinations([
        config.chatgptBaseUrl,
        resolveAuthapiBaseUrl(config.chatgptBaseUrl, env),
        ...(o.trustedOrigins ?? []),
      ]),
      registrationWaitMs: o.registrationWaitMs ?? 8000,
    });
    this.#unauthorized = new UnauthorizedHandler({
      credentials,
      refresher,
      agentIdentity: identity,
      externalRefresh: o.refreshExternalTokens,
      logger,
    });
  }

  /** Reads config.toml and the stored auth. Throws ConfigError / AuthFileError (naming the file). */
  static async create(options: AuthManagerOptions = {}): Promise<AuthManager> {
    const env = options.env ?? process.env;
    const codexHome = options.codexHome ?? resolveCodexHome(env);
    const config = withOverrides(await loadLoginConfig(codexHome), options.config);
    const store =
      options.store ??
      (config.credentialsStore === 'ephemeral'
        ? new EphemeralAuthStore(codexHome)
        : new FileAuthStore(codexHome));
    const manager = new AuthManager(codexHome, config, store, options);
    await manager.#credentials.reload();
    return manager;
  }

  // ---------------------------------------------------------------- credentials

  /** The current auth without refreshing. */
  authCached(): CodexAuth | undefined {
    return this.#credentials.current;
  }

  /** The current auth; managed ChatGPT tokens due for a refresh are refreshed first (failure: logged, old auth returned). */
  auth(): Promise<CodexAuth | undefined> {
    return this.#refresher.fresh();
  }

  /** Changes on every auth change. */
  get revision(): number {
    return this.#credentials.version;
  }

  /** Called with the new auth (or undefined after logout) whenever it changes. Returns an unsubscribe function. */
  subscribe(listener: (auth: CodexAuth | undefined) => void): () => void {
    return this.#credentials.subscribe(listener);
  }

  /** Re-reads the store. Returns true when the credentials changed. */
  reload(): Promise<boolean> {
    return this.#credentials.reload();
  }

  /** Forces a token refresh (single flight; skipped when another process already refreshed). */
  refresh(): Promise<CodexAuth | undefined> {
    return this.#refresher.refresh(true);
  }

  /** The 401 recovery sequence for the current auth (see UnauthorizedRecovery). */
  unauthorizedRecovery(): UnauthorizedRecovery {
    return this.#unauthorized.recovery();
  }

  /** Stores an API key (auth_mode apikey) in the configured store; other unknown fields are kept. */
  async loginWithApiKey(apiKey: string): Promise<void> {
    const key = apiKey.trim();
    if (!key) throw new AuthUnavailableError('not_logged_in', 'empty API key');
    await this.#credentials.saveApiKey(key);
  }

  /** Stores managed ChatGPT tokens (after a browser/device login). An existing identity is kept; it is validated on use. */
  saveChatgptTokens(t: { idToken: string; accessToken: string; refreshToken: string; accountId?: string }) {
    return this.#credentials.saveChatgptTokens(t);
  }

  /** Host-supplied ChatGPT tokens, held in memory (ephemeral store) and never written to disk. */
  loginWithChatgptAuthTokens(t: ExternalChatgptTokens): Promise<void> {
    return this.#credentials.saveExternalTokens(t);
  }

  /** Removes stored credentials (the file and the in-memory store). Returns true when something was removed. */
  logout(): Promise<boolean> {
    return this.#credentials.remove();
  }

  // ---------------------------------------------------------------- agent identity

  /** The current thread task for `threadId` in its persistable form (registers it if needed; prewarm). */
  async ensureThreadTask(threadId: string): Promise<PersistedThreadTask | undefined> {
    const a = await this.auth();
    if (!a?.isChatgpt()) return undefined;
    const t = await this.#identity.thread(threadId);
    return t ? toPersistedThreadTask(t) : undefined;
  }

  /** On resume: reuse a persisted thread task when it belongs to the current identity. Returns whether it was accepted. */
  async restoreThreadTask(
    threadId: string,
    persisted: PersistedThreadTask | undefined | null,
  ): Promise<boolean> {
    const a = await this.auth();
    if (!a?.isChatgpt()) return false;
    return this.#identity.restoreThread(threadId, persisted);
  }

  /** Called whenever a thread task is (re-)registered, so the owner can persist it with the thread. */
  onThreadTask(listener: (threadId: string, task: PersistedThreadTask) => void): () => void {
    return this.#identity.onThreadTask(listener);
  }

  /** Forgets a closed thread's cached task and its provider. */
  forgetThread(threadId: string): void {
    this.#identity.forgetThread(threadId);
    this.#threads.delete(threadId);
  }

  /** Leaves bearer fallback so the next call tries to register again. */
  retryAgentIdentity(): void {
    this.#identity.retry();
  }

  /** The fallback state, when the process gave up on agent identity. */
  agentIdentityFallback(): FallbackState | undefined {
    return this.#identity.fallback;
  }

  /**
   * Registers (or loads) the identity and background task now, e.g. at startup. Resolves true when
   * assertions are available; false when agent identity is off, not applicable, or on bearer fallback.
   */
  async prewarmAgentIdentity(): Promise<boolean> {
    const a = await this.auth();
    if (!a?.isChatgpt()) return false;
    return (await this.#identity.background()) !== undefined;
  }

  // ---------------------------------------------------------------- providers (one per scope)

  /** Default authorization for ChatGPT backend calls: background AgentAssertion when available, else bearer. */
  defaultProvider(): ChatgptAuthProvider {
    this.#default ??= new ChatgptAuthProvider(this.#authorizer, this.#unauthorized);
    return this.#default;
  }

  /** Sessionless control-plane calls: the background task's assertion, else bearer. */
  backgroundProvider(): BackgroundAuthProvider {
    this.#background ??= new BackgroundAuthProvider(this.#authorizer, this.#unauthorized);
    return this.#background;
  }

  /** Bootstrap calls (biscuit, registration, refresh): bearer only, never an assertion. */
  bootstrapProvider(): BootstrapAuthProvider {
    this.#bootstrap ??= new BootstrapAuthProvider(this.#authorizer, this.#unauthorized);
    return this.#bootstrap;
  }

  /** Calls made for one conversation thread: that thread's task assertion, else bearer. Same id, same provider. */
  threadProvider(threadId: string): ThreadAuthProvider {
    if (!threadId) throw new TypeError('threadProvider needs a thread id');
    let provider = this.#threads.get(threadId);
    if (!provider) {
      provider = new ThreadAuthProvider(this.#authorizer, this.#unauthorized, threadId);
      this.#threads.set(threadId, provider);
    }
    return provider;
  }

  // ---------------------------------------------------------------- status

  /** Safe summary for `codex-ts-login status` and the app-server's account status. */
  async status(): Promise<AuthStatus> {
    const a = this.#credentials.current;
    const identity = this.#identity;
    const warm = identity.warmTask({ kind: 'background' });
    let runtimeId = identity.currentRuntimeId;
    let backgroundTask = warm !== undefined;
    let storedIdentity = false;
    if (identity.enabled && a?.isChatgpt()) {
      const binding = identityBindingFor(a, this.config.forcedChatgptWorkspaceId);
      const store = this.#credentials.storeFor(a);
      const doc = store ? await store.load().catch(() => undefined) : undefined;
      const rec = readAgentIdentityRecord(doc?.agent_identity)?.record;
      if (rec && rec.workspace_id === binding?.workspaceId) {
        storedIdentity = true;
        runtimeId ??= rec.agent_runtime_id;
        backgroundTask ||= rec.agent_runtime_id === runtimeId && !!rec.background_task_id;
      }
    }
    const fallback = identity.fallback;
    return authStatus({
      account: a && {
        mode: a.mode,
        source: a.source,
        accountId: a.accountId(),
        email: a.email(),
        plan: a.planType(),
        fedramp: a.isFedrampAccount(),
      },
      store: this.store.location,
      enabled: identity.enabled,
      decision: this.#authorizer.decision(BACKGROUND_SCOPE, {
        url: new URL(normalizeChatgptBaseUrl(this.config.chatgptBaseUrl)),
        method: 'GET',
      }),
      fallback,
      agentRuntimeId: runtimeId,
      backgroundTask,
      storedIdentity,
    });
  }

  toJSON(): Record<string, unknown> {
    return {
      codexHome: this.codexHome,
      store: this.store.location,
      useAgentIdentity: this.config.useAgentIdentity,
      auth: this.#credentials.current?.toJSON(),
    };
  }

  [inspect.custom](): string {
    return `AuthManager ${inspect(this.toJSON(), { depth: 3 })}`;
  }
}
