import { createHash, timingSafeEqual } from 'node:crypto';
import type { App } from './app.js';
import { errorBody, escapeHtml, HttpError, readParams, sendHtml, sendJson } from './http.js';
import { randomToken } from './ids.js';
import type { DeviceCode } from './oauth-store.js';
import type { Ctx, Router } from './router.js';
import type { UserRecord } from './state.js';

const AUTH_CODE_TTL_MS = 10 * 60_000;
const DEVICE_CODE_TTL_MS = 15 * 60_000;
const DEVICE_POLL_INTERVAL_SECONDS = 5;

function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function str(params: Record<string, unknown>, name: string): string | undefined {
  const value = params[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function requireParam(params: Record<string, unknown>, name: string): string {
  const value = str(params, name);
  if (value === undefined) throw new HttpError(400, 'invalid_request', `${name} is required`);
  return value;
}

/** Only http loopback redirect targets (the CLI's local callback server). */
export function isLoopbackRedirect(uri: string): boolean {
  if (!URL.canParse(uri)) return false;
  const url = new URL(uri);
  if (url.protocol !== 'http:' || url.username || url.password || url.hash) return false;
  const host = url.hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  state: string;
  scope: string;
}

function parseAuthorize(params: Record<string, unknown>): AuthorizeRequest {
  const responseType = str(params, 'response_type');
  if (responseType !== 'code')
    throw new HttpError(400, 'unsupported_response_type', 'response_type must be code');
  const clientId = requireParam(params, 'client_id');
  const redirectUri = requireParam(params, 'redirect_uri');
  if (!isLoopbackRedirect(redirectUri)) {
    throw new HttpError(400, 'invalid_redirect_uri', 'redirect_uri must be an http loopback URL');
  }
  const codeChallenge = requireParam(params, 'code_challenge');
  if (str(params, 'code_challenge_method') !== 'S256' || !/^[A-Za-z0-9_-]{43,128}$/.test(codeChallenge)) {
    throw new HttpError(400, 'invalid_request', 'PKCE with code_challenge_method=S256 is required');
  }
  return {
    clientId,
    redirectUri,
    codeChallenge,
    state: str(params, 'state') ?? '',
    scope: str(params, 'scope') ?? 'openid profile email offline_access',
  };
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}
label{display:block;margin:.75rem 0 .25rem}input{width:100%;padding:.4rem}button{margin-top:1rem;padding:.5rem 1rem}
.err{color:#a00}</style></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

function errorPage(ctx: Ctx, error: HttpError): void {
  ctx.record.reason = error.code;
  sendHtml(ctx.res, error.status, page('Sign-in error', `<p class="err">${escapeHtml(error.message)}</p>`));
}

/** GET /oauth/authorize: the dev sign-in page. */
function authorizePage(ctx: Ctx): void {
  let request: AuthorizeRequest;
  try {
    request = parseAuthorize(Object.fromEntries(ctx.url.searchParams));
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    errorPage(ctx, error);
    return;
  }
  const hidden = Object.entries({
    response_type: 'code',
    client_id: request.clientId,
    redirect_uri: request.redirectUri,
    code_challenge: request.codeChallenge,
    code_challenge_method: 'S256',
    state: request.state,
    scope: request.scope,
  })
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('');
  const body = `<p>Dev sign-in for <code>${escapeHtml(request.clientId)}</code>.
You will be sent back to <code>${escapeHtml(request.redirectUri)}</code>.</p>
<form method="post" action="/oauth/authorize">${hidden}
<label for="email">Email</label><input id="email" name="email" value="dev@example.com">
<label for="plan">Plan</label><input id="plan" name="plan" value="plus">
<button type="submit">Sign in</button></form>`;
  sendHtml(ctx.res, 200, page('Sign in to the dev backend', body));
}

/** POST /oauth/authorize: the sign-in button; redirects to the loopback redirect_uri with a code. */
async function authorizeSubmit(ctx: Ctx): Promise<void> {
  const { app } = ctx;
  const params = await readParams(ctx.req, app.options.maxBodyBytes);
  let request: AuthorizeRequest;
  try {
    request = parseAuthorize(params);
  } catch (error) {
    if (error instanceof HttpError) return errorPage(ctx, error);
    throw error;
  }
  const email = str(params, 'email');
  const plan = str(params, 'plan');
  const user = app.state.ensureUser(
    { ...(email ? { email } : {}), ...(plan ? { plan } : {}) },
    app.clock.now(),
  );
  const code = randomToken('ac_');
  app.memory.authCodes.set(code, {
    clientId: request.clientId,
    redirectUri: request.redirectUri,
    codeChallenge: request.codeChallenge,
    userId: user.userId,
    expiresAtMs: app.clock.nowMs() + AUTH_CODE_TTL_MS,
  });
  const target = new URL(request.redirectUri);
  target.searchParams.set('code', code);
  if (request.state) target.searchParams.set('state', request.state);
  ctx.res.writeHead(302, { location: target.toString(), 'cache-control': 'no-store', 'content-length': '0' });
  ctx.res.end();
}

async function tokenResponse(app: App, user: UserRecord, clientId: string) {
  const tokens = await app.tokens.issue(user, { clientId });
  return { ...tokens, token_type: 'Bearer', scope: 'openid profile email offline_access' };
}

/** POST /oauth/token: authorization_code (+PKCE S256) and refresh_token (rotating). JSON or form bodies. */
async function token(ctx: Ctx): Promise<void> {
  const { app, res } = ctx;
  const params = await readParams(ctx.req, app.options.maxBodyBytes);
  const grantType = requireParam(params, 'grant_type');
  if (grantType === 'refresh_token') {
    requireParam(params, 'client_id');
    const refreshToken = requireParam(params, 'refresh_token');
    const result = await app.tokens.refresh(refreshToken);
    if (!result.ok) {
      ctx.record.reason = result.code;
      sendJson(res, 401, errorBody(result.code, result.message));
      return;
    }
    sendJson(res, 200, { ...result.tokens, token_type: 'Bearer' });
    return;
  }
  if (grantType === 'authorization_code') {
    const code = requireParam(params, 'code');
    const redirectUri = requireParam(params, 'redirect_uri');
    const clientId = requireParam(params, 'client_id');
    const verifier = requireParam(params, 'code_verifier');
    const stored = app.memory.authCodes.get(code);
    app.memory.authCodes.delete(code);
    if (!stored || stored.expiresAtMs <= app.clock.nowMs()) {
      throw new HttpError(400, 'invalid_grant', 'the authorization code is unknown, used or expired');
    }
    if (stored.redirectUri !== redirectUri || stored.clientId !== clientId) {
      throw new HttpError(400, 'invalid_grant', 'redirect_uri or client_id does not match the authorization');
    }
    if (!safeEqual(s256(verifier), stored.codeChallenge)) {
      throw new HttpError(400, 'invalid_grant', 'code_verifier does not match code_challenge');
    }
    const user = app.state.user(stored.userId);
    if (!user) throw new HttpError(400, 'invalid_grant', 'the user no longer exists');
    sendJson(res, 200, await tokenResponse(app, user, clientId));
    return;
  }
  throw new HttpError(400, 'unsupported_grant_type', `grant_type ${grantType} is not supported`);
}

/** POST /oauth/revoke (RFC 7009): always 200 for a well-formed request. */
async function revoke(ctx: Ctx): Promise<void> {
  const params = await readParams(ctx.req, ctx.app.options.maxBodyBytes);
  const tokenValue = requireParam(params, 'token');
  await ctx.app.tokens.revoke(tokenValue);
  sendJson(ctx.res, 200, {});
}

function newUserCode(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const raw = randomToken('', 16);
  let out = '';
  for (let i = 0; i < 8; i++) out += alphabet[raw.charCodeAt(i) % alphabet.length];
  return `${out.slice(0, 4)}-${out.slice(4)}`;
}

/** POST /api/accounts/deviceauth/usercode {client_id} → {device_auth_id, user_code, interval} */
async function deviceUserCode(ctx: Ctx): Promise<void> {
  const { app } = ctx;
  const params = await readParams(ctx.req, app.options.maxBodyBytes);
  const clientId = requireParam(params, 'client_id');
  const code: DeviceCode = {
    deviceAuthId: randomToken('dauth_', 16),
    userCode: newUserCode(),
    clientId,
    expiresAtMs: app.clock.nowMs() + DEVICE_CODE_TTL_MS,
  };
  app.memory.deviceCodes.set(code.deviceAuthId, code);
  sendJson(ctx.res, 200, {
    device_auth_id: code.deviceAuthId,
    user_code: code.userCode,
    interval: String(DEVICE_POLL_INTERVAL_SECONDS),
    verification_uri: `${app.url}/codex/device`,
    expires_at: new Date(code.expiresAtMs).toISOString(),
  });
}

/** POST /api/accounts/deviceauth/token {device_auth_id, user_code}: 403 while pending. */
async function deviceToken(ctx: Ctx): Promise<void> {
  const { app } = ctx;
  const params = await readParams(ctx.req, app.options.maxBodyBytes);
  const id = requireParam(params, 'device_auth_id');
  const userCode = requireParam(params, 'user_code');
  const code = app.memory.deviceCodes.get(id);
  if (!code || code.userCode !== userCode) {
    throw new HttpError(400, 'invalid_device_auth', 'unknown device_auth_id or user_code');
  }
  if (code.expiresAtMs <= app.clock.nowMs()) {
    app.memory.deviceCodes.delete(id);
    throw new HttpError(400, 'expired_token', 'the device code has expired');
  }
  if (!code.approved) {
    throw new HttpError(403, 'authorization_pending', 'the user has not approved this device yet');
  }
  app.memory.deviceCodes.delete(id);
  sendJson(ctx.res, 200, {
    authorization_code: code.approved.authorizationCode,
    code_challenge: code.approved.codeChallenge,
    code_verifier: code.approved.codeVerifier,
  });
}

/** Approves a pending device code for a user; the code is exchanged at /oauth/token. */
export function approveDeviceCode(app: App, userCode: string, user: UserRecord): boolean {
  const normalized = userCode.trim().toUpperCase();
  const code = [...app.memory.deviceCodes.values()].find((c) => c.userCode === normalized);
  if (!code || code.approved || code.expiresAtMs <= app.clock.nowMs()) return false;
  const codeVerifier = randomToken('', 48);
  const codeChallenge = s256(codeVerifier);
  const authorizationCode = randomToken('ac_');
  app.memory.authCodes.set(authorizationCode, {
    clientId: code.clientId,
    redirectUri: `${app.url}/deviceauth/callback`,
    codeChallenge,
    userId: user.userId,
    expiresAtMs: app.clock.nowMs() + AUTH_CODE_TTL_MS,
  });
  code.approved = { authorizationCode, codeVerifier, codeChallenge };
  return true;
}

/** GET /codex/device: where a person types the user code. */
function devicePage(ctx: Ctx): void {
  const body = `<form method="post" action="/codex/device">
<label for="user_code">Code</label><input id="user_code" name="user_code" autocomplete="off">
<label for="email">Email</label><input id="email" name="email" value="dev@example.com">
<button type="submit">Approve</button></form>`;
  sendHtml(ctx.res, 200, page('Sign in a device', body));
}

async function deviceApprove(ctx: Ctx): Promise<void> {
  const { app } = ctx;
  const params = await readParams(ctx.req, app.options.maxBodyBytes);
  const userCode = str(params, 'user_code') ?? '';
  const email = str(params, 'email');
  const user = app.state.ensureUser(email ? { email } : {}, app.clock.now());
  if (!approveDeviceCode(app, userCode, user)) {
    return errorPage(ctx, new HttpError(400, 'invalid_user_code', 'that code is unknown, used or expired'));
  }
  sendHtml(ctx.res, 200, page('Device approved', '<p>You can go back to your terminal.</p>'));
}

export function oauthRoutes(router: Router): void {
  router
    .add('GET', '/oauth/authorize', 'public', authorizePage)
    .add('POST', '/oauth/authorize', 'public', authorizeSubmit)
    .add('POST', '/oauth/token', 'public', token)
    .add('POST', '/oauth/revoke', 'public', revoke)
    .add('POST', '/api/accounts/deviceauth/usercode', 'public', deviceUserCode)
    .add('POST', '/api/accounts/deviceauth/token', 'public', deviceToken)
    .add('POST', '/oauth/device/usercode', 'public', deviceUserCode)
    .add('POST', '/oauth/device/token', 'public', deviceToken)
    .add('GET', '/codex/device', 'public', devicePage)
    .add('POST', '/codex/device', 'public', deviceApprove);
}
