import { describe, expect, it } from 'vitest';
import { preferredSnapshot, type RateLimitStatusPayload, rateLimitSnapshots } from '../src/index.js';

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
      additional_rate_limits: [
        {
          limit_name: 'Other',
          metered_feature: 'codex_other',
          rate_limit: { primary_window: window(70, 0, 789) },
        },
      ],
      rate_limit_reached_type: { kind: 'workspace_member_credits_depleted' },
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
      },
      {
        limitId: 'codex_other',
        limitName: 'Other',
        primary: { usedPercent: 70, windowMinutes: undefined, resetsAt: 789 },
        secondary: undefined,
        credits: undefined,
        planType: 'pro',
        rateLimitReachedType: undefined,
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
    const [codex] = rateLimitSnapshots({ plan_type: 'plus', rate_limit_reached_type: { kind } });
    expect(codex?.rateLimitReachedType).toBe(expected);
    expect(codex?.primary).toBeUndefined();
  });
});
