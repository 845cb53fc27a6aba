import { z } from 'zod';

const windowSnapshot = z.looseObject({
  used_percent: z.number(),
  limit_window_seconds: z.number(),
  reset_after_seconds: z.number().nullish(),
  reset_at: z.number(),
});

const rateLimitDetails = z.looseObject({
  primary_window: windowSnapshot.nullish(),
  secondary_window: windowSnapshot.nullish(),
});

/** `GET wham/usage` (`RateLimitStatusPayload`). Unknown fields are kept. */
export const rateLimitStatusPayloadSchema = z.looseObject({
  plan_type: z.string(),
  rate_limit: rateLimitDetails.nullish(),
  credits: z
    .looseObject({ has_credits: z.boolean(), unlimited: z.boolean(), balance: z.string().nullish() })
    .nullish(),
  additional_rate_limits: z
    .array(
      z.looseObject({
        limit_name: z.string(),
        metered_feature: z.string(),
        rate_limit: rateLimitDetails.nullish(),
      }),
    )
    .nullish(),
  rate_limit_reached_type: z.looseObject({ kind: z.string() }).nullish(),
});

export type RateLimitStatusPayload = z.output<typeof rateLimitStatusPayloadSchema>;
export type RateLimitWindowPayload = z.output<typeof windowSnapshot>;
export type RateLimitDetailsPayload = z.output<typeof rateLimitDetails>;
