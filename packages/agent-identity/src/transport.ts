import type { Dispatcher } from 'undici';
import { AUTHORIZATION_ERROR_HEADER } from './authorization-error.js';
import { RegistrationError, type RegistrationErrorCode, type RegistrationOperation } from './errors.js';

/**
 * The one transport of the registration calls: a `fetch` function. The default is the global fetch (resolved
 * at call time); pass undici's `fetch` bound to a dispatcher (see `fetchWithDispatcher`) for a proxy.
 */

/** The request a registration call sends; redirects are never followed (a biscuit must not leave its host). */
export interface RegistrationFetchInit {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
  redirect: 'manual';
}

/** The parts of a fetch Response the calls read; the global fetch and undici's both satisfy it. */
export interface RegistrationFetchResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

export type RegistrationFetch = (
  url: string,
  init: RegistrationFetchInit,
) => Promise<RegistrationFetchResponse>;

export interface HttpOptions {
  /** The fetch to send with; default the global fetch. */
  fetch?: RegistrationFetch;
  /**
   * @deprecated Pass `fetch: fetchWithDispatcher(dispatcher)`. Kept so existing callers keep working; ignored when
   * `fetch` is given.
   */
  dispatcher?: Dispatcher;
  /** Overrides the per-call default (biscuit 15 s, identity 15 s, task 30 s). Covers headers and body. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * undici's fetch sending through `dispatcher` (a ProxyAgent, an Agent with custom TLS, a MockAgent…). undici is
 * loaded on the first call, not with this module: the default path (the global fetch) never pays its ~80 ms.
 */
export function fetchWithDispatcher(dispatcher: Dispatcher): RegistrationFetch {
  return async (url, init) => {
    const { fetch } = await import('undici');
    return fetch(url, { ...init, dispatcher });
  };
}

export const BISCUIT_TIMEOUT_MS = 15_000;
export const IDENTITY_TIMEOUT_MS = 15_000;
export const TASK_TIMEOUT_MS = 30_000;
const MAX_ERROR_BODY_CHARS = 512;

const OPERATION_LABEL: Record<RegistrationOperation, string> = {
  biscuit: 'agent identity biscuit request',
  identity: 'agent identity registration',
  task: 'agent task registration',
};

export interface CallSpec {
  operation: RegistrationOperation;
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  defaultTimeoutMs: number;
  /** Strings that must never appear in an error (token, biscuit, signature). */
  secrets: string[];
  http: HttpOptions;
}

export interface CallResult {
  status: number;
  headers: { get(name: string): string | null };
  text: string;
}

function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length > 0) out = out.split(secret).join('<redacted>');
  return out;
}

/** A RegistrationError for `spec`, with secrets redacted from the message and the body excerpt. */
export function fail(
  spec: CallSpec,
  code: RegistrationErrorCode,
  detail: string,
  extra: {
    status?: number;
    body?: string;
    retryable: boolean;
    cause?: unknown;
    headers?: CallResult['headers'];
  },
): RegistrationError {
  const body =
    extra.body === undefined ? undefined : redact(extra.body, spec.secrets).slice(0, MAX_ERROR_BODY_CHARS);
  const message = redact(
    `${OPERATION_LABEL[spec.operation]} ${detail} from ${spec.url}${body === undefined || body === '' ? '' : `: ${body}`}`,
    spec.secrets,
  );
  return new RegistrationError({
    code,
    operation: spec.operation,
    message,
    url: spec.url,
    retryable: extra.retryable,
    ...(extra.status === undefined ? {} : { status: extra.status }),
    ...(body === undefined ? {} : { body }),
    ...(extra.cause === undefined ? {} : { cause: extra.cause }),
    ...responseFacts(extra.headers),
  });
}

/** The non-secret response headers a caller can act on. */
function responseFacts(headers: CallResult['headers'] | undefined): {
  serverDate?: string;
  authorizationError?: string;
} {
  const one = (name: string) => {
    const value = headers?.get(name);
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const serverDate = one('date');
  const authorizationError = one(AUTHORIZATION_ERROR_HEADER);
  return {
    ...(serverDate === undefined ? {} : { serverDate }),
    ...(authorizationError === undefined ? {} : { authorizationError }),
  };
}

function transport(http: HttpOptions): RegistrationFetch {
  if (http.fetch !== undefined) return http.fetch;
  if (http.dispatcher !== undefined) return fetchWithDispatcher(http.dispatcher);
  return globalThis.fetch as unknown as RegistrationFetch;
}

/** Sends the call and reads the whole body within the timeout; network, timeout and abort become typed errors. */
export async function call(spec: CallSpec): Promise<CallResult> {
  const timeoutMs = spec.http.timeoutMs ?? spec.defaultTimeoutMs;
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  const signal =
    spec.http.signal === undefined ? timeout.signal : AbortSignal.any([timeout.signal, spec.http.signal]);
  try {
    const response = await transport(spec.http)(spec.url, {
      method: spec.method,
      headers: spec.headers,
      signal,
      redirect: 'manual',
      ...(spec.body === undefined ? {} : { body: spec.body }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text };
  } catch (error) {
    if (timeout.signal.aborted) {
      throw fail(spec, 'timeout', `timed out after ${timeoutMs} ms`, { retryable: true });
    }
    if (spec.http.signal?.aborted) {
      throw fail(spec, 'aborted', 'was aborted', { retryable: false, cause: spec.http.signal.reason });
    }
    throw fail(spec, 'network', `failed (${networkReason(error)})`, { retryable: true, cause: error });
  } finally {
    clearTimeout(timer);
  }
}

/** fetch reports every network failure as `TypeError: fetch failed`; the useful part is its cause. */
function networkReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' && !cause.message.includes(code)
      ? `${code}: ${cause.message}`
      : cause.message;
  }
  return error.message;
}

/** 2xx passes; anything else is an `http_status` error (retryable for 5xx and 429). */
export function checkStatus(spec: CallSpec, result: CallResult): void {
  if (result.status >= 200 && result.status < 300) return;
  throw fail(spec, 'http_status', `failed with status ${result.status}`, {
    status: result.status,
    body: result.text,
    retryable: result.status >= 500 || result.status === 429,
    headers: result.headers,
  });
}
