import { createHash, randomBytes } from 'node:crypto';

/** Tokens from the issuer's code exchange. Secret: never logged. */
export interface IssuedTokens {
  readonly idToken: string;
  readonly accessToken: string;
  readonly refreshToken: string;
}

/** A failed call to the sign-in issuer; carries the status and the issuer's error code, never a token. */
export class OAuthError extends Error {
  readonly status: number | undefined;
  readonly errorCode: string | undefined;

  constructor(message: string, status?: number, errorCode?: string) {
    super(message);
    this.name = 'OAuthError';
    this.status = status;
    this.errorCode = errorCode;
  }
}

/** The Codex CLI's public OAuth client id (upstream's; the same one login refreshes with). */
export const CLIENT_ID = 'app_EMoamEEZ73f0CkXaXp7hrann';

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(64).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

async function errorCodeOf(res: Response): Promise<string | undefined> {
  const body = (await res.json().catch(() => undefined)) as { error?: unknown } | undefined;
  const e = body?.error;
  if (typeof e === 'string') return e;
  if (e && typeof e === 'object' && typeof (e as { code?: unknown }).code === 'string') {
    return (e as { code: string }).code;
  }
  return undefined;
}

/** POST form to the issuer; redirects are not followed (a token must never be sent on to another host). */
export async function postForm(
  url: string,
  form: Record<string, string>,
  signal?: AbortSignal,
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(form).toString(),
    redirect: 'manual',
    ...(signal ? { signal } : {}),
  });
}

export async function postJson(url: string, body: unknown, signal?: AbortSignal): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
    redirect: 'manual',
    ...(signal ? { signal } : {}),
  });
}

/** authorization_code grant with the PKCE verifier. */
export async function exchangeCode(
  issuer: string,
  code: string,
  redirectUri: string,
  verifier: string,
  signal?: AbortSignal,
): Promise<IssuedTokens> {
  const res = await postForm(
    `${issuer}/oauth/token`,
    {
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: CLIENT_ID,
      code_verifier: verifier,
    },
    signal,
  );
  if (!res.ok) {
    const code = await errorCodeOf(res);
    throw new OAuthError(
      `token exchange failed with status ${res.status}${code ? ` (${code})` : ''}`,
      res.status,
      code,
    );
  }
  const body = (await res.json()) as Record<string, unknown>;
  const { id_token, access_token, refresh_token } = body;
  if (typeof id_token !== 'string' || typeof access_token !== 'string' || typeof refresh_token !== 'string') {
    throw new OAuthError(
      'token exchange answered without id_token, access_token and refresh_token',
      res.status,
    );
  }
  return { idToken: id_token, accessToken: access_token, refreshToken: refresh_token };
}

/** RFC 7009 revocation of a refresh token (logout). Failure is reported, never thrown past the caller. */
export async function revokeRefreshToken(url: string, refreshToken: string): Promise<void> {
  const res = await postForm(url, {
    token: refreshToken,
    token_type_hint: 'refresh_token',
    client_id: CLIENT_ID,
  });
  if (!res.ok) throw new OAuthError(`token revocation failed with status ${res.status}`, res.status);
}
