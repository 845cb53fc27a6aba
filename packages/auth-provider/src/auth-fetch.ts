import { PROVIDER_HEADERS } from './headers.js';
import { isRedirect, MAX_REDIRECTS, redirectDropsBody } from './redirect.js';
import { isReplayableBody } from './replayable-body.js';
import type { AuthProvider, AuthRequest, HeaderReader } from './types.js';
import { unauthorizedContext } from './unauthorized-context.js';

/** The parts of a fetch `Response` this helper uses; Node's global fetch and undici's both satisfy it. */
export interface ResponseLike {
  readonly status: number;
  readonly headers: HeaderReader;
  readonly body: { cancel(reason?: unknown): Promise<void> } | null;
  clone(): { text(): Promise<string> };
}

/** Request options as fetch takes them; `dispatcher` is passed through for undici. */
export type AuthFetchInit = Omit<RequestInit, 'headers'> & {
  headers?: ConstructorParameters<typeof Headers>[0];
  dispatcher?: unknown;
  duplex?: 'half';
};

/** A fetch to send with: `globalThis.fetch` (resolved at call time) by default, or undici's. */
export type FetchLike<R extends ResponseLike = Response> = (input: string, init: AuthFetchInit) => Promise<R>;

export interface AuthFetchOptions<R extends ResponseLike = Response> {
  readonly fetch?: FetchLike<R>;
}

/** `fetch`'s signature, authorized by a provider. */
export type AuthFetch<R extends ResponseLike = Response> = (
  input: string | URL | Request,
  init?: AuthFetchInit,
) => Promise<R>;

interface Outgoing {
  url: URL;
  method: string;
  headers: Headers;
  body: unknown;
  signal: AbortSignal | undefined;
  redirect: NonNullable<RequestInit['redirect']>;
  rest: AuthFetchInit;
}

/**
 * A function with `fetch`'s signature that asks `provider` for headers on every attempt and every redirect hop.
 *
 * - Redirects are followed here (`redirect: 'manual'` underneath), asking the provider again for each hop, so a
 *   hop to a host the provider does not authorize carries none of its headers (a caller's `Authorization`,
 *   `ChatGPT-Account-ID` or `X-OpenAI-Fedramp` never travels either). `redirect: 'manual'` and `'error'` behave
 *   as in fetch.
 * - On a 401 the provider is told (`onUnauthorized`); when it answers that a retry may succeed and the body can
 *   be sent again, the request is retried once with fresh headers. A streamed body (a ReadableStream, an async
 *   iterable, a `Request`'s body) is never retried.
 * - `observe(request, response)` is called after every response.
 */
export function createAuthFetch<R extends ResponseLike = Response>(
  provider: AuthProvider,
  options: AuthFetchOptions<R> = {},
): AuthFetch<R> {
  return async (input, init = {}) => {
    const send = options.fetch ?? (globalThis.fetch as unknown as FetchLike<R>);
    const outgoing = describeOutgoing(input, init);
    let retried = false;
    for (let hops = 0; ; ) {
      const request: AuthRequest = outgoing.signal
        ? { url: outgoing.url, method: outgoing.method, signal: outgoing.signal }
        : { url: outgoing.url, method: outgoing.method };
      const sent = await provider.headers(request);
      const response = await send(outgoing.url.href, sendInit(outgoing, sent));
      provider.observe?.(request, response);

      if (response.status === 401 && !retried && provider.onUnauthorized) {
        retried = true;
        const body = await response.clone().text();
        const retry = await provider.onUnauthorized(unauthorizedContext(request, sent, response, body));
        if (!retry || !isReplayableBody(outgoing.body)) return response;
        await response.body?.cancel();
        continue;
      }

      const location = response.headers.get('location');
      if (!isRedirect(response.status) || location === null || outgoing.redirect === 'manual')
        return response;
      if (outgoing.redirect === 'error')
        throw new TypeError(`fetch failed: redirect to ${location} with redirect: 'error'`);
      if (++hops > MAX_REDIRECTS) throw new TypeError(`fetch failed: more than ${MAX_REDIRECTS} redirects`);
      const next = new URL(location, outgoing.url);
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        throw new TypeError(`fetch failed: redirect to a ${next.protocol} URL`);
      }
      if (redirectDropsBody(response.status, outgoing.method)) {
        outgoing.method = 'GET';
        outgoing.body = undefined;
        for (const name of ['content-type', 'content-length', 'content-encoding', 'content-language']) {
          outgoing.headers.delete(name);
        }
      } else if (!isReplayableBody(outgoing.body)) {
        throw new TypeError('fetch failed: cannot follow a redirect with a streamed body');
      }
      await response.body?.cancel();
      outgoing.url = next;
    }
  };
}

/**
 * Sends one request with the provider's headers, fresh for each attempt: `createAuthFetch(provider, options)`
 * called once.
 */
export function fetchWithAuth<R extends ResponseLike = Response>(
  provider: AuthProvider,
  input: string | URL | Request,
  init: AuthFetchInit = {},
  options: AuthFetchOptions<R> = {},
): Promise<R> {
  return createAuthFetch(provider, options)(input, init);
}

function describeOutgoing(input: string | URL | Request, init: AuthFetchInit): Outgoing {
  const { headers, body, signal, method, redirect, ...rest } = init;
  if (typeof input === 'string' || input instanceof URL) {
    return {
      url: new URL(input),
      method: (method ?? 'GET').toUpperCase(),
      headers: new Headers(headers),
      body,
      signal: signal ?? undefined,
      redirect: redirect ?? 'follow',
      rest,
    };
  }
  return {
    url: new URL(input.url),
    method: (method ?? input.method).toUpperCase(),
    headers: new Headers(headers ?? input.headers),
    body: body !== undefined ? body : input.body,
    signal: signal ?? input.signal,
    redirect: redirect ?? input.redirect,
    rest,
  };
}

function sendInit(outgoing: Outgoing, sent: Readonly<Record<string, string>>): AuthFetchInit {
  const headers = new Headers(outgoing.headers);
  for (const name of PROVIDER_HEADERS) headers.delete(name);
  for (const [name, value] of Object.entries(sent)) headers.set(name, value);
  const init: AuthFetchInit = { ...outgoing.rest, method: outgoing.method, headers, redirect: 'manual' };
  if (outgoing.body !== undefined && outgoing.body !== null)
    init.body = outgoing.body as NonNullable<RequestInit['body']>;
  if (outgoing.signal) init.signal = outgoing.signal;
  if (!isReplayableBody(outgoing.body) && init.duplex === undefined) init.duplex = 'half';
  return init;
}
