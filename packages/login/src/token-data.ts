/** Claims read from the ChatGPT `id_token` (parsed, not verified, as upstream does). No secrets in here. */
export interface IdTokenInfo {
  readonly email: string | undefined;
  /** Raw plan string (free, go, plus, pro, team, business, enterprise, edu, …); unknown values preserved. */
  readonly chatgptPlanType: string | undefined;
  readonly chatgptUserId: string | undefined;
  readonly chatgptAccountId: string | undefined;
  readonly isFedramp: boolean;
}

const AUTH_CLAIM = 'https://api.openai.com/auth';
const PROFILE_CLAIM = 'https://api.openai.com/profile';

/** Decodes a JWT payload (no signature check). Returns undefined for anything that is not a JWT with a JSON object. */
export function decodeJwtPayload(jwt: string): Record<string, unknown> | undefined {
  const parts = jwt.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const json = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as unknown;
    return typeof json === 'object' && json !== null && !Array.isArray(json)
      ? (json as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function parseIdToken(jwt: string): IdTokenInfo {
  const claims = decodeJwtPayload(jwt) ?? {};
  const auth = (
    typeof claims[AUTH_CLAIM] === 'object' && claims[AUTH_CLAIM] !== null ? claims[AUTH_CLAIM] : {}
  ) as Record<string, unknown>;
  const profile = (
    typeof claims[PROFILE_CLAIM] === 'object' && claims[PROFILE_CLAIM] !== null ? claims[PROFILE_CLAIM] : {}
  ) as Record<string, unknown>;
  const fedramp = auth.chatgpt_account_is_fedramp;
  return Object.freeze({
    email: str(claims.email) ?? str(profile.email),
    chatgptPlanType: str(auth.chatgpt_plan_type),
    chatgptUserId: str(auth.chatgpt_user_id) ?? str(auth.user_id),
    chatgptAccountId: str(auth.chatgpt_account_id),
    isFedramp: fedramp === true || fedramp === 'true',
  });
}

/** `exp` of a JWT in epoch milliseconds, when present. */
export function jwtExpiresAtMs(jwt: string): number | undefined {
  const exp = decodeJwtPayload(jwt)?.exp;
  return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
}

const WORKSPACE_PLANS = new Set(['team', 'business', 'enterprise', 'edu', 'education', 'hc']);
export function isWorkspacePlan(plan: string | undefined): boolean {
  return plan !== undefined && WORKSPACE_PLANS.has(plan.toLowerCase());
}
