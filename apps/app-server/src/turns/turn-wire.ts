import type { ResponseItem, TokenUsage } from '@codex-ts/model-provider';
import type { ThreadItem, Turn, TurnError, UserInput } from '../threads/thread-model.js';

function responseItem(item: ThreadItem): ResponseItem {
  return item.type === 'userMessage'
    ? {
        type: 'message',
        role: 'user',
        content: item.content.map((c) => ({ type: 'input_text', text: c.text })),
      }
    : { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: item.text }] };
}

/** A thread's history already converted: the Responses items of its first `turns` turns. */
const converted = new WeakMap<readonly Turn[], { turns: number; items: ResponseItem[] }>();

/**
 * The conversation so far plus the new message, as Responses input items. `history` is a thread's own turns array,
 * which only grows: the items of the turns converted for an earlier turn are kept, so a turn converts only the turns
 * added since (not the whole history each time).
 */
export function responsesInput(history: readonly Turn[], input: readonly UserInput[]): ResponseItem[] {
  let done = converted.get(history);
  if (!done || done.turns > history.length) {
    done = { turns: 0, items: [] };
    converted.set(history, done);
  }
  for (; done.turns < history.length; done.turns++) {
    for (const item of history[done.turns]!.items) done.items.push(responseItem(item));
  }
  return [
    ...done.items,
    { type: 'message', role: 'user', content: input.map((c) => ({ type: 'input_text', text: c.text })) },
  ];
}

/** The text of a completed Responses `message` item. */
export function messageText(item: ResponseItem): string {
  const content = (item as { content?: unknown }).content;
  if (!Array.isArray(content)) return '';
  return content
    .map((c) =>
      c && typeof c === 'object' && typeof (c as { text?: unknown }).text === 'string'
        ? (c as { text: string }).text
        : '',
    )
    .join('');
}

export interface UsageBreakdown {
  totalTokens: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  reasoningOutputTokens: number;
}

export function usageBreakdown(u: TokenUsage): UsageBreakdown {
  return {
    totalTokens: u.totalTokens,
    inputTokens: u.inputTokens,
    cachedInputTokens: u.cachedInputTokens,
    outputTokens: u.outputTokens,
    reasoningOutputTokens: u.reasoningOutputTokens,
  };
}

export function addUsage(a: UsageBreakdown, b: UsageBreakdown): UsageBreakdown {
  return {
    totalTokens: a.totalTokens + b.totalTokens,
    inputTokens: a.inputTokens + b.inputTokens,
    cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    reasoningOutputTokens: a.reasoningOutputTokens + b.reasoningOutputTokens,
  };
}

export const ZERO_USAGE: UsageBreakdown = {
  totalTokens: 0,
  inputTokens: 0,
  cachedInputTokens: 0,
  outputTokens: 0,
  reasoningOutputTokens: 0,
};

/** A turn's rate limits as the wire `RateLimitSnapshot`: one builder for every rate-limit answer. */
export { wireHeaderSnapshot as wireRateLimits } from '../rate-limit-wire.js';

/** The wire turn (`turn/started`, `turn/completed`, responses). */
export function wireTurn(turn: Turn, itemsView?: 'summary' | 'notLoaded'): Record<string, unknown> {
  return {
    id: turn.id,
    items: turn.items,
    status: turn.status,
    error: turn.error,
    startedAt: turn.startedAt,
    completedAt: turn.completedAt,
    durationMs: turn.durationMs,
    ...(itemsView ? { itemsView } : {}),
  };
}

export function turnError(
  message: string,
  codexErrorInfo: unknown,
  additionalDetails: string | null,
): TurnError {
  return { message, codexErrorInfo, additionalDetails };
}
