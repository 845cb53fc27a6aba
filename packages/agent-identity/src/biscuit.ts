import { randomBytes } from 'node:crypto';
import { BISCUIT_TIMEOUT_MS, type CallSpec, call, checkStatus, fail, type HttpOptions } from './transport.js';
import { biscuitUrl } from './urls.js';

/** `codex-agent-identity-` + base64url (no padding) of 16 random bytes. */
export function agentIdentityRequestId(): string {
  return `codex-agent-identity-${randomBytes(16).toString('base64url')}`;
}

/**
 * `GET {base}/authenticate_app_v2` with the ChatGPT bearer token; the biscuit is the `x-openai-authorization`
 * response header. `originalMethod` defaults to POST, `originalUrl` is the call the biscuit is for.
 */
export async function fetchAgentBiscuit(
  o: {
    chatgptBaseUrl: string;
    accessToken: string;
    originalMethod?: string;
    originalUrl: string;
  } & HttpOptions,
): Promise<string> {
  const spec: CallSpec = {
    operation: 'biscuit',
    url: biscuitUrl(o.chatgptBaseUrl),
    method: 'GET',
    headers: {
      Authorization: `Bearer ${o.accessToken}`,
      'X-Request-Id': agentIdentityRequestId(),
      'X-Original-Method': o.originalMethod ?? 'POST',
      'X-Original-Url': o.originalUrl,
    },
    defaultTimeoutMs: BISCUIT_TIMEOUT_MS,
    secrets: [o.accessToken],
    http: o,
  };
  const result = await call(spec);
  checkStatus(spec, result);
  const biscuit = result.headers.get('x-openai-authorization');
  if (biscuit === null || biscuit.length === 0) {
    throw fail(spec, 'invalid_response', 'returned no x-openai-authorization header', {
      status: result.status,
      retryable: false,
    });
  }
  return biscuit;
}
