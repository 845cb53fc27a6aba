import type { RateLimitSnapshot } from './rate-limits.js';

const MARKER = Symbol.for('@codex-ts/model-provider.error');

/** Every code a model-provider error carries; narrow with `error.code`. */
export type ModelProviderErrorCode =
  | 'invalid_provider'
  | 'missing_env_key'
  | 'unauthorized'
  | 'usage_limit_reached'
  | 'context_window_exceeded'
  | 'server_overloaded'
  | 'rate_limited'
  | 'bad_request'
  | 'unexpected_status'
  | 'stream_disconnected'
  | 'invalid_event'
  | 'response_failed'
  | 'invalid_models_response';

/** What an HTTP (or websocket upgrade) failure said: all safe to log. */
export interface ResponseDetails {
  readonly status?: number | undefined;
  /** `x-request-id` (or `x-oai-request-id`) of the failed response. */
  readonly requestId?: string | undefined;
  /** At most 512 characters of the response body, credentials removed. */
  readonly body?: string | undefined;
}

/**
 * The base of every error this package throws (auth providers' own `AuthUnavailableError`s and an abort's
 * `signal.reason` pass through unchanged). `isModelProviderError(e)` works across two installed copies.
 */
export class ModelProviderError extends Error {
  readonly [MARKER] = true;
  readonly code: ModelProviderErrorCode;
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  readonly body: string | undefined;
  /** Whether the same request may succeed when sent again (the client already retried as configured). */
  readonly retryable: boolean;

  constructor(
    code: ModelProviderErrorCode,
    message: string,
    details: ResponseDetails & { retryable?: boolean; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ModelProviderError';
    this.code = code;
    this.status = details.status;
    this.requestId = details.requestId;
    this.body = details.body;
    this.retryable = details.retryable ?? false;
  }
}

/** A provider description failed validation; `path` names the field. */
export class InvalidProviderError extends ModelProviderError {
  readonly path: string;
  constructor(path: string, message: string) {
    super('invalid_provider', message);
    this.name = 'InvalidProviderError';
    this.path = path;
  }
}

/** The provider's `env_key` names a variable that is unset or empty. */
export class MissingEnvKeyError extends ModelProviderError {
  readonly envKey: string;
  constructor(envKey: string, providerName: string, instructions?: string) {
    super(
      'missing_env_key',
      `the ${providerName} provider needs the environment variable ${envKey}, which is unset or empty` +
        (instructions ? `: ${instructions}` : ''),
    );
    this.name = 'MissingEnvKeyError';
    this.envKey = envKey;
  }
}

/** 401 after the auth provider's one recovery; `reason` is the `x-openai-authorization-error` header. */
export class UnauthorizedError extends ModelProviderError {
  readonly reason: string | undefined;
  constructor(message: string, details: ResponseDetails & { reason?: string | undefined }) {
    super('unauthorized', message, details);
    this.name = 'UnauthorizedError';
    this.reason = details.reason;
  }
}

/** 429 `usage_limit_reached`: the plan's limit; `resetsAt` says when it lifts. Not retried. */
export class UsageLimitReachedError extends ModelProviderError {
  readonly planType: string | undefined;
  readonly resetsAt: Date | undefined;
  readonly rateLimits: RateLimitSnapshot | undefined;
  constructor(
    message: string,
    details: ResponseDetails & {
      planType?: string | undefined;
      resetsAt?: Date | undefined;
      rateLimits?: RateLimitSnapshot | undefined;
    },
  ) {
    super('usage_limit_reached', message, details);
    this.name = 'UsageLimitReachedError';
    this.planType = details.planType;
    this.resetsAt = details.resetsAt;
    this.rateLimits = details.rateLimits;
  }
}

/** The conversation no longer fits the model's context window (`context_length_exceeded`). */
export class ContextWindowExceededError extends ModelProviderError {
  constructor(message: string, details: ResponseDetails = {}) {
    super('context_window_exceeded', message, details);
    this.name = 'ContextWindowExceededError';
  }
}

/** 503 `server_is_overloaded` / `slow_down` after the request retries; the attempt is not retried (as upstream). */
export class ServerOverloadedError extends ModelProviderError {
  constructor(message: string, details: ResponseDetails = {}) {
    super('server_overloaded', message, details);
    this.name = 'ServerOverloadedError';
  }
}

/** The stream ended, stalled past the idle timeout, or the connection broke, after the stream retries. */
export class StreamDisconnectedError extends ModelProviderError {
  constructor(message: string, details: ResponseDetails & { cause?: unknown } = {}) {
    super('stream_disconnected', message, { ...details, retryable: true });
    this.name = 'StreamDisconnectedError';
  }
}

/** 400: the request itself is wrong. Not retried. */
export class BadRequestError extends ModelProviderError {
  constructor(message: string, details: ResponseDetails = {}) {
    super('bad_request', message, details);
    this.name = 'BadRequestError';
  }
}

/** True for any error of this package, from this or another installed copy. */
export function isModelProviderError(error: unknown): error is ModelProviderError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
}
