import { describe, expect, it } from 'vitest';
import {
  preferredSnapshot,
  type RateLimitStatusPayload,
  rateLimitSnapshots,
  resetCredits,
  usageStatus,
} from '../src/index.js';
import { rateLimitResetCreditsSchema, rateLimitStatusPayloadSchema } from '../src/schemas/rate-limits.js';

const window = (used_percent: number, limit_window_seconds: number, reset_at: number) => ({
  used_percent,
  limit_window_seconds,
  reset_after_seconds: 0,
  reset_at,
});

describe('rate limit snapshots', () => {
  it('maps codex first (windows, credits, reached type), then each additional limit', () => {
    const payload: RateLimitStatusPayload = {
      plan_type: 'pro',
      rate_limit: { primary_window: window(42, 300, 123), secondary_window: window(84, 3601, 456) },
      credits: { has_credits: true, unlimited: false, balance: '9.99' },
      spend_control: {
        reached: true,
        individual_limit: { limit: '50', used: '50', remaining_percent: 0, reset_at: 999 },
      },
      additional_rate_limits: [
        {
          limit_name: 'Other',
          metered_feature: 'codex_other',
          rate_limit: { primary_window: window(70, 0, 789) },
          normal_model_slug: 'gpt-other',
        },
      ],
      rate_limit_reached_type: { type: 'workspace_member_credits_depleted' },
    };
    const snapshots = rateLimitSnapshots(payload);
    expect(snapshots).toEqual([
      {
        limitId: 'codex',
        limitName: undefined,
        primary: { usedPercent: 42, windowMinutes: 5, resetsAt: 123 },
        secondary: { usedPercent: 84, windowMinutes: 61, resetsAt: 456 },
        credits: { hasCredits: true, unlimited: false, balance: '9.99' },
        planType: 'pro',
        rateLimitReachedType: 'workspace_member_credits_depleted',
        normalModelSlug: undefined,
        spendControlReached: true,
        individualLimit: { limit: '50', used: '50', remainingPercent: 0, resetsAt: 999 },
      },
      {
        limitId: 'codex_other',
        limitName: 'Other',
        primary: { usedPercent: 70, windowMinutes: undefined, resetsAt: 789 },
        secondary: undefined,
        credits: undefined,
        planType: 'pro',
        rateLimitReachedType: undefined,
        normalModelSlug: 'gpt-other',
        spendControlReached: undefined,
        individualLimit: undefined,
      },
    ]);
    expect(preferredSnapshot([...snapshots].reverse()).limitId).toBe('codex');
    expect(preferredSnapshot([snapshots[1]!]).limitId).toBe('codex_other');
  });

  it.each([
    ['rate_limit_reached', 'rate_limit_reached'],
    ['workspace_owner_credits_depleted', 'workspace_owner_credits_depleted'],
    ['workspace_member_credits_depleted', 'workspace_member_credits_depleted'],
    ['workspace_owner_usage_limit_reached', 'workspace_owner_usage_limit_reached'],
    ['workspace_member_usage_limit_reached', 'workspace_member_usage_limit_reached'],
    ['something_new', undefined],
  ])('rate_limit_reached_type %s → %s', (kind, expected) => {
    const [codex] = rateLimitSnapshots({ plan_type: 'plus', rate_limit_reached_type: { type: kind } });
    expect(codex?.rateLimitReachedType).toBe(expected);
    expect(codex?.primary).toBeUndefined();
  });

  it('the reached type is read from `type`, as the backend names it; `kind` alone is not a reached type', () => {
    const payload = rateLimitStatusPayloadSchema.parse({
      plan_type: 'plus',
      rate_limit_reached_type: { type: 'rate_limit_reached' },
    });
    expect(rateLimitSnapshots(payload)[0]?.rateLimitReachedType).toBe('rate_limit_reached');
    expect(() =>
      rateLimitStatusPayloadSchema.parse({ plan_type: 'plus', rate_limit_reached_type: { kind: 'x' } }),
    ).toThrow();
  });
});

describe('usage status', () => {
  const payload = (extra: Partial<RateLimitStatusPayload>): RateLimitStatusPayload => ({
    plan_type: 'plus',
    rate_limit: { allowed: false, limit_reached: true, primary_window: window(100, 18000, 5) },
    ...extra,
  });

  it('names the account, passes the banner on, and says whether ordinary usage is allowed for that account', () => {
    const status = usageStatus(
      payload({ account_id: 'acct-1', rate_limit_upsell: { kind: 'buy_reset' } }),
      'acct-1',
    );
    expect({ ...status, snapshots: status.snapshots.length }).toEqual({
      snapshots: 1,
      accountId: 'acct-1',
      ordinaryUsageAllowed: false,
      upsell: { kind: 'buy_reset' },
    });
  });

  it('does not say whether usage is allowed when the payload is for another account or names none', () => {
    expect(usageStatus(payload({ account_id: 'acct-2' }), 'acct-1')).toMatchObject({
      accountId: 'acct-2',
      ordinaryUsageAllowed: undefined,
    });
    expect(usageStatus(payload({}), 'acct-1')).toMatchObject({
      accountId: undefined,
      ordinaryUsageAllowed: undefined,
      upsell: undefined,
    });
  });

  it('reset credits in camelCase, numeric-string timestamps read as numbers, unknown values as `unknown`', () => {
    const parsed = rateLimitResetCreditsSchema.parse({
      available_count: 2,
      credits: [
        { id: 'c1', reset_type: 'codex_rate_limits', status: 'available', granted_at: '1700000000' },
        {
          id: 'c2',
          reset_type: 'something_else',
          status: 'gone',
          granted_at: 1700000001,
          expires_at: 1800000000,
          title: 'Reset',
          description: 'One free reset',
        },
      ],
    });
    expect(resetCredits(parsed)).toEqual({
      availableCount: 2,
      credits: [
        {
          id: 'c1',
          resetType: 'codexRateLimits',
          status: 'available',
          grantedAt: 1700000000,
          expiresAt: undefined,
          title: undefined,
          description: undefined,
        },
        {
          id: 'c2',
          resetType: 'unknown',
          status: 'unknown',
          grantedAt: 1700000001,
          expiresAt: 1800000000,
          title: 'Reset',
          description: 'One free reset',
        },
      ],
    });
    expect(resetCredits(rateLimitResetCreditsSchema.parse({ available_count: 0 }))).toEqual({
      availableCount: 0,
      credits: undefined,
    });
  });
});
