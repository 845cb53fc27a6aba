import { verifyAgentAssertion } from '@codex-ts/agent-identity';
import { authError, HttpError, header } from './http.js';
import type { Ctx, Principal } from './router.js';

/** What authentication needs from a request (HTTP handlers and websocket upgrades alike). */
export type AuthInput = Pick<Ctx, 'app' | 'req' | 'record'>;

export interface AuthenticateOptions {
  /** false: only a bearer token will do (authenticate_app_v2). */
  allowAssertion?: boolean;
}

/**
 * Checks `Authorization` (Bearer access token or AgentAssertion) and `ChatGPT-Account-ID`.
 * Fills the request record as it goes; throws an HttpError whose code is the 401/403 reason.
 */
export async function authenticate(ctx: AuthInput, o: AuthenticateOptions = {}): Promise<Principal> {
  const { app, req, record } = ctx;
  const value = header(req, 'authorization');
  if (value === undefined) {
    throw authError('missing_authorization', 'an Authorization header is required');
  }
  const space = value.indexOf(' ');
  const scheme = space < 0 ? value : value.slice(0, space);
  let principal: Principal;
  if (scheme.toLowerCase() === 'bearer') {
    record.authScheme = 'bearer';
    const token = space < 0 ? '' : value.slice(space + 1).trim();
    if (token === '') throw authError('invalid_bearer', 'the bearer token is empty');
    const check = await app.tokens.verifyAccessToken(token);
    if (!check.ok) throw authError(check.reason, check.message);
    principal = { scheme: 'bearer', user: check.user, accountId: check.user.accountId };
  } else if (scheme === 'AgentAssertion') {
    record.authScheme = 'assertion';
    if (o.allowAssertion === false) {
      throw authError('unsupported_scheme', 'this endpoint accepts only a bearer access token');
    }
    principal = verifyAssertion(ctx, value);
  } else {
    throw authError('unsupported_scheme', 'Authorization must use the Bearer or AgentAssertion scheme');
  }
  checkAccount(ctx, principal.accountId);
  return principal;
}

function verifyAssertion(ctx: AuthInput, value: string): Principal {
  const { app, record } = ctx;
  const state = app.state;
  const result = verifyAgentAssertion(value, {
    publicKeyFor: (runtime) => state.publicKeyFor(runtime),
    isKnownTask: (runtime, taskId) => state.isKnownTask(runtime, taskId),
    now: app.clock.now(),
    windowSeconds: app.options.assertionWindowSeconds,
  });
  const claims = result.claims;
  if (claims) {
    record.agentRuntimeId = claims.agentRuntimeId;
    record.taskId = claims.taskId;
    const kind = state.task(claims.taskId)?.kind;
    if (kind) record.taskKind = kind;
  }
  if (!result.ok) {
    throw authError(result.reason, result.message);
  }
  const identity = state.identity(result.claims.agentRuntimeId);
  const task = state.task(result.claims.taskId);
  const user = identity ? state.user(identity.userId) : undefined;
  if (!identity || !task || !user) {
    throw authError('unknown_runtime', 'the agent identity is not registered');
  }
  return {
    scheme: 'assertion',
    user,
    accountId: identity.accountId,
    agentRuntimeId: identity.agentRuntimeId,
    taskId: task.taskId,
    taskKind: task.kind,
  };
}

/** A ChatGPT-Account-ID that names another account than the caller's is a 403. */
export function checkAccount(ctx: AuthInput, accountId: string): void {
  const sent = header(ctx.req, 'chatgpt-account-id');
  if (sent !== undefined && sent !== accountId) {
    throw new HttpError(403, 'account_mismatch', 'ChatGPT-Account-ID does not match the caller', true);
  }
}
