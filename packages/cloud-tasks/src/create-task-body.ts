import type { CreateTaskOptions } from './types.js';

/**
 * The `POST wham/tasks` body upstream sends: `new_task {environment_id, branch?, run_environment_in_qa_mode}`,
 * `input_items` (the user message, then an optional `pre_apply_patch`), and `metadata.best_of_n` when more than
 * one attempt is asked for.
 */
export function createTaskBody(options: CreateTaskOptions): Record<string, unknown> {
  const bestOfN = options.bestOfN ?? 1;
  if (!Number.isInteger(bestOfN) || bestOfN < 1 || bestOfN > 4) {
    throw new RangeError(`attempts must be an integer from 1 to 4, got ${bestOfN}`);
  }
  const newTask: Record<string, unknown> = {
    environment_id: options.environmentId,
    run_environment_in_qa_mode: options.qaMode ?? false,
  };
  if (options.gitRef) newTask.branch = options.gitRef;
  const inputItems: unknown[] = [
    { type: 'message', role: 'user', content: [{ content_type: 'text', text: options.prompt }] },
  ];
  if (options.startingDiff?.trim()) {
    inputItems.push({ type: 'pre_apply_patch', output_diff: { diff: options.startingDiff } });
  }
  const body: Record<string, unknown> = { new_task: newTask, input_items: inputItems };
  if (bestOfN > 1) body.metadata = { best_of_n: bestOfN };
  return body;
}
