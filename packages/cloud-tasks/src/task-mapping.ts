import type {
  Environment,
  TaskDetails,
  TaskListItem,
  TaskStatusDisplay,
  Turn,
} from '@codex-ts/backend-client';
import { turnDiff, turnMessages } from '@codex-ts/backend-client';
import type {
  AttemptStatus,
  CloudEnvironment,
  DiffSummary,
  TaskStatus,
  TaskSummary,
  TurnAttempt,
} from './types.js';

/** A turn status as the backend spells it → the list's task status. */
export function taskStatus(turnStatus: string | null | undefined): TaskStatus {
  switch (turnStatus) {
    case 'completed':
      return 'ready';
    case 'failed':
    case 'cancelled':
      return 'error';
    default:
      return 'pending';
  }
}

/** A turn status → an attempt status. */
export function attemptStatus(turnStatus: string | null | undefined): AttemptStatus {
  switch (turnStatus) {
    case 'pending':
    case 'completed':
    case 'failed':
    case 'cancelled':
      return turnStatus;
    case 'in_progress':
      return 'in-progress';
    default:
      return 'unknown';
  }
}

function diffStats(display: TaskStatusDisplay | null | undefined): DiffSummary {
  const stats = display?.latest_turn_status_display?.diff_stats;
  return {
    filesChanged: stats?.files_modified ?? 0,
    linesAdded: stats?.lines_added ?? 0,
    linesRemoved: stats?.lines_removed ?? 0,
  };
}

function isoSeconds(seconds: number | null | undefined): string | undefined {
  return typeof seconds === 'number' && Number.isFinite(seconds)
    ? new Date(seconds * 1000).toISOString()
    : undefined;
}

export function summaryFromListItem(item: TaskListItem, environmentId?: string): TaskSummary {
  const display = item.task_status_display;
  return {
    id: item.id,
    title: item.title,
    status: taskStatus(display?.latest_turn_status_display?.turn_status),
    updatedAt: isoSeconds(item.updated_at ?? item.created_at),
    environmentId,
    environmentLabel: display?.environment_label ?? undefined,
    summary: diffStats(display),
    attemptTotal: undefined,
  };
}

export function summaryFromDetails(details: TaskDetails): TaskSummary {
  const turn = details.current_assistant_turn;
  const display = details.task_status_display;
  return {
    id: details.task.id,
    title: details.task.title ?? '',
    status: taskStatus(display?.latest_turn_status_display?.turn_status ?? turn?.turn_status),
    updatedAt: isoSeconds(details.task.updated_at ?? details.task.created_at),
    environmentId: details.task.environment_id ?? undefined,
    environmentLabel: display?.environment_label ?? undefined,
    summary: diffStats(display),
    attemptTotal: turn ? 1 + (turn.sibling_turn_ids?.length ?? 0) : undefined,
  };
}

export function attemptFromTurn(turn: Turn): TurnAttempt {
  return {
    turnId: turn.id,
    attemptPlacement: turn.attempt_placement ?? undefined,
    status: attemptStatus(turn.turn_status),
    diff: turnDiff(turn),
    messages: turnMessages(turn),
  };
}

export function environmentFrom(row: Environment): CloudEnvironment {
  return {
    id: row.id,
    label: row.label ?? undefined,
    isPinned: row.is_pinned ?? false,
    taskCount: row.task_count ?? undefined,
  };
}
