import { isModelProviderError, type RateLimitSnapshot } from '@codex-ts/model-provider';
import type { ThreadTokenUsage } from '../threads/thread-model.js';
import { ZERO_USAGE } from './turn-wire.js';

/**
 * What upstream 0.169 reports of a turn that failed on a limit, before the thread goes idle (seen side by side with
 * its app-server): the thread's token usage again after a usage limit, filled to the context window after the
 * context window was exceeded (the total becomes the window, the turn's own what was left of it), and a usage
 * limit's rate limits. Other failures report neither.
 */
export function usageAfterFailure(
  err: unknown,
  current: ThreadTokenUsage | undefined,
  turnId: string,
  contextWindow: number | null,
): { usage?: ThreadTokenUsage; rateLimits?: RateLimitSnapshot } {
  if (!isModelProviderError(err)) return {};
  if (err.code === 'usage_limit_reached') {
    const { rateLimits } = err as { rateLimits?: RateLimitSnapshot };
    return { ...(current ? { usage: current } : {}), ...(rateLimits ? { rateLimits } : {}) };
  }
  if (err.code === 'context_window_exceeded' && contextWindow !== null) {
    const left = Math.max(0, contextWindow - (current?.total.totalTokens ?? 0));
    return {
      usage: {
        turnId,
        total: { ...ZERO_USAGE, totalTokens: contextWindow },
        last: { ...ZERO_USAGE, totalTokens: left },
        modelContextWindow: contextWindow,
      },
    };
  }
  return {};
}
