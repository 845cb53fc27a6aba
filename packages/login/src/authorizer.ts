import { type AgentSigner, decodeAgentAssertion } from '@codex-ts/agent-identity';
import {
  AUTHORIZATION_HEADER,
  type AuthDescription,
  type AuthRequest,
  AuthUnavailableError,
  accountRoutingHeaders,
  authorizationScheme,
  type UnauthorizedContext,
} from '@codex-ts/auth-provider';
import type { CodexAuth } from './auth.js';
import type { AgentClock } from './clock.js';
import type { LoginConfig } from './config.js';
import type { CredentialDestinations, Destination } from './destinations.js';
import { type AgentIdentityLifecycle, describeFailure, identityBindingFor } from './identity.js';
import type { Logger } from './logger.js';
import type { UnauthorizedRecovery } from './recovery.js';
import { REFRESH_WINDOW_MS, TOKEN_REFRESH_INTERVAL_MS } from './refresh.js';
import type { AgentTaskRegistry, ResolvedTask } from './tasks.js';

/** What the providers ask for: the default decision, background, bearer only, or one thread. */
export type AuthScope =
  | { kind: 'default' }
  | { kind: 'background' }
  | { kind: 'bearer' }
  | { kind: 'thread'; threadId: string };

/** What the authorizer needs from the AuthManager. */
export interface AuthorizerHost {
  readonly config: LoginConfig;
  readonly logger: Logger;
  readonly clock: AgentClock;
  readonly destinations: CredentialDestinations;
  /** How long a default/background call waits for registration before it is served with bearer. */
  readonly registrationWaitMs: number;
  authCached(): CodexAuth | undefined;
  auth(): Promise<CodexAuth | undefined>;
  /** The task registry, created on first use (undefined when the flag is off). */
  registry(): AgentTaskRegistry | undefined;
  /** The task registry and identity lifecycle if they exist already (never creates them). */
  tasks(): AgentTaskRegistry | undefined;
  lifecycle(): AgentIdentityLifecycle | undefined;
  unauthorizedRecovery(): UnauthorizedRecovery;
}

/** Hot-path state: everything a warm request needs, with no I/O. */
interface Warm {
  readonly validUntil: number;
  readonly bearer: string | undefined; // 'Bearer …'
  readonly apiKey: boolean;
  /** `ChatGPT-Account-ID` / `X-OpenAI-Fedramp`, sent with both schemes (none for API keys). */
  readonly routing: Readonly<Record<string, string>>;
  readonly signer: AgentSigner | undefined; // background assertion available
  readonly target: { readonly agentRuntimeId: string; readonly taskId: string } | undefined;
}

const AUTH_ERROR_HEADER = 'x-openai-authorization-error';

