import { headerReader } from './header-reader.js';
import type { AuthRequest, HeaderReader, UnauthorizedContext } from './types.js';

/** How much of a 401 body a provider is shown. */
export const UNAUTHORIZED_BODY_LIMIT = 4096;

/** The context for a 401 to an HTTP request: what was sent, and the response's status, headers and body start. */
export function unauthorizedContext(
  request: AuthRequest,
  sentHeaders: Readonly<Record<string, string>>,
  response: { readonly status: number; readonly headers: HeaderReader },
  body: string,
): UnauthorizedContext {
  return {
    request,
    sentHeaders: headerReader(sentHeaders),
    response: {
      status: response.status,
      headers: response.headers,
      body: body.slice(0, UNAUTHORIZED_BODY_LIMIT),
    },
  };
}

/**
 * The context for a websocket upgrade refused with a 401: `response` is what the client library hands over for
 * an unexpected upgrade response (Node's `IncomingMessage` and ws's `unexpected-response` both fit), `body` what
 * was read of it.
 */
export function unauthorizedContextFromUpgrade(options: {
  readonly request: AuthRequest;
  readonly sentHeaders: Readonly<Record<string, string>>;
  readonly response: {
    readonly statusCode?: number | undefined;
    readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  };
  readonly body?: string;
}): UnauthorizedContext {
  return unauthorizedContext(
    options.request,
    options.sentHeaders,
    { status: options.response.statusCode ?? 0, headers: headerReader(options.response.headers) },
    options.body ?? '',
  );
}
