import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { Clock } from './clock.js';
import { randomHex, randomToken, sha256Hex } from './ids.js';
import type { BackendState, UserRecord } from './state.js';

/** The Codex CLI's public OAuth client id; any non-empty client id is accepted. */
export const CODEX_CLIENT_ID = 'app_EMoamEEZ73f0CkXaXp7hrann';
export const AUTH_CLAIM = 'https://api.openai.com/auth';
export const PROFILE_CLAIM = 'https://api.openai.com/profile';
export const ACCESS_TOKEN_AUDIENCE = 'https://api.openai.com/v1';

export interface IssuedTokens {
  id_token: string;
  access_token: string;
  refresh_token: string;
  expires_in: number;
}

export type BearerCheck =
  | { ok: true; user: UserRecord; jti: string }
  | { ok: false; reason: 'invalid_bearer' | 'expired_bearer'; message: string };

export type RefreshFailure = 'refresh_token_reused' | 'refresh_token_expired' | 'refresh_token_invalidated';

export type RefreshResult =
  | { ok: true; tokens: IssuedTokens; user: UserRecord }
  | { ok: false; code: RefreshFailure; message: string };

function authClaims(user: UserRecord): Record<string, unknown> {
  return {
    chatgpt_plan_type: user.plan,
    chatgpt_user_id: user.userId,
    user_id: user.userId,
    chatgpt_account_id: user.accountId,
    chatgpt_account_is_fedramp: user.fedramp,
  };
}

/** Issues and checks the JWTs (HS256, secret kept in the state) and opaque rotating refresh tokens. */
export class TokenService {
  constructor(
    private readonly state: BackendState,
    private readonly clock: Clock,
    /** JWT `iss` (the server URL). Not checked on verify: the HMAC key is, so tokens survive a port change. */
    private readonly issuer: () => string,
    private readonly accessTtlSeconds: number,
    private readonly refreshTtlSeconds: number,
  ) {}

  async issue(user: UserRecord, o: { expiresIn?: number; clientId?: string } = {}): Promise<IssuedTokens> {
    const iat = this.clock.nowSeconds();
    const ttl = Math.trunc(o.expiresIn ?? this.accessTtlSeconds);
    const exp = iat + ttl;
    const clientId = o.clientId ?? CODEX_CLIENT_ID;
    const key = this.state.jwtSecret;
    const idToken = await new SignJWT({
      email: user.email,
      email_verified: true,
      [AUTH_CLAIM]: authClaims(user),
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(this.issuer())
      .setSubject(user.userId)
      .setAudience(clientId)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(key);
    const accessToken = await new SignJWT({
      [AUTH_CLAIM]: authClaims(user),
      [PROFILE_CLAIM]: { email: user.email, email_verified: true },
      client_id: clientId,
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(this.issuer())
      .setSubject(user.userId)
      .setAudience(ACCESS_TOKEN_AUDIENCE)
      .setJti(randomHex(16))
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(key);
    const refreshToken = randomToken('rt_');
    const nowMs = this.clock.nowMs();
    this.state.pruneRefreshTokens(nowMs);
    this.state.putRefreshToken({
      hash: sha256Hex(refreshToken),
      userId: user.userId,
      clientId,
      status: 'active',
      issuedAtMs: nowMs,
      expiresAtMs: nowMs + this.refreshTtlSeconds * 1000,
    });
    return { id_token: idToken, access_token: accessToken, refresh_token: refreshToken, expires_in: ttl };
  }

  async verifyAccessToken(token: string): Promise<BearerCheck> {
    try {
      const { payload } = await jwtVerify(token, this.state.jwtSecret, {
        algorithms: ['HS256'],
        audience: ACCESS_TOKEN_AUDIENCE,
        currentDate: this.clock.now(),
        requiredClaims: ['exp', 'sub', 'jti'],
      });
      const user = payload.sub === undefined ? undefined : this.state.user(payload.sub);
      if (!user || payload.jti === undefined) {
        return { ok: false, reason: 'invalid_bearer', message: 'the access token names no known user' };
      }
      if (this.state.isAccessTokenRevoked(payload.jti)) {
        return { ok: false, reason: 'invalid_bearer', message: 'the access token was revoked' };
      }
      return { ok: true, user, jti: payload.jti };
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) {
        return { ok: false, reason: 'expired_bearer', message: 'the access token has expired' };
      }
      return {
        ok: false,
        reason: 'invalid_bearer',
        message: 'the access token is not valid for this server',
      };
    }
  }

  /** Rotation: the presented token becomes `rotated`; presenting it again is `refresh_token_reused`. */
  async refresh(refreshToken: string): Promise<RefreshResult> {
    const hash = sha256Hex(refreshToken);
    const record = this.state.refreshToken(hash);
    if (!record) {
      return { ok: false, code: 'refresh_token_invalidated', message: 'the refresh token is not known' };
    }
    if (record.status === 'rotated') {
      return {
        ok: false,
        code: 'refresh_token_reused',
        message: 'the refresh token was already used; sign in again',
      };
    }
    if (record.status === 'revoked') {
      return { ok: false, code: 'refresh_token_invalidated', message: 'the refresh token was revoked' };
    }
    if (record.expiresAtMs <= this.clock.nowMs()) {
      return { ok: false, code: 'refresh_token_expired', message: 'the refresh token has expired' };
    }
    const user = this.state.user(record.userId);
    if (!user) {
      return { ok: false, code: 'refresh_token_invalidated', message: 'the user no longer exists' };
    }
    this.state.setRefreshTokenStatus(hash, 'rotated');
    const tokens = await this.issue(user, { clientId: record.clientId });
    return { ok: true, tokens, user };
  }

  /** RFC 7009: unknown tokens are not an error. Returns what was revoked. */
  async revoke(token: string): Promise<'refresh_token' | 'access_token' | 'none'> {
    const hash = sha256Hex(token);
    if (this.state.refreshToken(hash)) {
      this.state.setRefreshTokenStatus(hash, 'revoked');
      return 'refresh_token';
    }
    try {
      const { payload } = await jwtVerify(token, this.state.jwtSecret, {
        algorithms: ['HS256'],
        audience: ACCESS_TOKEN_AUDIENCE,
      });
      if (payload.jti) {
        this.state.revokeAccessToken(payload.jti);
        return 'access_token';
      }
    } catch {}
    return 'none';
  }
}
