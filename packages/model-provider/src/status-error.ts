import { type HeaderReader, headerReader } from '@codex-ts/auth-provider';
import {
  BadRequestError,
  ContextWindowExceededError,
  ModelProviderError,
  ServerOverloadedError,
  UnauthorizedError,
  UsageLimitReachedError,
} from './errors.js';
import { parseRateLimits } from './rate-limits.js';
import { safeBody } from './redact.js';
import { requestIdOf } from './response-metadata.js';

export interface FailedResponse {
  readonly status: number;
  readonly headers: HeaderReader;
  readonly body: string;
  /** `POST http://…/responses`, for the message. */
  readonly target: string;
  /** Credentials the request sent, removed from the body kept in the error. */
  readonly sentSecrets?: readonly string[];
}

interface ErrorBody {
  type?: unknown;
  code?: unknown;
  message?: unknown;
  plan_type?: unknown;
  resets_at?: unknown;
}

/**
 * The typed error for a non-2xx response (or a websocket `error` frame with a status), classified as upstream 0.169
 * does. Final (`retryable` false): 400 (a bad request, or the context window), 401 after its recovery, 429 (a usage
 * limit or a rate limit) and 503 overloaded. Any other status is unexpected and `retryable`: the session retries the
 * attempt. Which failures are first resent within an attempt (5xx, network) is the session's rule, not this one.
 */
export function errorFromStatus(response: FailedResponse): ModelProviderError {
  const { status, headers } = response;
  const body = safeBody(response.body, response.sentSecrets);
  const requestId = requestIdOf(headers);
  const details = { status, requestId, body };
  const error = parseErrorBody(response.body);
  const code = typeof error?.code === 'string' ? error.code : undefined;
  const type = typeof error?.type === 'string' ? error.type : undefined;
  // What the server said, kept in the message as the body is kept: without a credential the request sent.
  const serverMessage =
    typeof error?.message === 'string' ? safeBody(error.message, response.sentSecrets) : undefined;
  const said = serverMessage ? `: ${serverMessage}` : code ? `: ${safeBody(code, response.sentSecrets)}` : '';
  const suffix = `${requestId ? ` (request id ${requestId})` : ''}`;

  if (status === 401) {
    const reason = headers.get('x-openai-authorization-error') ?? code;
    return new UnauthorizedError(
      `${response.target} was refused with 401${reason ? `: ${reason}` : ''}${suffix}`,
      { ...details, reason: reason ?? undefined },
    );
  }
  if (status === 429 && (type === 'usage_limit_reached' || code === 'usage_limit_reached')) {
    const planType = typeof error?.plan_type === 'string' ? error.plan_type : undefined;
    const resetsAt = typeof error?.resets_at === 'number' ? new Date(error.resets_at * 1000) : undefined;
    const activeLimit = headers.get('x-codex-active-limit') ?? undefined;
    const rateLimits = parseRateLimits(headers, activeLimit);
    const when = resetsAt ? `; it resets at ${resetsAt.toISOString()}` : '';
    return new UsageLimitReachedError(
      `the usage limit${planType ? ` of the ${planType} plan` : ''} has been reached${when}${suffix}`,
      { ...details, planType, resetsAt, rateLimits },
    );
  }
  if (code === 'context_length_exceeded') {
    return new ContextWindowExceededError(
      `the conversation no longer fits the model's context window${suffix}`,
      details,
    );
  }
  if (status === 503 && (code === 'server_is_overloaded' || code === 'slow_down')) {
    return new ServerOverloadedError(`the server is overloaded (503 ${code})${suffix}`, details);
  }
  if (status === 429) {
    // Upstream 0.169 neither resends nor retries it: "exceeded retry limit, last status: 429".
    return new ModelProviderError(
      'rate_limited',
      `${response.target} was rate limited (429)${suffix}`,
      details,
    );
  }
  if (status === 400) {
    return new BadRequestError(`${response.target} was rejected with ${status}${said}${suffix}`, details);
  }
  return new ModelProviderError(
    'unexpected_status',
    `${response.target} answered ${status}${said}${suffix}`,
    {
      ...details,
      retryable: true,
    },
  );
}

/** A header record (from a websocket error frame or an upgrade response) as a reader. */
export function recordHeaders(value: unknown): HeaderReader {
  if (typeof value !== 'object' || value === null) return headerReader({});
  const record: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') record[k] = v;
  return headerReader(record);
}

function parseErrorBody(text: string): ErrorBody | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const error = (parsed as { error?: unknown }).error;
    return typeof error === 'object' && error !== null ? (error as ErrorBody) : undefined;
  } catch {
    return undefined;
  }
}
