import {
  AUTHORIZATION_HEADER,
  type AuthDescription,
  type AuthRequest,
  accountRoutingHeaders,
} from '@codex-ts/auth-provider';
import { abortable } from './abortable.js';
import type { AgentIdentityService } from './agent-identity-service.js';
import { toAuthUnavailable } from './auth-unavailable.js';
import type { AgentClock } from './clock.js';
import type { LoginConfig } from './config.js';
import type { Credentials } from './credentials.js';
import { type AuthScope, type CredentialKind, credentialKind, type Decision, decide } from './decision.js';
import type { CredentialDestinations } from './destinations.js';
import { NotLoggedInError } from './errors.js';
import type { Logger } from './logger.js';
import type { ResolvedTask } from './resolved-task.js';
import { refreshDueAtMs } from './token-freshness.js';
import type { TokenRefresher } from './token-refresher.js';

export interface AuthorizerParts {
  readonly config: LoginConfig;
  readonly logger: Logger;
  readonly clock: AgentClock;
  readonly destinations: CredentialDestinations;
  readonly credentials: Credentials;
  readonly refresher: TokenRefresher;
  readonly agentIdentity: AgentIdentityService;
  /** How long a default/background call waits for registration before it is served with bearer. */
  readonly registrationWaitMs: number;
}

/** Everything a warm request needs, built from the credentials; rebuilt when the combined version changes. */
interface Warm {
  readonly version: number;
  readonly validUntil: number;
  readonly credentials: CredentialKind;
  readonly bearer: string | undefined; // 'Bearer …'
  /** `ChatGPT-Account-ID` / `X-OpenAI-Fedramp`, sent with both schemes (none for API keys). */
  readonly routing: Readonly<Record<string, string>>;
  readonly accountId: string | undefined;
}

/**
 * Turns the one decision (`decide`) into headers and descriptions. The warm path does no I/O and no await; the
 * cold path refreshes tokens and waits for registrations (abortable by the request's signal).
 */
export class Authorizer {
  readonly #p: AuthorizerParts;
  #warm: Warm | undefined;
  #slowRegistration: Promise<ResolvedTask | undefined> | undefined;

  constructor(parts: AuthorizerParts) {
    this.#p = parts;
  }

  #build(version: number): Warm {
    const a = this.#p.credentials.current;
    const token = a?.token();
    const apiKey = a?.mode === 'apikey';
    const accountId = a === undefined || apiKey ? undefined : a.accountId();
    const warm: Warm = {
      version,
      validUntil: a ? refreshDueAtMs(a) : Number.POSITIVE_INFINITY,
      credentials: credentialKind(a, this.#p.config.forcedChatgptWorkspaceId),
      bearer: token ? `Bearer ${token}` : undefined,
      routing:
        a === undefined || apiKey
          ? {}
          : accountRoutingHeaders({ accountId: a.accountId(), isFedrampAccount: a.isFedrampAccount() }),
      accountId,
    };
    this.#warm = warm;
    return warm;
  }

