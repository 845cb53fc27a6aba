import { isAuthUnavailableError } from '@codex-ts/auth-provider';
import { isModelProviderError } from '@codex-ts/model-provider';
import type { TurnError } from '../threads/thread-model.js';

/** A failure as the wire's `TurnError` (`codexErrorInfo` from upstream's vocabulary). Never a secret. */
export function turnErrorOf(err: unknown): TurnError {
  if (isAuthUnavailableError(err)) {
    const reason = (err as { reason?: string }).reason ?? 'unavailable';
    const retryable = (err as { retryable?: boolean }).retryable ?? reason === 'agent_task_unavailable';
    return {
      message: err.message,
      codexErrorInfo: 'unauthorized',
      additionalDetails: `auth unavailable (${reason}); retryable: ${retryable}`,
    };
  }
  if (isModelProviderError(err)) {
    const httpStatusCode = err.status ?? null;
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
          return 'rateLimitExceeded';
        case 'bad_request':
          return 'badRequest';
        case 'stream_disconnected':
          return { responseStreamDisconnected: { httpStatusCode } };
        case 'unexpected_status':
          return { responseStreamConnectionFailed: { httpStatusCode } };
        default:
          return 'other';
      }
    })();
    return {
      message: err.message,
      codexErrorInfo: info,
      additionalDetails: err.requestId ? `request id ${err.requestId}` : null,
    };
  }
  return {
    message: err instanceof Error ? err.message : String(err),
    codexErrorInfo: 'other',
    additionalDetails: null,
  };
}

/** The wire's `TurnError`. */
export function turnError(
  message: string,
  codexErrorInfo: unknown,
  additionalDetails: string | null,
): TurnError {
  return { message, codexErrorInfo, additionalDetails };
}

/** A response cut short (`response.incomplete`), in upstream's words. */
export function incompleteTurnError(reason: string | undefined): TurnError {
  return turnError(`Incomplete response returned, reason: ${reason ?? 'unknown'}`, 'other', null);
}
