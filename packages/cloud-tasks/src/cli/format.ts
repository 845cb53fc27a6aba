import type { ApplyOutcome, CloudEnvironment, TaskSummary, TaskText } from '../types.js';

function stats(task: TaskSummary): string {
  const s = task.summary;
  return `+${s.linesAdded}/-${s.linesRemoved} in ${s.filesChanged} file${s.filesChanged === 1 ? '' : 's'}`;
}

export function formatTaskList(tasks: readonly TaskSummary[], cursor: string | undefined): string {
  if (tasks.length === 0) return 'No tasks.\n';
  const lines = tasks.map((t) => `${t.id}  ${t.status.padEnd(7)}  ${stats(t).padEnd(20)}  ${t.title}`);
  if (cursor) lines.push(`(more: --cursor ${cursor})`);
  return `${lines.join('\n')}\n`;
}

export function formatTask(task: TaskSummary, text: TaskText): string {
  const lines = [
    `${task.id}  ${task.status}  ${stats(task)}`,
    `title: ${task.title}`,
    `environment: ${task.environmentLabel ?? task.environmentId ?? '-'}`,
  ];
  if (task.attemptTotal !== undefined && task.attemptTotal > 1) lines.push(`attempts: ${task.attemptTotal}`);
  if (text.prompt !== undefined) lines.push('', 'prompt:', text.prompt);
  if (text.messages.length > 0) lines.push('', 'messages:', ...text.messages);
  return `${lines.join('\n')}\n`;
}

export function formatOutcome(outcome: ApplyOutcome): string {
  const lines = [`${outcome.status}: ${outcome.message}`];
  for (const path of outcome.conflictPaths) lines.push(`  conflict: ${path}`);
  for (const path of outcome.skippedPaths) lines.push(`  skipped:  ${path}`);
  return `${lines.join('\n')}\n`;
}

export function formatEnvironments(rows: readonly CloudEnvironment[]): string {
  if (rows.length === 0) return 'No environments.\n';
  const lines = rows.map(
    (e) =>
      `${e.id}  ${(e.label ?? '').padEnd(24)}  ${e.isPinned ? 'pinned' : '      '}  ${e.taskCount ?? '-'} tasks`,
  );
  return `${lines.join('\n')}\n`;
}
