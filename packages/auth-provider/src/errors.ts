const MARKER = Symbol.for('@codex-ts/auth-provider.error');

/** Why a provider cannot authorize a request. */
export type AuthUnavailableReason =
  /** No credentials are stored (or they were logged out). */
  | 'not_logged_in'
  /** The stored credentials cannot be used any more (refresh refused, revoked, expired). */
  | 'credentials_expired'
  /** A request that must carry a task assertion cannot get its task (registration failed or is unavailable). */
  | 'agent_task_unavailable'
  /** The provider sends nothing it owns to this destination (scheme or host not allowed). */
  | 'unsupported_destination'
  /** The credential store could not be read (corrupt, locked, unreadable). */
  | 'storage_unavailable';

/**
 * The base of every error an auth provider rejects with. Checked with `isAuthError(e)`, which works across two
 * installed copies of this package (the marker is a global symbol, not a class identity).
 */
export class AuthError extends Error {
  readonly [MARKER] = true;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AuthError';
  }
}

/** A provider cannot authorize the request. `retryable` says whether the same call may succeed later. */
export class AuthUnavailableError extends AuthError {
  readonly code = 'auth_unavailable';
  readonly reason: AuthUnavailableReason;
  readonly retryable: boolean;

  constructor(
    reason: AuthUnavailableReason,
    message: string,
    options: ErrorOptions & { retryable?: boolean } = {},
  ) {
    super(message, options);
    this.name = 'AuthUnavailableError';
    this.reason = reason;
    this.retryable = options.retryable ?? false;
  }
}

/** True for any error an auth provider rejects with, from this or another installed copy of the package. */
export function isAuthError(error: unknown): error is AuthError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
}

/** True for an `AuthUnavailableError` from any installed copy; narrows to read `reason` and `retryable`. */
export function isAuthUnavailableError(error: unknown): error is AuthUnavailableError {
  return isAuthError(error) && (error as { code?: unknown }).code === 'auth_unavailable';
}
