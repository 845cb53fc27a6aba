import type { AuthScheme } from './types.js';

const BEARER = /^Bearer /;
const AGENT_ASSERTION = /^AgentAssertion /;

/** The scheme of an `Authorization` header value; anything unrecognised or absent is `none`. */
export function authorizationScheme(headerValue: string | undefined): AuthScheme {
  if (headerValue === undefined) return 'none';
  if (BEARER.test(headerValue)) return 'bearer';
  if (AGENT_ASSERTION.test(headerValue)) return 'agent-assertion';
  return 'none';
}

/** The header value with its credential replaced, e.g. `Bearer <redacted>`; safe for logs. */
export function redactAuthorization(headerValue: string): string {
  const space = headerValue.indexOf(' ');
  const scheme = space === -1 ? '' : headerValue.slice(0, space);
  return /^[A-Za-z][A-Za-z0-9-]*$/.test(scheme) ? `${scheme} <redacted>` : '<redacted>';
}
