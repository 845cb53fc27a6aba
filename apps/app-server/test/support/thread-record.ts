import type { ThreadRecord } from '../../src/threads/thread-model.js';

/** A stored thread as the thread store reads it: `id`, created at `createdAt` (seconds); the rest as given. */
export function threadRecord(
  id: string,
  createdAt: number,
  more: Partial<Omit<ThreadRecord, 'meta'>> = {},
): ThreadRecord {
  return {
    meta: {
      id,
      createdAt,
      cwd: '/w',
      model: 'm',
      modelProvider: 'openai',
      cliVersion: '0.1.0',
      originator: 'o',
      source: 'vscode',
    },
    path: `/w/${id}.jsonl`,
    turns: [],
    task: undefined,
    updatedAt: createdAt,
    readState: undefined,
    tokenUsage: undefined,
    ...more,
  };
}