  /** The warm state for the current versions (rebuilt when they moved). */
  #state(): Warm {
    const version = this.#p.credentials.version + this.#p.agentIdentity.version;
    const w = this.#warm;
    return w !== undefined && w.version === version ? w : this.#build(version);
  }

  /** The decision for `request` in `scope` now (what `status()` reports for the base URL). */
  decision(scope: AuthScope, request: AuthRequest): Decision {
    return this.#decide(scope, request, this.#state());
  }

  #decide(scope: AuthScope, request: AuthRequest, w: Warm): Decision {
    const identity = this.#p.agentIdentity;
    const taskScope = scope.kind === 'thread' ? scope : BACKGROUND;
    const pending = identity.backgroundPending;
    return decide({
      destination: this.#p.destinations.classify(request.url),
      scope: scope.kind,
      credentials: w.credentials,
      agentIdentity: !identity.enabled ? 'off' : identity.fallback ? 'fallback' : 'on',
      taskReady: identity.enabled && identity.warmTask(taskScope) !== undefined,
      registrationSlow: pending !== undefined && pending === this.#slowRegistration,
    });
  }

  #send(decision: Decision, scope: AuthScope, w: Warm, task?: ResolvedTask): Record<string, string> {
    switch (decision.send) {
      case 'nothing':
        return {};
      case 'refuse':
        throw new NotLoggedInError();
      case 'bearer':
        if (w.bearer === undefined) throw new NotLoggedInError('no bearer token available');
        return { [AUTHORIZATION_HEADER]: w.bearer, ...w.routing };
      case 'assertion': {
        const t = task ?? this.#p.agentIdentity.warmTask(scope.kind === 'thread' ? scope : BACKGROUND)!;
        const header = t.identity.signer.authorizationHeader(t.target, this.#p.clock.now());
        return { [AUTHORIZATION_HEADER]: header, ...w.routing };
      }
    }
  }

  /** Headers for one request in `scope`. Never throws synchronously. */
  headers(scope: AuthScope, request: AuthRequest): Promise<Record<string, string>> {
    const signal = request.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    try {
      // Hot path: warm state, no awaits, no I/O.
      const w = this.#state();
      if (Date.now() < w.validUntil) {
        const d = this.#decide(scope, request, w);
        if (d.send !== 'assertion' || d.ready) return Promise.resolve(this.#send(d, scope, w));
      }
    } catch (err) {
      return Promise.reject(toAuthUnavailable(err, signal));
    }
    return this.#cold(scope, request).catch((err: unknown) => {
      throw toAuthUnavailable(err, signal);
    });
  }

  async #cold(scope: AuthScope, request: AuthRequest): Promise<Record<string, string>> {
    const signal = request.signal;
    await abortable(this.#p.refresher.fresh(), signal);
    let d = this.#decide(scope, request, this.#state());
    if (d.send === 'assertion' && !d.ready) {
      const task = await (scope.kind === 'thread'
        ? abortable(this.#p.agentIdentity.thread(scope.threadId), signal)
        : this.#boundedBackground(signal));
      // Registered: sign with it. Not: the facts moved (fallback, slow, not applicable), so decide again.
      if (task) return this.#send(d, scope, this.#state(), task);
      d = this.#decide(scope, request, this.#state());
      if (d.send === 'assertion' && !d.ready) d = { send: 'bearer', because: 'registration_pending' };
    }
    return this.#send(d, scope, this.#state());
  }

  /** Waits for the background task at most `registrationWaitMs`; a slow registration must not hold up bearer-capable calls. */
  #boundedBackground(signal: AbortSignal | undefined): Promise<ResolvedTask | undefined> {
    const waitMs = this.#p.registrationWaitMs;
    const pending = this.#p.agentIdentity.background();
    if (!Number.isFinite(waitMs)) return abortable(pending, signal);
    const bounded = new Promise<ResolvedTask | undefined>((resolve) => {
      const timer = setTimeout(() => {
        this.#slowRegistration = pending;
        this.#p.logger.debug(
          { waitMs },
          'agent identity registration still running; bearer until it completes',
        );
        resolve(undefined);
      }, waitMs);
      timer.unref?.();
      const done = (task: ResolvedTask | undefined) => {
        clearTimeout(timer);
        resolve(task);
      };
      pending.then(done, () => done(undefined));
    });
    return abortable(bounded, signal);
  }

  /** The decision `headers(request)` would make now, as a description (no I/O, no secret). */
  describe(scope: AuthScope, request: AuthRequest): AuthDescription {
    const w = this.#state();
    const d = this.#decide(scope, request, w);
    const base = w.accountId !== undefined ? { accountId: w.accountId } : {};
    switch (d.send) {
      case 'nothing':
        return { scheme: 'none', detail: 'no credentials for this destination' };
      case 'refuse':
        return { scheme: 'none', detail: 'not logged in' };
      case 'bearer': {
        const fallback = this.#p.agentIdentity.fallback;
        const detail =
          d.because === 'fallback' && fallback
            ? `agent identity fallback: ${fallback.reason}`
            : BEARER_DETAIL[d.because];
        return { ...base, scheme: 'bearer', ...(detail ? { detail } : {}) };
      }
      case 'assertion': {
        const t = this.#p.agentIdentity.warmTask(scope.kind === 'thread' ? scope : BACKGROUND);
        return {
          ...base,
          scheme: 'agent-assertion',
          detail: t ? `runtime ${t.identity.runtimeId}` : `${d.task} task registration pending`,
        };
      }
    }
  }
}

const BACKGROUND = Object.freeze({ kind: 'background' as const });

const BEARER_DETAIL: Record<string, string | undefined> = {
  bootstrap: 'bootstrap: bearer only',
  api_key: 'api key',
  flag_off: undefined,
  bearer_host: 'not an agent assertion host',
  not_applicable: 'agent identity not applicable (no ChatGPT account)',
  registration_pending: 'agent identity registration still running',
};
