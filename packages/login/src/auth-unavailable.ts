import { AuthUnavailableError, isAuthError } from '@codex-ts/auth-provider';
import { ConfigError } from '@codex-ts/config';
import { AuthFileError, RefreshTokenError } from './errors.js';

/**
 * What `headers()` rejects with: the caller's `signal.reason` after an abort, an auth-provider error as it is, and
 * anything else as an `AuthUnavailableError` with the reason a call site can act on (the original as `cause`).
 */
export function toAuthUnavailable(err: unknown, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted && err === signal.reason) return err;
  if (isAuthError(err)) return err;
  if (err instanceof AuthFileError || err instanceof ConfigError) {
    return new AuthUnavailableError('storage_unavailable', `credentials cannot be read (${err.code})`, {
      cause: err,
    });
  }
  if (err instanceof RefreshTokenError) {
    return new AuthUnavailableError('credentials_expired', err.message, {
      cause: err,
      retryable: !err.permanent,
    });
  }
  return new AuthUnavailableError('agent_task_unavailable', 'authorization failed unexpectedly', {
    cause: err,
    retryable: true,
  });
}
