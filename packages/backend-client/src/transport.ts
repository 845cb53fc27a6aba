import {
  type AuthFetch,
  type AuthFetchInit,
  type AuthProvider,
  createAuthFetch,
  type FetchLike,
  isAuthError,
} from '@codex-ts/auth-provider';
import type { z } from 'zod';
import { BackendError, type BackendErrorDetails, statusReason } from './errors.js';
import { redactUrl } from './redact-url.js';

/** What one call sends. `auth` overrides the client's provider (a thread provider for a turn's upload). */
export interface CallOptions {
  readonly signal?: AbortSignal | undefined;
}

export interface SendRequest extends CallOptions {
  readonly method: string;
  readonly url: URL;
  readonly json?: unknown;
  readonly auth?: AuthProvider | undefined;
}

/** A 2xx answer, read whole. */
export interface Received {
  readonly status: number;
  readonly contentType: string;
  readonly requestId: string | undefined;
  readonly text: string;
  readonly details: BackendErrorDetails;
}

const REQUEST_ID_HEADERS = ['x-request-id', 'x-oai-request-id'];

/**
 * Sends backend requests through `createAuthFetch` (provider headers per attempt, one retry after a 401 when the
 * provider recovers, redirects re-authorized per hop), and turns every non-2xx or undecodable answer into a
 * `BackendError`. It never builds an `Authorization` header itself.
 */
export class Transport {
  readonly #auth: AuthProvider;
  readonly #userAgent: string;
  readonly #fetch: FetchLike | undefined;
  readonly #authFetches = new WeakMap<AuthProvider, AuthFetch>();

  constructor(auth: AuthProvider, userAgent: string, fetch: FetchLike | undefined) {
    this.#auth = auth;
    this.#userAgent = userAgent;
    this.#fetch = fetch;
  }

  /** The provider requests are authorized with unless a call names another. */
  get auth(): AuthProvider {
    return this.#auth;
  }

  authFetch(auth: AuthProvider): AuthFetch {
    let authFetch = this.#authFetches.get(auth);
    if (!authFetch) {
      authFetch = createAuthFetch(auth, this.#fetch ? { fetch: this.#fetch } : {});
      this.#authFetches.set(auth, authFetch);
    }
    return authFetch;
  }

  /** Sends with the provider's headers and returns the 2xx answer, or throws a `BackendError`. */
  async send(request: SendRequest): Promise<Received> {
    const headers: Record<string, string> = { 'User-Agent': this.#userAgent, Accept: 'application/json' };
    const init: AuthFetchInit = { method: request.method, headers };
    if (request.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(request.json);
    }
    if (request.signal) init.signal = request.signal;
    return this.exchange(
      request.method,
      request.url,
      () => this.authFetch(request.auth ?? this.#auth)(request.url, init),
      request.signal,
    );
  }

  /** Runs one exchange and reads the answer whole; shared by authorized and unauthorized sends. */
  async exchange(
    method: string,
    url: URL,
    run: () => Promise<Response>,
    signal?: AbortSignal | undefined,
  ): Promise<Received> {
    const base = { method, url: redactUrl(url) };
    let response: Response;
    try {
      response = await run();
    } catch (error) {
      if (signal?.aborted || isAuthError(error)) throw error;
      throw new BackendError('request_failed', base, `failed: ${describeCause(error)}`, { cause: error });
    }
    const contentType = response.headers.get('content-type') ?? '';
    const requestId =
      REQUEST_ID_HEADERS.map((name) => response.headers.get(name)).find((v) => v) ?? undefined;
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw new BackendError(
        'request_failed',
        { ...base, status: response.status, contentType, requestId },
        `failed while reading the body: ${describeCause(error)}`,
        { cause: error },
      );
    }
    const details: BackendErrorDetails = {
      ...base,
      status: response.status,
      contentType,
      requestId,
      body: text,
    };
    if (response.status < 200 || response.status > 299) {
      throw new BackendError('unexpected_status', details, statusReason(details));
    }
    return { status: response.status, contentType, requestId, text, details };
  }

  /** `send`, then the body decoded as JSON and validated (unknown fields kept by loose schemas). */
  async json<S extends z.ZodType>(schema: S, request: SendRequest): Promise<z.output<S>> {
    return decodeJson(schema, await this.send(request));
  }
}

/** The body as JSON validated by `schema`, or an `invalid_response` error naming what was wrong. */
export function decodeJson<S extends z.ZodType>(schema: S, received: Received): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(received.text);
  } catch (error) {
    throw invalidResponse(received, `is not JSON (${(error as Error).message})`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'body';
    throw invalidResponse(received, `does not match: ${where}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

export function invalidResponse(received: Received, what: string): BackendError {
  const { details } = received;
  return new BackendError(
    'invalid_response',
    details,
    `answered ${details.status} but the body ${what}; content-type=${details.contentType}; body=${(details.body ?? '').slice(0, 512)}`,
  );
}

function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  const code = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? `${error.message} (${code})` : error.message;
}
