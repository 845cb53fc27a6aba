import type { RateLimitSnapshot } from '@codex-ts/backend-client';
import { planTypeOf } from './account-wire.js';
import type { AppContext } from './app-context.js';
import { internalError, invalidRequest } from './jsonrpc.js';
import { defineMethod, type MethodSpec } from './method.js';

/** backend-client's snapshot as the wire `RateLimitSnapshot`. */
export function wireSnapshot(s: RateLimitSnapshot): Record<string, unknown> {
  const window = (w: RateLimitSnapshot['primary']) =>
    w
      ? {
          usedPercent: Math.round(w.usedPercent),
          windowDurationMins: w.windowMinutes ?? null,
          resetsAt: w.resetsAt,
        }
      : null;
  return {
    limitId: s.limitId,
    limitName: s.limitName ?? null,
    primary: window(s.primary),
    secondary: window(s.secondary),
    credits: s.credits
      ? {
          hasCredits: s.credits.hasCredits,
          unlimited: s.credits.unlimited,
          balance: s.credits.balance ?? null,
        }
      : null,
    planType: planTypeOf(s.planType),
    rateLimitReachedType: s.rateLimitReachedType ?? null,
  };
}

/** `account/rateLimits/read`: backend-client's `/wham/usage` with the default provider (background task). */
const rateLimitsRead = defineMethod<undefined, AppContext>({
  params: undefined,
  async handle({ app }) {
    const auth = await app.auth.auth();
    if (!auth?.isChatgpt()) throw invalidRequest('codex account authentication required to read rate limits');
    const snapshots = await app.backend.getRateLimitSnapshots().catch((err: unknown) => {
      throw internalError(`failed to read rate limits: ${(err as Error).message}`);
    });
    const wire = snapshots.map(wireSnapshot);
    return {
      rateLimits: wire[0] ?? { limitId: 'codex' },
      rateLimitsByLimitId: Object.fromEntries(wire.map((w) => [w.limitId as string, w])),
      accountId: auth.accountId() ?? null,
    };
  },
});

export const rateLimitMethods: ReadonlyArray<[string, MethodSpec<unknown, AppContext>]> = [
  ['account/rateLimits/read', rateLimitsRead],
];
