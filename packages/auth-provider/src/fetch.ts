import type { AuthProvider, AuthRequest, HeaderReader, UnauthorizedContext } from './types.js';

/** The parts of a fetch `Response` this helper uses; both Node's global fetch and undici's satisfy it. */
export interface ResponseLike {
  readonly status: number;
  readonly headers: HeaderReader;
  readonly body: { cancel(reason?: unknown): Promise<void> } | null;
  clone(): { text(): Promise<string> };
}

/** Request options as fetch takes them; `dispatcher` is passed through for undici. */
export type FetchWithAuthInit = Omit<RequestInit, 'headers'> & {
  headers?: ConstructorParameters<typeof Headers>[0];
  dispatcher?: unknown;
};

export interface FetchWithAuthOptions<R extends ResponseLike> {
  /** The fetch to send with: `globalThis.fetch` by default, or undici's. */
  fetch?(input: string | URL, init: FetchWithAuthInit): Promise<R>;
}

const MAX_CONTEXT_BODY = 4096;

/**
 * Sends a request with the provider's headers, fresh for each attempt. When the response is a 401,
 * the provider is told; when it answers that a retry may succeed and the request body can be sent
 * again, the request is retried exactly once. A streamed body (ReadableStream, async iterable) is
 * never retried.
 */
export async function fetchWithAuth<R extends ResponseLike = Response>(
  provider: AuthProvider,
  input: string | URL,
  init: FetchWithAuthInit = {},
  options: FetchWithAuthOptions<R> = {},
): Promise<R> {
  const send =
    options.fetch ?? (globalThis.fetch as unknown as NonNullable<FetchWithAuthOptions<R>['fetch']>);
  const request: AuthRequest = { url: new URL(input), method: (init.method ?? 'GET').toUpperCase() };

  const attempt = async (): Promise<{ response: R; sentHeaders: Record<string, string> }> => {
    const sentHeaders = await provider.headers(request);
    const headers = new Headers(init.headers);
    for (const [name, value] of Object.entries(sentHeaders)) headers.set(name, value);
    const response = await send(input, { ...init, headers });
    return { response, sentHeaders };
  };

  const first = await attempt();
  if (first.response.status !== 401 || provider.onUnauthorized === undefined) return first.response;

  const body = (await first.response.clone().text()).slice(0, MAX_CONTEXT_BODY);
  const context: UnauthorizedContext = {
    request,
    sentHeaders: first.sentHeaders,
    response: { status: first.response.status, headers: first.response.headers, body },
  };
  const retry = await provider.onUnauthorized(context);
  if (!retry || !isReplayableBody(init.body)) return first.response;

  await first.response.body?.cancel();
  return (await attempt()).response;
}

/** Bodies fetch can send a second time unchanged. */
export function isReplayableBody(body: unknown): boolean {
  return (
    body === undefined ||
    body === null ||
    typeof body === 'string' ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body) ||
    body instanceof URLSearchParams ||
    body instanceof Blob ||
    body instanceof FormData
  );
}
