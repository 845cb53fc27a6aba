import type { TaskDetails, Turn, TurnItem } from './schemas/tasks.js';

function itemDiff(item: TurnItem): string | undefined {
  if (item.type === 'output_diff') return item.diff ?? item.output_diff?.diff ?? undefined;
  if (item.type === 'pr') return item.pr?.output_diff?.diff ?? undefined;
  return undefined;
}

/** The unified diff of a turn: its first non-empty `output_diff` or `pr.output_diff.diff` item. */
export function turnDiff(turn: Turn | null | undefined): string | undefined {
  for (const item of turn?.output_items ?? []) {
    const diff = itemDiff(item);
    if (diff) return diff;
  }
  return undefined;
}

/** The task's unified diff: from the diff turn, else the assistant turn. */
export function unifiedDiff(details: TaskDetails): string | undefined {
  return turnDiff(details.current_diff_task_turn) ?? turnDiff(details.current_assistant_turn);
}

function texts(items: readonly TurnItem[] | null | undefined, role: string): string[] {
  return (items ?? [])
    .filter((item) => item.type === 'message' && (item.role == null || item.role === role))
    .flatMap((item) => item.content ?? [])
    .filter((part) => (part.content_type ?? 'text') === 'text' && typeof part.text === 'string')
    .map((part) => part.text as string);
}

/** The text messages of an assistant turn, in order. */
export function turnMessages(turn: Turn | null | undefined): string[] {
  return texts(turn?.output_items, 'assistant');
}

/** The assistant's text messages in the current assistant turn. */
export function assistantMessages(details: TaskDetails): string[] {
  return turnMessages(details.current_assistant_turn);
}

/** The user's prompt (the text of the current user turn's messages, joined by newlines). */
export function userPrompt(details: TaskDetails): string | undefined {
  const parts = texts(details.current_user_turn?.input_items, 'user');
  return parts.length > 0 ? parts.join('\n') : undefined;
}

/** The assistant turn's error as `code: message` (or whichever is present). */
export function assistantError(details: TaskDetails): string | undefined {
  const error = details.current_assistant_turn?.error;
  if (!error) return undefined;
  const parts = [error.code, error.message].filter((p): p is string => Boolean(p));
  return parts.length > 0 ? parts.join(': ') : undefined;
}
