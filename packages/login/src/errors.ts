import { AuthUnavailableError } from '@codex-ts/auth-provider';

/** Every error this package throws on purpose carries a stable string `code` and never a secret. */
export class LoginError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
  }
}

export type AuthFileErrorCode =
  | 'auth_file_unreadable'
  | 'auth_file_locked'
  | 'auth_file_corrupt'
  | 'auth_file_invalid'
  | 'auth_file_write_failed'
  | 'auth_file_not_regular'
  | 'auth_file_lock_failed'
  | 'auth_file_permission_denied'
  | 'auth_file_read_only'
  | 'auth_file_no_space'
  | 'auth_file_bad_path';

/** auth.json (or the store behind it) could not be read, parsed or written. The file is left untouched. */
export class AuthFileError extends LoginError {
  readonly path: string;
  constructor(code: AuthFileErrorCode, path: string, message: string, options?: { cause?: unknown }) {
    super(code, `${path}: ${message}`, options);
    this.path = path;
  }
}

export type RefreshFailureReason =
  | 'expired'
  | 'exhausted'
  | 'revoked'
  | 'unauthorized'
  | 'account_changed'
  | 'other';

/** The OAuth refresh failed. `permanent` failures will not succeed on retry (log in again). */
export class RefreshTokenError extends LoginError {
  readonly permanent: boolean;
  readonly reason: RefreshFailureReason;
  readonly status: number | undefined;
  constructor(
    o: { permanent: boolean; reason: RefreshFailureReason; status?: number; message: string },
    options?: { cause?: unknown },
  ) {
    super(o.permanent ? 'refresh_permanent' : 'refresh_transient', o.message, options);
    this.permanent = o.permanent;
    this.reason = o.reason;
    this.status = o.status;
  }
}

/** No usable credentials: an auth-provider `AuthUnavailableError` with reason `not_logged_in`. */
export class NotLoggedInError extends AuthUnavailableError {
  constructor(message = 'not logged in: run `codex-ts-login login` or set CODEX_API_KEY') {
    super('not_logged_in', message);
    this.name = 'NotLoggedInError';
  }
}

/**
 * A thread task could not be registered: an auth-provider `AuthUnavailableError` with reason
 * `agent_task_unavailable`; `retryable` when the next call may succeed (it registers again).
 */
export class AgentTaskUnavailableError extends AuthUnavailableError {
  constructor(message: string, retryable: boolean, options?: { cause?: unknown }) {
    super('agent_task_unavailable', message, {
      retryable,
      ...(options?.cause === undefined ? {} : { cause: options.cause }),
    });
    this.name = 'AgentTaskUnavailableError';
  }
}
