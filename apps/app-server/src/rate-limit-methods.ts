import type { AppContext } from './app-context.js';
import { internalError, invalidRequest } from './jsonrpc.js';
import { defineMethod, type MethodSpec } from './method.js';
import { wireRateLimitsRead } from './rate-limit-wire.js';

/**
 * `account/rateLimits/read`: backend-client's `wham/usage` and `wham/rate-limit-reset-credits` with the default
 * provider (background task). The reset credits are extra: when they cannot be read the answer says null.
 */
const rateLimitsRead = defineMethod<undefined, AppContext>({
  params: undefined,
  async handle({ app }) {
    const auth = await app.auth.auth();
    if (!auth?.isChatgpt()) throw invalidRequest('codex account authentication required to read rate limits');
    const [usage, resetCredits] = await Promise.all([
      app.backend.getUsageStatus().catch((err: unknown) => {
        throw internalError(`failed to read rate limits: ${(err as Error).message}`);
      }),
      app.backend.getRateLimitResetCredits().catch((err: unknown) => {
        app.logger.warn({ error: err }, 'could not read the rate-limit reset credits');
        return undefined;
      }),
    ]);
    return wireRateLimitsRead(usage, resetCredits);
  },
});

export const rateLimitMethods: ReadonlyArray<[string, MethodSpec<unknown, AppContext>]> = [
  ['account/rateLimits/read', rateLimitsRead],
];
