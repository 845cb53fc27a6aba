import type { AuthMode, AuthSource } from './auth.js';
import type { Decision } from './decision.js';
import type { FallbackState } from './identity-lifecycle.js';

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

/** The facts `authStatus` turns into a status (gathered by the AuthManager; no secret among them). */
export interface StatusFacts {
  readonly account:
    | {
        readonly mode: AuthMode;
        readonly source: AuthSource;
        readonly accountId: string | undefined;
        readonly email: string | undefined;
        readonly plan: string | undefined;
        readonly fedramp: boolean;
      }
    | undefined;
  readonly store: string;
  readonly enabled: boolean;
  /** The decision for a background request to the ChatGPT base URL. */
  readonly decision: Decision;
  readonly fallback: FallbackState | undefined;
  /** The identity in memory, else the one stored for this account. */
  readonly agentRuntimeId: string | undefined;
  /** A background task is cached, or stored with that identity. */
  readonly backgroundTask: boolean;
  /** An identity for this account is stored. */
  readonly storedIdentity: boolean;
}

function identityState(f: StatusFacts): AuthStatus['agentIdentity']['state'] {
  const d = f.decision;
  if (!f.enabled) return 'off';
  if (d.send === 'bearer' && d.because === 'fallback') return 'fallback';
  if (d.send === 'assertion' && d.ready) return 'active';
  if (d.send === 'assertion' || (d.send === 'bearer' && d.because === 'registration_pending')) {
    return f.storedIdentity ? 'registered' : 'unregistered';
  }
  return 'not_applicable';
}

/** The status, from facts. Pure. */
export function authStatus(f: StatusFacts): AuthStatus {
  const a = f.account;
  return {
    loggedIn: a !== undefined,
    mode: a?.mode,
    source: a?.source,
    store: f.store,
    accountId: a?.mode === 'apikey' ? undefined : a?.accountId,
    email: a?.email,
    plan: a?.plan,
    fedramp: a?.fedramp ?? false,
    agentIdentity: {
      enabled: f.enabled,
      state: identityState(f),
      agentRuntimeId: f.enabled ? f.agentRuntimeId : undefined,
      backgroundTask: f.enabled && f.backgroundTask,
      fallbackReason: f.fallback?.reason,
      fallbackSince: f.fallback?.since,
    },
  };
}
