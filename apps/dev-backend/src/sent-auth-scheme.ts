import type { IncomingMessage } from 'node:http';
import { header } from './http.js';
import type { DevAuthScheme } from './types.js';

/**
 * The scheme a request carried, read from its headers without checking anything: for the request log of routes
 * that never authenticate (404, 405). `Authorization: Bearer …` → bearer, `AgentAssertion …` → assertion, only an
 * `X-OpenAI-Authorization` biscuit → biscuit, else none.
 */
export function sentAuthScheme(req: IncomingMessage): DevAuthScheme {
  const authorization = header(req, 'authorization');
  if (authorization !== undefined) {
    const scheme = authorization.trim().split(/\s+/, 1)[0] ?? '';
    if (scheme.toLowerCase() === 'bearer') return 'bearer';
    if (scheme === 'AgentAssertion') return 'assertion';
    return 'none';
  }
  return header(req, 'x-openai-authorization') === undefined ? 'none' : 'biscuit';
}
