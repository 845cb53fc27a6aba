import type { RateLimitSnapshot, ResponseItem, TokenUsage } from '@codex-ts/model-provider';
import type { ThreadItem, Turn, TurnError, UserInput } from '../threads/thread-model.js';

/** The conversation so far plus the new message, as Responses input items. */
export function responsesInput(history: readonly Turn[], input: readonly UserInput[]): ResponseItem[] {
  const items: ResponseItem[] = [];
  const push = (item: ThreadItem) => {
    if (item.type === 'userMessage') {
      items.push({
        type: 'message',
        role: 'user',
        content: item.content.map((c) => ({ type: 'input_text', text: c.text })),
      });
    } else {
      items.push({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: item.text }] });
    }
  };
  for (const turn of history) for (const item of turn.items) push(item);
  items.push({
    type: 'message',
    role: 'user',
    content: input.map((c) => ({ type: 'input_text', text: c.text })),
  });
  return items;
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

/** model-provider's snapshot as the wire `RateLimitSnapshot` (sparse: absent = not in this update). */
export function wireRateLimits(r: RateLimitSnapshot): Record<string, unknown> {
  const window = (w: RateLimitSnapshot['primary']) =>
    w
      ? {
          usedPercent: Math.round(w.usedPercent),
          windowDurationMins: w.windowMinutes ?? null,
          resetsAt: w.resetsAt ?? null,
        }
      : null;
  return {
    limitId: r.limitId,
    limitName: r.limitName ?? null,
    primary: window(r.primary),
    secondary: window(r.secondary),
    credits: r.credits
      ? {
          hasCredits: r.credits.hasCredits,
          unlimited: r.credits.unlimited,
          balance: r.credits.balance ?? null,
        }
      : null,
  };
}

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
