import { identityBindingFor } from './agent-identity.js';
import type { CodexAuth } from './auth.js';
import type { Destination } from './destinations.js';

/** What a provider is for: the default decision, the background task, bootstrap calls (bearer only), one thread. */
export type AuthScope =
  | { readonly kind: 'default' }
  | { readonly kind: 'background' }
  | { readonly kind: 'bootstrap' }
  | { readonly kind: 'thread'; readonly threadId: string };

/** The credentials as the decision sees them. `chatgpt_unbound`: ChatGPT tokens without an account to bind to. */
export type CredentialKind = 'none' | 'api_key' | 'chatgpt' | 'chatgpt_unbound';

export function credentialKind(
  auth: CodexAuth | undefined,
  forcedWorkspaceId: string | undefined,
): CredentialKind {
  if (auth === undefined) return 'none';
  if (!auth.isChatgpt()) return 'api_key';
  return identityBindingFor(auth, forcedWorkspaceId) === undefined ? 'chatgpt_unbound' : 'chatgpt';
}

/** Everything the decision depends on, known without I/O. */
export interface DecisionFacts {
  readonly destination: Destination;
  readonly scope: AuthScope['kind'];
  readonly credentials: CredentialKind;
  /** `features.use_agent_identity` off, on, or on but this process fell back to bearer. */
  readonly agentIdentity: 'off' | 'on' | 'fallback';
  /** The task for the scope is registered and cached. */
  readonly taskReady: boolean;
  /** Default/background: a bounded wait for the registration in flight already ran out (serve bearer meanwhile). */
  readonly registrationSlow: boolean;
}

export type BearerReason =
  | 'bootstrap'
  | 'api_key'
  | 'flag_off'
  | 'bearer_host'
  | 'not_applicable'
  | 'fallback'
  | 'registration_pending';

/**
 * Per request: send nothing (a destination that gets no credentials), refuse (nothing to send), bearer (and why),
 * or an assertion for the background or the thread task (`ready`: cached; else registered first).
 */
export type Decision =
  | { readonly send: 'nothing' }
  | { readonly send: 'refuse'; readonly reason: 'not_logged_in' }
  | { readonly send: 'bearer'; readonly because: BearerReason }
  | { readonly send: 'assertion'; readonly task: 'background' | 'thread'; readonly ready: boolean };

const NOTHING: Decision = Object.freeze({ send: 'nothing' });
const NOT_LOGGED_IN: Decision = Object.freeze({ send: 'refuse', reason: 'not_logged_in' });
const BEARER = Object.fromEntries(
  (
    [
      'bootstrap',
      'api_key',
      'flag_off',
      'bearer_host',
      'not_applicable',
      'fallback',
      'registration_pending',
    ] as const
  ).map((because) => [because, Object.freeze({ send: 'bearer', because })]),
) as Record<BearerReason, Decision>;
const ASSERTION = {
  background: {
    ready: Object.freeze({ send: 'assertion', task: 'background', ready: true }),
    pending: Object.freeze({ send: 'assertion', task: 'background', ready: false }),
  },
  thread: {
    ready: Object.freeze({ send: 'assertion', task: 'thread', ready: true }),
    pending: Object.freeze({ send: 'assertion', task: 'thread', ready: false }),
  },
} as const satisfies Record<string, Record<string, Decision>>;

/** The one decision `headers()`, `describe()` and `status()` share. Pure; returns shared frozen objects. */
export function decide(f: DecisionFacts): Decision {
  if (f.destination === 'none') return NOTHING;
  if (f.credentials === 'none') return NOT_LOGGED_IN;
  if (f.scope === 'bootstrap') return BEARER.bootstrap;
  if (f.credentials === 'api_key') return BEARER.api_key;
  if (f.agentIdentity === 'off') return BEARER.flag_off;
  if (f.destination === 'bearer') return BEARER.bearer_host;
  if (f.credentials === 'chatgpt_unbound') return BEARER.not_applicable;
  if (f.agentIdentity === 'fallback') return BEARER.fallback;
  const task = f.scope === 'thread' ? ASSERTION.thread : ASSERTION.background;
  if (f.taskReady) return task.ready;
  if (f.scope !== 'thread' && f.registrationSlow) return BEARER.registration_pending;
  return task.pending;
}
