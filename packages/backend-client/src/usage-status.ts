import { type RateLimitSnapshot, rateLimitSnapshots } from './rate-limits.js';
import type { RateLimitResetCreditsPayload, RateLimitStatusPayload } from './schemas/rate-limits.js';

/** Everything one `GET wham/usage` says about the account's usage. */
export interface UsageStatus {
  /** `codex` first, then each additional limit. */
  readonly snapshots: RateLimitSnapshot[];
  /** The account the usage is for, when the backend names it. */
  readonly accountId: string | undefined;
  /**
   * Whether ordinary included usage is allowed (`rate_limit.allowed`), only when the payload names the account the
   * request was made for; undefined otherwise (never inferred from percentages).
   */
  readonly ordinaryUsageAllowed: boolean | undefined;
  /** The backend's banner, as it came (its keys stay snake_case). */
  readonly upsell: Readonly<Record<string, unknown>> | undefined;
}

/** Reads a usage payload for the account the request went out for (`requestAccountId`). */
export function usageStatus(
  payload: RateLimitStatusPayload,
  requestAccountId: string | undefined,
): UsageStatus {
  const accountId = payload.account_id ?? undefined;
  const sameAccount = accountId !== undefined && accountId === requestAccountId;
  return {
    snapshots: rateLimitSnapshots(payload),
    accountId,
    ordinaryUsageAllowed: sameAccount ? (payload.rate_limit?.allowed ?? undefined) : undefined,
    upsell: payload.rate_limit_upsell ?? undefined,
  };
}

export type RateLimitResetType = 'codexRateLimits' | 'unknown';
export type RateLimitResetCreditStatus = 'available' | 'redeeming' | 'redeemed' | 'unknown';

/** One earned limit reset. Timestamps are Unix seconds. */
export interface RateLimitResetCredit {
  readonly id: string;
  readonly resetType: RateLimitResetType;
  readonly status: RateLimitResetCreditStatus;
  readonly grantedAt: number;
  readonly expiresAt: number | undefined;
  readonly title: string | undefined;
  readonly description: string | undefined;
}

export interface RateLimitResetCredits {
  readonly availableCount: number;
  /** Undefined when the backend sent only the count; possibly capped below the count. */
  readonly credits: RateLimitResetCredit[] | undefined;
}

const RESET_TYPES: Readonly<Record<string, RateLimitResetType>> = { codex_rate_limits: 'codexRateLimits' };
const STATUSES: ReadonlySet<string> = new Set(['available', 'redeeming', 'redeemed']);

/** `GET wham/rate-limit-reset-credits` in camelCase; an unknown reset type or status reads `unknown`. */
export function resetCredits(payload: RateLimitResetCreditsPayload): RateLimitResetCredits {
  return {
    availableCount: payload.available_count,
    credits: payload.credits?.map((c) => ({
      id: c.id,
      resetType: RESET_TYPES[c.reset_type] ?? 'unknown',
      status: STATUSES.has(c.status) ? (c.status as RateLimitResetCreditStatus) : 'unknown',
      grantedAt: c.granted_at,
      expiresAt: c.expires_at ?? undefined,
      title: c.title ?? undefined,
      description: c.description ?? undefined,
    })),
  };
}
