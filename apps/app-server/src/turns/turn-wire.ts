import type { ResponseItem, TokenUsage } from '@codex-ts/model-provider';
import type { ThreadItem, Turn, UsageBreakdown, UserInput } from '../threads/thread-model.js';
import { countImages, type ImageContext, imageMessage, textMessage } from './user-input.js';

/** An item of the history; a user message with images is converted again each turn (`undefined` until then). */
function responseItem(item: ThreadItem): ResponseItem | undefined {
  if (item.type !== 'userMessage')
    return { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: item.text }] };
  return countImages(item.content) === 0 ? textMessage(item.content) : undefined;
}

/** A thread's history already converted: the Responses items of its first `turns` turns. */
const converted = new WeakMap<
  readonly Turn[],
  { turns: number; items: ResponseItem[]; withImages: Array<{ at: number; content: readonly UserInput[] }> }
>();

/**
 * The conversation so far plus the new message, as Responses input items. `history` is a thread's own turns array,
 * which only grows: the items of the turns converted for an earlier turn are kept, so a turn converts only the turns
 * added since (not the whole history each time). User messages with images are converted again each turn (the
 * rollout keeps their paths, not their bytes: a local file is read again, and if it is gone the model gets upstream's
 * could-not-read text). Text only, the answer is synchronous; with images, `images()` is asked once.
 */
export function responsesInput(
  history: readonly Turn[],
  input: readonly UserInput[],
  images: () => Promise<ImageContext>,
): ResponseItem[] | Promise<ResponseItem[]> {
  let done = converted.get(history);
  if (!done || done.turns > history.length) {
    done = { turns: 0, items: [], withImages: [] };
    converted.set(history, done);
  }
  for (; done.turns < history.length; done.turns++) {
    for (const item of history[done.turns]!.items) {
      const converted = responseItem(item);
      if (converted === undefined && item.type === 'userMessage')
        done.withImages.push({ at: done.items.length, content: item.content });
      done.items.push(converted ?? textMessage([]));
    }
  }
  if (done.withImages.length === 0 && countImages(input) === 0) return [...done.items, textMessage(input)];
  const { items, withImages } = done;
  return images().then(async (ctx) => {
    const all = [...items];
    for (const { at, content } of withImages) all[at] = await imageMessage(content, ctx);
    all.push(await imageMessage(input, ctx));
    return all;
  });
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

export function usageBreakdown(u: TokenUsage): UsageBreakdown {
  return {
    totalTokens: u.totalTokens,
    inputTokens: u.inputTokens,
    cachedInputTokens: u.cachedInputTokens,
    cacheWriteInputTokens: u.cacheWriteInputTokens,
    outputTokens: u.outputTokens,
    reasoningOutputTokens: u.reasoningOutputTokens,
  };
}

export function addUsage(a: UsageBreakdown, b: UsageBreakdown): UsageBreakdown {
  return {
    totalTokens: a.totalTokens + b.totalTokens,
    inputTokens: a.inputTokens + b.inputTokens,
    cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
    cacheWriteInputTokens: a.cacheWriteInputTokens + b.cacheWriteInputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    reasoningOutputTokens: a.reasoningOutputTokens + b.reasoningOutputTokens,
  };
}

export const ZERO_USAGE: UsageBreakdown = {
  totalTokens: 0,
  inputTokens: 0,
  cachedInputTokens: 0,
  cacheWriteInputTokens: 0,
  outputTokens: 0,
  reasoningOutputTokens: 0,
};

/** A turn's rate limits as the wire `RateLimitSnapshot`: one builder for every rate-limit answer. */
export { wireHeaderSnapshot as wireRateLimits } from '../rate-limit-wire.js';

/**
 * The wire `ThreadItem`. codex-ts has no moderation, message phases, memory citations, delivery targets or
 * questions for the user: those are null, as upstream sends them for an agent message without them.
 */
export function wireItem(item: ThreadItem): Record<string, unknown> {
  return item.type === 'userMessage'
    ? {
        type: 'userMessage',
        id: item.id,
        clientId: item.clientId ?? null,
        content: item.content,
        startedAtMs: item.startedAtMs ?? null,
        completedAtMs: item.completedAtMs ?? null,
      }
    : {
        type: 'agentMessage',
        moderation: null, // no content moderation verdicts in codex-ts
        id: item.id,
        text: item.text,
        phase: null, // no commentary/final-answer phases: every agent message is the answer
        memoryCitation: null, // no memories
        delivery: null, // no delivery to another thread or agent
        questions: null, // no questions asked of the user
        startedAtMs: item.startedAtMs ?? null,
        completedAtMs: item.completedAtMs ?? null,
      };
}

/**
 * What a turn's `items` holds: `notLoaded` (empty on purpose: turn/start, turn/started), `summary` (turn/completed:
 * the agent's messages, not the user's input) or `full` (every item the rollout has: thread/read, thread/resume).
 */
export type TurnItemsView = 'notLoaded' | 'summary' | 'full';

/** The wire turn (`turn/started`, `turn/completed`, responses). */
export function wireTurn(turn: Turn, itemsView: TurnItemsView): Record<string, unknown> {
  return {
    id: turn.id,
    // Rollouts written before root turns were recorded: null, as upstream's "older history".
    rootTurnId: turn.rootTurnId ?? null,
    items: turn.items.map(wireItem),
    itemsView,
    status: turn.status,
    error: turn.error,
    startedAt: turn.startedAt,
    completedAt: turn.completedAt,
    durationMs: turn.durationMs,
  };
}