function reasonFrom(ctx: UnauthorizedContext): string | undefined {
  const h = ctx.response.headers.get(AUTH_ERROR_HEADER);
  if (h) return h.trim();
  try {
    const j = JSON.parse(ctx.response.body) as { error?: { code?: unknown } };
    return typeof j.error?.code === 'string' ? j.error.code : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Decides, per request, what a provider sends: an AgentAssertion (background or thread task), bearer, or nothing
 * (unrelated hosts); keeps the warm state that makes that decision free of I/O; and handles 401s.
 */
export class Authorizer {
  readonly #host: AuthorizerHost;
  #warm: Warm | undefined;
  #slowRegistration: Promise<ResolvedTask | undefined> | undefined;

  constructor(host: AuthorizerHost) {
    this.#host = host;
  }

  /** Drops the hot-path cache (auth, identity, task or clock changed). */
  invalidate(): void {
    this.#warm = undefined;
  }

  #buildWarm(): Warm | undefined {
    const a = this.#host.authCached();
    if (!a) return undefined;
    let validUntil = Number.POSITIVE_INFINITY;
    if (a.mode === 'chatgpt') {
      if (a.accessTokenExpiresAtMs !== undefined) validUntil = a.accessTokenExpiresAtMs - REFRESH_WINDOW_MS;
      else if (a.lastRefresh) validUntil = Date.parse(a.lastRefresh) + TOKEN_REFRESH_INTERVAL_MS;
    }
    const bg = this.#host.tasks()?.warmBackground;
    const token = a.token();
    return {
      validUntil,
      bearer: token ? `Bearer ${token}` : undefined,
      apiKey: a.mode === 'apikey',
      routing:
        a.mode === 'apikey'
          ? {}
          : accountRoutingHeaders({ accountId: a.accountId(), isFedrampAccount: a.isFedrampAccount() }),
      signer: bg?.identity.signer,
      target: bg?.target,
    };
  }

  #withRouting(authorization: string, w: Warm): Record<string, string> {
    return { [AUTHORIZATION_HEADER]: authorization, ...w.routing };
  }

  #bearerHeaders(w: Warm): Record<string, string> {
    if (w.bearer === undefined) throw new AuthUnavailableError('not_logged_in', 'no bearer token available');
    return this.#withRouting(w.bearer, w);
  }

  /** Headers for one request in `scope`. */
  headersFor(scope: AuthScope, request: AuthRequest): Promise<Record<string, string>> {
    // Hot path: warm state, no awaits, no I/O.
    const w = this.#warm;
    if (w !== undefined && Date.now() < w.validUntil) {
      const cls = this.#host.destinations.classify(request.url);
      if (cls === 'none') return Promise.resolve({});
      if (scope.kind === 'bearer' || w.apiKey || cls !== 'assertion' || !this.#host.config.useAgentIdentity) {
        return Promise.resolve(this.#bearerHeaders(w));
      }
      if (scope.kind === 'thread') {
        const t = this.#host.tasks()?.warmThread(scope.threadId);
        if (t !== undefined) {
          return Promise.resolve(
            this.#withRouting(t.identity.signer.authorizationHeader(t.target, this.#host.clock.now()), w),
          );
        }
      } else if (w.signer !== undefined && w.target !== undefined) {
        return Promise.resolve(
          this.#withRouting(w.signer.authorizationHeader(w.target, this.#host.clock.now()), w),
        );
      }
      if (!this.#wantsAssertion(cls)) return Promise.resolve(this.#bearerHeaders(w));
    }
    return this.#headersSlow(scope, request);
  }

  /** Flag on, ChatGPT auth, assertion-capable host, not in fallback, identity applicable. */
  #wantsAssertion(cls: Destination): boolean {
    if (!this.#host.config.useAgentIdentity || cls !== 'assertion') return false;
    const a = this.#host.authCached();
    if (!a?.isChatgpt() || this.#host.lifecycle()?.fallback) return false;
    return identityBindingFor(a, this.#host.config.forcedChatgptWorkspaceId) !== undefined;
  }

  async #headersSlow(scope: AuthScope, request: AuthRequest): Promise<Record<string, string>> {
    const cls = this.#host.destinations.classify(request.url);
    if (cls === 'none') return {};
    const a = await this.#host.auth();
    if (!a)
      throw new AuthUnavailableError(
        'not_logged_in',
        'not logged in: run `codex-ts-login login` or set CODEX_API_KEY',
      );
    let task: ResolvedTask | undefined;
    if (scope.kind !== 'bearer' && this.#wantsAssertion(cls)) {
      const reg = this.#host.registry()!;
      task = scope.kind === 'thread' ? await reg.thread(scope.threadId) : await this.#boundedBackground(reg);
    }
    const w = this.#buildWarm();
    if (!w) throw new AuthUnavailableError('not_logged_in', 'not logged in');
    this.#warm = w;
    if (task)
      return this.#withRouting(
        task.identity.signer.authorizationHeader(task.target, this.#host.clock.now()),
        w,
      );
    return this.#bearerHeaders(w);
  }

  /** Waits for the background task at most `registrationWaitMs`; a slow registration must not hold up bearer-capable calls. */
  #boundedBackground(reg: AgentTaskRegistry): Promise<ResolvedTask | undefined> {
    const waitMs = this.#host.registrationWaitMs;
    const pending = reg.background();
    if (reg.warmBackground || !Number.isFinite(waitMs)) return pending;
    // Someone already waited the full time for this very registration: don't make every call wait again.
    if (this.#slowRegistration === pending) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#slowRegistration = pending;
        this.#host.logger.debug(
          { waitMs },
          'agent identity registration still running; bearer until it completes',
        );
        resolve(undefined);
      }, waitMs);
      timer.unref?.();
      pending.then(
        (t) => {
          clearTimeout(timer);
          resolve(t);
        },
        () => {
          clearTimeout(timer);
          resolve(undefined);
        },
      );
    });
  }

  /** 401 handling (DESIGN.md point 8 for assertions; reload → refresh for bearer). */
  async recoverFromUnauthorized(ctx: UnauthorizedContext): Promise<boolean> {
    const sent = ctx.sentHeaders.get('authorization') ?? undefined;
    const scheme = authorizationScheme(sent);
    if (scheme === 'agent-assertion' && sent) return this.#recoverAssertion(ctx, sent);
    if (scheme === 'bearer' && sent) return this.#recoverBearer(sent);
    return false;
  }

  async #recoverAssertion(ctx: UnauthorizedContext, sent: string): Promise<boolean> {
    const reason = reasonFrom(ctx);
    let claims: { agentRuntimeId: string; taskId: string };
    try {
      claims = decodeAgentAssertion(sent);
    } catch {
      return false;
    }
    const lifecycle = this.#host.lifecycle();
    const tasks = this.#host.tasks();
    if (!lifecycle || !tasks) return false;
    switch (reason) {
      case 'stale_timestamp':
      case 'future_timestamp': {
        const corrected = this.#host.clock.correctFromDateHeader(ctx.response.headers.get('date'));
        if (corrected) {
          this.invalidate();
          this.#host.logger.warn(
            { offsetMs: this.#host.clock.offsetMs, reason },
            'server rejected the assertion timestamp; corrected the clock offset',
          );
        }
        return corrected;
      }
      case 'unknown_task': {
        this.#host.logger.info(
          { agentRuntimeId: claims.agentRuntimeId, taskId: claims.taskId },
          'server does not know the agent task; registering again',
        );
        // After this the task is cached nowhere, so the retry carries a newly registered one.
        await tasks.dropTask(claims.taskId);
        return !lifecycle.fallback;
      }
      case 'unknown_runtime':
      case 'bad_signature': {
        // bad_signature: the stored key is not the one the server registered for this runtime.
        const current = lifecycle.current;
        if (current && current.runtimeId !== claims.agentRuntimeId) return true; // already replaced
        this.#host.logger.info(
          { agentRuntimeId: claims.agentRuntimeId },
          'server does not know the agent identity; registering again',
        );
        tasks.clear();
        await lifecycle.drop(claims.agentRuntimeId);
        return !lifecycle.fallback;
      }
      default:
        return false;
    }
  }

  async #recoverBearer(sent: string): Promise<boolean> {
    const current = this.#host.authCached();
    if (!current) return false;
    if (`Bearer ${current.token()}` !== sent) return true; // already changed since that request
    const recovery = this.#host.unauthorizedRecovery();
    while (recovery.hasNext()) {
      try {
        if ((await recovery.next()).authChanged) return true;
      } catch (err) {
        this.#host.logger.warn({ error: describeFailure(err) }, 'could not recover from 401');
        return false;
      }
    }
    return false;
  }

  /** The scheme a provider in `scope` would use now. */
  describeScope(scope: AuthScope): AuthDescription {
    const a = this.#host.authCached();
    if (!a) return { scheme: 'none', detail: 'not logged in' };
    const accountId = a.mode === 'apikey' ? undefined : a.accountId();
    const base = accountId !== undefined ? { accountId } : {};
    if (a.mode === 'apikey') return { scheme: 'bearer', detail: 'api key' };
    if (scope.kind === 'bearer' || !this.#host.config.useAgentIdentity) return { ...base, scheme: 'bearer' };
    const fb = this.#host.lifecycle()?.fallback;
    if (fb) return { ...base, scheme: 'bearer', detail: `agent identity fallback: ${fb.reason}` };
    const warm =
      scope.kind === 'thread'
        ? this.#host.tasks()?.warmThread(scope.threadId)
        : this.#host.tasks()?.warmBackground;
    if (warm) return { ...base, scheme: 'agent-assertion', detail: `runtime ${warm.identity.runtimeId}` };
    return {
      ...base,
      scheme: 'agent-assertion',
      detail: 'registration pending (bearer for unsupported hosts)',
    };
  }
}
