import { z } from 'zod';

const windowSnapshot = z.looseObject({
  used_percent: z.number(),
  limit_window_seconds: z.number(),
  reset_after_seconds: z.number().nullish(),
  reset_at: z.number(),
});

const rateLimitDetails = z.looseObject({
  allowed: z.boolean().nullish(),
  limit_reached: z.boolean().nullish(),
  primary_window: windowSnapshot.nullish(),
  secondary_window: windowSnapshot.nullish(),
});

/** A member's share of a workspace's credits; amounts are decimal strings. */
const spendControlLimit = z.looseObject({
  limit: z.string(),
  used: z.string(),
  remaining_percent: z.number().int(),
  reset_at: z.number().int(),
});

/** `GET wham/usage` (`RateLimitStatusPayload`). Unknown fields are kept. */
export const rateLimitStatusPayloadSchema = z.looseObject({
  plan_type: z.string(),
  rate_limit: rateLimitDetails.nullish(),
  credits: z
    .looseObject({ has_credits: z.boolean(), unlimited: z.boolean(), balance: z.string().nullish() })
    .nullish(),
  spend_control: z
    .looseObject({ reached: z.boolean(), individual_limit: spendControlLimit.nullish() })
    .nullish(),
  additional_rate_limits: z
    .array(
      z.looseObject({
        limit_name: z.string(),
        metered_feature: z.string(),
        rate_limit: rateLimitDetails.nullish(),
        normal_model_slug: z.string().nullish(),
      }),
    )
    .nullish(),
  rate_limit_reached_type: z.looseObject({ type: z.string() }).nullish(),
  /** The account the usage is for. */
  account_id: z.string().nullish(),
  user_id: z.string().nullish(),
  /** A banner the backend owns entirely; passed on as it came. */
  rate_limit_upsell: z.record(z.string(), z.unknown()).nullish(),
});

const timestamp = z.union([
  z.number().int(),
  z
    .string()
    .regex(/^\d+$/)
    .transform((s) => Number(s)),
]);

/** `GET wham/rate-limit-reset-credits`: the user's earned limit resets. Timestamps are Unix seconds. */
export const rateLimitResetCreditsSchema = z.looseObject({
  available_count: z.number().int().nonnegative(),
  credits: z
    .array(
      z.looseObject({
        id: z.string(),
        reset_type: z.string(),
        status: z.string(),
        granted_at: timestamp,
        expires_at: timestamp.nullish(),
        title: z.string().nullish(),
        description: z.string().nullish(),
      }),
    )
    .nullish(),
});

export type RateLimitStatusPayload = z.output<typeof rateLimitStatusPayloadSchema>;
export type RateLimitWindowPayload = z.output<typeof windowSnapshot>;
export type RateLimitDetailsPayload = z.output<typeof rateLimitDetails>;
export type RateLimitResetCreditsPayload = z.output<typeof rateLimitResetCreditsSchema>;
