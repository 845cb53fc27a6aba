import type {
  RateLimitResetCredits,
  RateLimitSnapshot as UsageSnapshot,
  UsageStatus,
} from '@codex-ts/backend-client';
import type { RateLimitSnapshot as HeaderSnapshot } from '@codex-ts/model-provider';
import { planTypeOf } from './account-wire.js';

type Window = { usedPercent: number; windowMinutes?: number | undefined; resetsAt?: number | undefined };
type Credits = { hasCredits: boolean; unlimited: boolean; balance?: string | undefined };

function wireWindow(w: Window | undefined): Record<string, unknown> | null {
  return w
    ? {
        usedPercent: Math.round(w.usedPercent),
        windowDurationMins: w.windowMinutes ?? null,
        resetsAt: w.resetsAt ?? null,
      }
    : null;
}

function wireCredits(c: Credits | undefined): Record<string, unknown> | null {
  return c ? { hasCredits: c.hasCredits, unlimited: c.unlimited, balance: c.balance ?? null } : null;
}

/** backend-client's snapshot (`wham/usage`) as the wire `RateLimitSnapshot`. */
export function wireUsageSnapshot(s: UsageSnapshot): Record<string, unknown> {
  const limit = s.individualLimit;
  return {
    limitId: s.limitId,
    limitName: s.limitName ?? null,
    normalModelSlug: s.normalModelSlug ?? null,
    primary: wireWindow(s.primary),
    secondary: wireWindow(s.secondary),
    credits: wireCredits(s.credits),
    individualLimit: limit
      ? {
          limit: limit.limit,
          used: limit.used,
          remainingPercent: limit.remainingPercent,
          resetsAt: limit.resetsAt,
        }
      : null,
    spendControlReached: s.spendControlReached ?? null,
    planType: planTypeOf(s.planType),
    rateLimitReachedType: s.rateLimitReachedType ?? null,
  };
}

/**
 * A turn's rate limits (model-provider, from the response's `x-codex-*` headers) as the wire `RateLimitSnapshot` of
 * `account/rateLimits/updated`. The headers carry no quota alias, spend control or reached type: those are null
 * (unavailable in a rolling update, as upstream sends them), and the client keeps what `account/rateLimits/read` said.
 */
export function wireHeaderSnapshot(s: HeaderSnapshot): Record<string, unknown> {
  return {
    limitId: s.limitId,
    limitName: s.limitName ?? null,
    normalModelSlug: null,
    primary: wireWindow(s.primary),
    secondary: wireWindow(s.secondary),
    credits: wireCredits(s.credits),
    individualLimit: null,
    spendControlReached: null,
    planType: planTypeOf(s.planType),
    rateLimitReachedType: null,
  };
}

function wireResetCredits(r: RateLimitResetCredits): Record<string, unknown> {
  return {
    availableCount: r.availableCount,
    credits:
      r.credits?.map((c) => ({
        id: c.id,
        resetType: c.resetType,
        status: c.status,
        grantedAt: c.grantedAt,
        expiresAt: c.expiresAt ?? null,
        title: c.title ?? null,
        description: c.description ?? null,
      })) ?? null,
  };
}

/** The `account/rateLimits/read` result; `resetCredits` is undefined when they could not be read. */
export function wireRateLimitsRead(
  usage: UsageStatus,
  resetCredits: RateLimitResetCredits | undefined,
): Record<string, unknown> {
  const wire = usage.snapshots.map(wireUsageSnapshot);
  return {
    ordinaryUsageAllowed: usage.ordinaryUsageAllowed ?? null,
    rateLimits: wire.find((w) => w.limitId === 'codex') ?? wire[0] ?? { limitId: 'codex' },
    rateLimitsByLimitId: Object.fromEntries(wire.map((w) => [w.limitId as string, w])),
    rateLimitResetCredits: resetCredits ? wireResetCredits(resetCredits) : null,
    accountId: usage.accountId ?? null,
    rateLimitUpsell: usage.upsell ?? null,
  };
}
