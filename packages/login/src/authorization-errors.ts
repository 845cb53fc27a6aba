import type { HeaderReader } from '@codex-ts/auth-provider';

/**
 * The wire vocabulary of a 401 from the ChatGPT backend or authapi (to be replaced by agent-identity's module):
 * the reason is in `x-openai-authorization-error`, else in the JSON body's `error.code`.
 */
export const AUTHORIZATION_ERROR_HEADER = 'x-openai-authorization-error';

/** Reasons that say the signed timestamp is outside the server's window (our clock is off). */
const CLOCK_REASONS: ReadonlySet<string> = new Set(['stale_timestamp', 'future_timestamp']);
/** Reasons that say the server does not accept the identity itself. */
const IDENTITY_REASONS: ReadonlySet<string> = new Set(['unknown_runtime', 'bad_signature']);

/** The one reader of a 401's reason: status, then the header, then the body. */
export function unauthorizedReason(response: {
  readonly status: number | undefined;
  readonly headers?: HeaderReader;
  readonly headerValue?: string | undefined;
  readonly body: string | undefined;
}): string | undefined {
  if (response.status !== 401 && response.status !== 404) return undefined;
  const header = response.headers?.get(AUTHORIZATION_ERROR_HEADER) ?? response.headerValue;
  if (header?.trim()) return header.trim();
  try {
    const code = (JSON.parse(response.body ?? '') as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

export function isClockReason(reason: string | undefined): boolean {
  return reason !== undefined && CLOCK_REASONS.has(reason);
}

/** A refusal of the identity (no reason counts as one: the server does not say which part it rejects). */
export function isIdentityReason(reason: string | undefined): boolean {
  return reason === undefined || IDENTITY_REASONS.has(reason);
}
