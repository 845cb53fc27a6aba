const MARKER = Symbol.for('@codex-ts/backend-client.error');

/** At most this many characters of a response body are kept on an error. */
export const ERROR_BODY_LIMIT = 512;

/**
 * Why a backend call failed:
 * - `unexpected_status`: the server answered with a non-2xx status;
 * - `invalid_response`: a 2xx answer whose body is not the JSON the endpoint promises;
 * - `request_failed`: no answer at all (network, abort).
 */
export type BackendErrorCode = 'unexpected_status' | 'invalid_response' | 'request_failed';

export interface BackendErrorDetails {
  readonly method: string;
  /** The URL with query secrets redacted. */
  readonly url: string;
  readonly status?: number | undefined;
  readonly contentType?: string | undefined;
  readonly requestId?: string | undefined;
  /** The response body, cut to `ERROR_BODY_LIMIT` characters. */
  readonly body?: string | undefined;
}

/**
 * A failed backend call. The message is `METHOD url failed: status; content-type=…; request-id=…; body=…`
 * (or the decode / network reason); the URL never carries query secrets and the body is cut to 512 characters.
 * Check with `isBackendError(e)`, which works across two installed copies of this package.
 */
export class BackendError extends Error {
  readonly [MARKER] = true;
  readonly code: BackendErrorCode;
  readonly method: string;
  readonly url: string;
  readonly status: number | undefined;
  readonly contentType: string | undefined;
  readonly requestId: string | undefined;
  readonly body: string | undefined;

  constructor(code: BackendErrorCode, details: BackendErrorDetails, reason: string, options?: ErrorOptions) {
    super(`${details.method} ${details.url} ${reason}`, options);
    this.name = 'BackendError';
    this.code = code;
    this.method = details.method;
    this.url = details.url;
    this.status = details.status;
    this.contentType = details.contentType;
    this.requestId = details.requestId;
    this.body = details.body === undefined ? undefined : truncateBody(details.body);
  }

  /** The server answered 401 (after the provider's one recovery attempt). */
  get isUnauthorized(): boolean {
    return this.status === 401;
  }
}

/** True for a `BackendError` from this or another installed copy of the package. */
export function isBackendError(error: unknown): error is BackendError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
}

export function truncateBody(body: string): string {
  return body.length > ERROR_BODY_LIMIT ? body.slice(0, ERROR_BODY_LIMIT) : body;
}

/** The reason text of an `unexpected_status` error, upstream's wording with the request id added. */
export function statusReason(details: BackendErrorDetails): string {
  const parts = [`failed: ${details.status}`, `content-type=${details.contentType ?? ''}`];
  if (details.requestId) parts.push(`request-id=${details.requestId}`);
  parts.push(`body=${truncateBody(details.body ?? '')}`);
  return parts.join('; ');
}
