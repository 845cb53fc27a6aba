import { isAuthUnavailableError } from '@codex-ts/auth-provider';
import { isModelProviderError, type ModelProviderError } from '@codex-ts/model-provider';
import type { TurnError } from '../threads/thread-model.js';

/** A failure as the wire's `TurnError` (`codexErrorInfo` from upstream's vocabulary). Never a secret. */
export function turnErrorOf(err: unknown): TurnError {
  if (isAuthUnavailableError(err)) {
    const reason = (err as { reason?: string }).reason ?? 'unavailable';
    const retryable = (err as { retryable?: boolean }).retryable ?? reason === 'agent_task_unavailable';
    return turnError(err.message, 'unauthorized', `auth unavailable (${reason}); retryable: ${retryable}`);
  }
  if (isModelProviderError(err)) {
    const httpStatusCode = reportedStatus(err);
    const info = (() => {
      switch (err.code) {
        case 'unauthorized':
          return 'unauthorized';
        case 'usage_limit_reached':
          return 'usageLimitExceeded';
        case 'context_window_exceeded':
          return 'contextWindowExceeded';
        case 'server_overloaded':
          return 'serverOverloaded';
        case 'rate_limited':
          // Upstream 0.169 does not retry a 429 and reports it as a retry limit reached at once.
          return { responseTooManyFailedAttempts: { httpStatusCode } };
        case 'bad_request':
          // Upstream 0.169 reports a 400 as `other` (its `badRequest` is not what it sends for one).
          return 'other';
        case 'unexpected_status':
          return err.status === 500 ? 'internalServerError' : { httpConnectionFailed: { httpStatusCode } };
        default:
          // A stream that broke or failed ends the turn as `other` in upstream 0.169 (its retries said more).
          return 'other';
      }
    })();
    return turnError(err.message, info, err.requestId ? `request id ${err.requestId}` : null);
  }
  return turnError(err instanceof Error ? err.message : String(err), 'other', null);
}

/** The status upstream reports with an error: none for a 500 (its own `internalServerError`) or a stream's end. */
function reportedStatus(err: ModelProviderError): number | null {
  return err.status === undefined || err.status === 500 ? null : err.status;
}

/** The wire's `TurnError` (`misalignment` is for content blocks upstream's backend reports; never ours). */
export function turnError(
  message: string,
  codexErrorInfo: unknown,
  additionalDetails: string | null,
): TurnError {
  return { message, codexErrorInfo, additionalDetails, misalignment: null };
}

/**
 * The `error` (`willRetry: true`) of a retry that upstream reports: "Reconnecting... n/max", the status if any, and
 * the cause in `additionalDetails`.
 */
export function reconnectingError(retry: {
  attempt: number;
  maxRetries: number;
  error: ModelProviderError;
}): TurnError {
  return turnError(
    `Reconnecting... ${retry.attempt}/${retry.maxRetries}`,
    { responseStreamDisconnected: { httpStatusCode: reportedStatus(retry.error) } },
    retry.error.message,
  );
}

/** A response cut short (`response.incomplete`), in upstream's words. */
export function incompleteTurnError(reason: string | undefined): TurnError {
  return turnError(`Incomplete response returned, reason: ${reason ?? 'unknown'}`, 'other', null);
}
