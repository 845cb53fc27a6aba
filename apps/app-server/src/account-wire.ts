import type { CodexAuth } from '@codex-ts/login';

/** Upstream's `PlanType` values; anything else is `unknown`. */
export const PLAN_TYPES = [
  'free',
  'go',
  'plus',
  'pro',
  'prolite',
  'promax',
  'team',
  'self_serve_business_prolite',
  'self_serve_business_usage_based',
  'business',
  'ent26',
  'enterprise_cbp_automation',
  'enterprise_cbp_usage_based',
  'enterprise',
  'edu',
  'edu_plus',
  'edu_pro',
  'sci',
  'sci_plus',
  'unknown',
] as const;
export type PlanType = (typeof PLAN_TYPES)[number];

export function planTypeOf(raw: string | undefined): PlanType | null {
  if (raw === undefined) return null;
  return (PLAN_TYPES as readonly string[]).includes(raw) ? (raw as PlanType) : 'unknown';
}

/** The wire `AuthMode` of the current auth. */
export function authModeOf(auth: CodexAuth | undefined): string | null {
  if (!auth) return null;
  if (auth.mode === 'apikey') return 'apikey';
  if (auth.mode === 'chatgptAuthTokens') return 'chatgptAuthTokens';
  return 'chatgpt';
}

/** The wire `Account`, or null when logged out. */
export function accountOf(auth: CodexAuth | undefined): Record<string, unknown> | null {
  if (!auth) return null;
  if (auth.mode === 'apikey') return { type: 'apiKey' };
  return {
    type: 'chatgpt',
    email: auth.email() ?? null,
    planType: planTypeOf(auth.planType()) ?? 'unknown',
    workspaceName: null,
  };
}

/** `account/updated` params for the current auth. */
export function accountUpdated(auth: CodexAuth | undefined): Record<string, unknown> {
  return {
    authMode: authModeOf(auth),
    planType: auth && auth.mode !== 'apikey' ? planTypeOf(auth.planType()) : null,
  };
}
