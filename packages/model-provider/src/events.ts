import type { ModelProviderError } from './errors.js';
import type { RateLimitSnapshot } from './rate-limits.js';
import type { ResponseMetadata } from './response-metadata.js';
import type { ResponseItem } from './turn-request.js';

/** Token counts of a completed response. */
export interface TokenUsage {
  readonly inputTokens: number;
  readonly cachedInputTokens: number;
  /** Input tokens written to the prompt cache (`input_tokens_details.cache_write_tokens`; 0 when not reported). */
  readonly cacheWriteInputTokens: number;
  readonly outputTokens: number;
  readonly reasoningOutputTokens: number;
  readonly totalTokens: number;
}

/**
 * What a turn yields, in order. Each attempt starts with `metadata`; a `retry` means the attempt before it was
 * abandoned (drop what it produced) and a new one follows; a turn ends with `completed` or `incomplete`, or
 * throws a typed error.
 */
export type ModelEvent =
  | ({ readonly type: 'metadata' } & ResponseMetadata)
  | { readonly type: 'created'; readonly responseId?: string }
  | { readonly type: 'output_item.added'; readonly outputIndex?: number; readonly item: ResponseItem }
  | { readonly type: 'output_item.done'; readonly outputIndex?: number; readonly item: ResponseItem }
  | {
      readonly type: 'content_part.added';
      readonly itemId?: string;
      readonly contentIndex?: number;
      readonly part: ResponseItem;
    }
  | { readonly type: 'output_text.delta'; readonly itemId?: string; readonly delta: string }
  | { readonly type: 'output_text.done'; readonly itemId?: string; readonly text: string }
  | { readonly type: 'reasoning_summary_part.added'; readonly itemId?: string; readonly summaryIndex: number }
  | {
      readonly type: 'reasoning_summary_text.delta';
      readonly itemId?: string;
      readonly summaryIndex: number;
      readonly delta: string;
    }
  | {
      readonly type: 'reasoning_text.delta';
      readonly itemId?: string;
      readonly contentIndex: number;
      readonly delta: string;
    }
  | { readonly type: 'function_call_arguments.delta'; readonly itemId?: string; readonly delta: string }
  | { readonly type: 'function_call_arguments.done'; readonly itemId?: string; readonly arguments: string }
  | { readonly type: 'rate_limits'; readonly rateLimits: RateLimitSnapshot; readonly planType?: string }
  | { readonly type: 'completed'; readonly responseId: string; readonly usage?: TokenUsage }
  | {
      readonly type: 'incomplete';
      readonly responseId?: string;
      readonly reason?: string;
      /** What the cut response used, when it says. */
      readonly usage?: TokenUsage;
    }
  | {
      readonly type: 'retry';
      /**
       * The budget this retry spends, as upstream nests them: `request` retries resend a request that failed before
       * its stream began; a failure they do not absorb, and any stream failure, spends a `stream` retry (the whole
       * attempt again, with a fresh request budget).
       */
      readonly budget: 'request' | 'stream';
      /** 1 for the first retry of that budget (in this turn, or since the last stream retry for `request`). */
      readonly attempt: number;
      /** The budget's size: the provider's `requestMaxRetries` or `streamMaxRetries`. */
      readonly maxRetries: number;
      readonly delayMs: number;
      readonly error: ModelProviderError;
    }
  | {
      readonly type: 'transport_fallback';
      readonly from: 'websocket';
      readonly to: 'http';
      readonly reason: string;
    };
