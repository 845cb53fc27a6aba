/**
 * The wire vocabulary of a rejected request: the `x-openai-authorization-error` header, the reasons a backend
 * sends in it (and as `error.code` in the JSON body), and one reader of status + header + body. The dev backend
 * writes these values; login reads them to decide how to recover.
 */

export const AUTHORIZATION_ERROR_HEADER = 'x-openai-authorization-error';

/** Every reason the backend sends on a 401 (`account_mismatch` comes with a 403). */
export const AUTHORIZATION_ERROR_REASONS = [
  'missing_authorization',
  'unsupported_scheme',
  'invalid_bearer',
  'expired_bearer',
  'malformed_assertion',
  'unknown_runtime',
  'unknown_task',
  'bad_signature',
  'stale_timestamp',
  'future_timestamp',
  'invalid_biscuit',
  'biscuit_mismatch',
  'account_mismatch',
] as const;
export type AuthorizationErrorReason = (typeof AUTHORIZATION_ERROR_REASONS)[number];

/** Why an AgentAssertion header was refused, as the wire spells it (the verifier returns these). */
export type AgentAssertionFailureReason = Extract<
  AuthorizationErrorReason,
  | 'malformed_assertion'
  | 'unknown_runtime'
  | 'unknown_task'
  | 'bad_signature'
  | 'stale_timestamp'
  | 'future_timestamp'
>;

/** The reasons that mean "the client's clock is off": a `Date` header can correct them. */
export const CLOCK_SKEW_REASONS: ReadonlySet<AuthorizationErrorReason> = new Set([
  'stale_timestamp',
  'future_timestamp',
]);

const KNOWN: ReadonlySet<string> = new Set(AUTHORIZATION_ERROR_REASONS);

export function isAuthorizationErrorReason(value: unknown): value is AuthorizationErrorReason {
  return typeof value === 'string' && KNOWN.has(value);
}

/** Headers as fetch (`Headers`), node:http or undici give them. */
export type HeadersLike =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | readonly string[] | undefined>>;

export interface AuthorizationErrorInput {
  status: number;
  headers: HeadersLike;
  /** The response body text, when read. */
  body?: string;
}

/**
 * What a 401/403 said: a known `reason` (from the header, else the body's `error.code`), or `unrecognized` with
 * the raw value (at most 64 characters) when the server sent something this vocabulary does not know.
 */
export type AuthorizationErrorReading =
  | { readonly status: number; readonly reason: AuthorizationErrorReason; readonly source: 'header' | 'body' }
  | { readonly status: number; readonly reason: 'unrecognized'; readonly value?: string };

const MAX_VALUE_CHARS = 64;

function headerValue(headers: HeadersLike, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  for (const key of Object.keys(record)) {
    if (key.toLowerCase() !== name) continue;
    const value = record[key];
    return typeof value === 'string' ? value : value?.[0];
  }
  return undefined;
}

function bodyCode(body: string | undefined): string | undefined {
  if (body === undefined) return undefined;
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown } } | null;
    const code = parsed?.error?.code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

/** Reads a response's authorization failure; undefined unless the status is 401 or 403. */
export function readAuthorizationError(
  input: AuthorizationErrorInput,
): AuthorizationErrorReading | undefined {
  const { status } = input;
  if (status !== 401 && status !== 403) return undefined;
  const fromHeader = headerValue(input.headers, AUTHORIZATION_ERROR_HEADER)?.trim();
  if (isAuthorizationErrorReason(fromHeader)) return { status, reason: fromHeader, source: 'header' };
  const fromBody = bodyCode(input.body);
  if (fromHeader === undefined || fromHeader === '') {
    if (isAuthorizationErrorReason(fromBody)) return { status, reason: fromBody, source: 'body' };
  }
  const raw = fromHeader || fromBody;
  return raw === undefined || raw === ''
    ? { status, reason: 'unrecognized' }
    : { status, reason: 'unrecognized', value: raw.slice(0, MAX_VALUE_CHARS) };
}
