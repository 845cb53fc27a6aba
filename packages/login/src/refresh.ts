import { type RefreshFailureReason, RefreshTokenError } from './errors.js';

export const REFRESH_CLIENT_ID = 'app_EMoamEEZ73f0CkXaXp7hrann';
export const DEFAULT_REFRESH_TOKEN_URL = 'https://auth.openai.com/oauth/token';
export const REFRESH_TOKEN_URL_OVERRIDE_ENV = 'CODEX_REFRESH_TOKEN_URL_OVERRIDE';

export function refreshTokenUrl(env: NodeJS.ProcessEnv): string {
  const override = env[REFRESH_TOKEN_URL_OVERRIDE_ENV]?.trim();
  return override ? override : DEFAULT_REFRESH_TOKEN_URL;
}

export interface RefreshedTokens {
  idToken?: string;
  accessToken?: string;
  refreshToken?: string;
}

const PERMANENT_CODES: Record<string, { reason: RefreshFailureReason; message: string }> = {
  refresh_token_expired: {
    reason: 'expired',
    message:
      'Your access token could not be refreshed because your refresh token has expired. Please log in again.',
  },
  refresh_token_reused: {
    reason: 'exhausted',
    message:
      'Your access token could not be refreshed because your refresh token was already used. Please log in again.',
  },
  refresh_token_invalidated: {
    reason: 'revoked',
    message:
      'Your access token could not be refreshed because your refresh token was revoked. Please log in again.',
  },
};

function errorCodeOf(body: string): string | undefined {
  try {
    const j = JSON.parse(body) as Record<string, unknown>;
    const e = j.error;
    if (typeof e === 'string') return e;
    if (e && typeof e === 'object' && typeof (e as Record<string, unknown>).code === 'string') {
      return (e as Record<string, string>).code;
    }
    if (typeof j.code === 'string') return j.code;
  } catch {
    // not JSON
  }
  return undefined;
}

/** Classifies a failed refresh response: known codes and 401 are permanent, everything else transient. */
export function classifyRefreshFailure(status: number, body: string): RefreshTokenError {
  const code = errorCodeOf(body);
  const known = code !== undefined ? PERMANENT_CODES[code] : undefined;
  if (known)
    return new RefreshTokenError({ permanent: true, reason: known.reason, status, message: known.message });
  if (status === 401) {
    return new RefreshTokenError({
      permanent: true,
      reason: 'unauthorized',
      status,
      message: 'Your access token could not be refreshed (401). Please log in again.',
    });
  }
  return new RefreshTokenError({
    permanent: false,
    reason: 'other',
    status,
    // The server's error code is not echoed: an unknown value could be anything, a token included.
    message: `token refresh failed with status ${status}`,
  });
}

/** POSTs the refresh grant. Never includes a token in an error. */
export async function requestTokenRefresh(o: {
  url: string;
  refreshToken: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}): Promise<RefreshedTokens> {
  const doFetch = o.fetch ?? fetch;
  let res: Response;
  try {
    res = await doFetch(o.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        client_id: REFRESH_CLIENT_ID,
        grant_type: 'refresh_token',
        refresh_token: o.refreshToken,
      }),
      signal: AbortSignal.timeout(o.timeoutMs ?? 30_000),
    });
  } catch (err) {
    const name = (err as Error)?.name;
    throw new RefreshTokenError(
      {
        permanent: false,
        reason: 'other',
        message: name === 'TimeoutError' ? 'token refresh timed out' : 'token refresh failed: network error',
      },
      { cause: err },
    );
  }
  const text = await res.text().catch(() => '');
  if (!res.ok) throw classifyRefreshFailure(res.status, text.slice(0, 4096));
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new RefreshTokenError({
      permanent: false,
      reason: 'other',
      status: res.status,
      message: 'token refresh response is not JSON',
    });
  }
  const pick = (k: string) =>
    typeof json[k] === 'string' && json[k] !== '' ? (json[k] as string) : undefined;
  const out: RefreshedTokens = {};
  const id = pick('id_token');
  const access = pick('access_token');
  const refresh = pick('refresh_token');
  if (id !== undefined) out.idToken = id;
  if (access !== undefined) out.accessToken = access;
  if (refresh !== undefined) out.refreshToken = refresh;
  return out;
}
