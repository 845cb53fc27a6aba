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
    // The workspace's display name comes from the backend's account list (accounts/check), which codex-ts does not
    // read; upstream sends null as well when the entry has no name (a personal workspace).
    workspaceName: null,
  };
}

/**
 * The wire `WorkspaceRouting` of a ChatGPT account: the stored ChatGPT account id (the `ChatGPT-Account-ID` every
 * backend call carries) and the origin of the configured `chatgpt_base_url`, which is where codex-ts sends them;
 * null for an API key or when logged out, as upstream.
 */
export function workspaceRoutingOf(
  auth: CodexAuth | undefined,
  chatgptBaseUrl: string,
): Record<string, unknown> | null {
  const accountId = auth?.isChatgpt() ? auth.accountId() : undefined;
  if (!accountId) return null;
  return {
    chatgptAccountId: accountId,
    backendOrigin: new URL(chatgptBaseUrl).origin,
    // Upstream's accounts/check may pin a workspace to a region (`us`, `us_cr`); codex-ts does no regional
    // routing and always uses the configured base URL, which is `NO_CONSTRAINT`.
    accountRoutingOverride: 'NO_CONSTRAINT',
  };
}

/** `account/login/completed` params. */
export function loginCompleted(loginId: string | null, error: string | null): Record<string, unknown> {
  return {
    loginId,
    success: error === null,
    error,
    // The desktop app's onboarding entry point: codex-ts has no desktop onboarding, so there is none (upstream
    // sends null outside the desktop app too).
    onboardingEntrypoint: null,
  };
}

/** `account/updated` params for the current auth. */
export function accountUpdated(auth: CodexAuth | undefined): Record<string, unknown> {
  return {
    authMode: authModeOf(auth),
    planType: auth && auth.mode !== 'apikey' ? planTypeOf(auth.planType()) : null,
  };
}
