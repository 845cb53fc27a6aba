/** A cloud task's id (`task_e_…`). */
export type TaskId = string;

/** Where a task stands, as the list shows it. */
export type TaskStatus = 'pending' | 'ready' | 'applied' | 'error';

/** The state of one attempt (turn) of a task. */
export type AttemptStatus = 'pending' | 'in-progress' | 'completed' | 'failed' | 'cancelled' | 'unknown';

export interface DiffSummary {
  readonly filesChanged: number;
  readonly linesAdded: number;
  readonly linesRemoved: number;
}

export interface TaskSummary {
  readonly id: TaskId;
  readonly title: string;
  readonly status: TaskStatus;
  /** ISO 8601, when the backend says. */
  readonly updatedAt: string | undefined;
  readonly environmentId: string | undefined;
  readonly environmentLabel: string | undefined;
  readonly summary: DiffSummary;
  readonly attemptTotal: number | undefined;
}

export interface TaskListPage {
  readonly tasks: readonly TaskSummary[];
  /** Pass it back for the next page; absent on the last page. */
  readonly cursor: string | undefined;
}

/** What a task asked and answered, with the attempt it came from. */
export interface TaskText {
  readonly prompt: string | undefined;
  readonly messages: readonly string[];
  readonly turnId: string | undefined;
  readonly siblingTurnIds: readonly string[];
  readonly attemptPlacement: number | undefined;
  readonly attemptStatus: AttemptStatus;
}

/** One attempt of a best-of-n task. */
export interface TurnAttempt {
  readonly turnId: string;
  readonly attemptPlacement: number | undefined;
  readonly status: AttemptStatus;
  readonly diff: string | undefined;
  readonly messages: readonly string[];
}

/** `success`: every file applied (or would apply); `partial`: some; `error`: none. */
export type ApplyStatus = 'success' | 'partial' | 'error';

export interface ApplyOutcome {
  /** True when the working tree was changed (never for a preflight). */
  readonly applied: boolean;
  readonly status: ApplyStatus;
  readonly message: string;
  /** Files left alone because their target is missing (or the patch for them could not be read). */
  readonly skippedPaths: readonly string[];
  /** Files whose patch does not apply to the current contents. */
  readonly conflictPaths: readonly string[];
}

export interface CreateTaskOptions {
  readonly environmentId: string;
  readonly prompt: string;
  /** The branch the task starts from (`new_task.branch`). */
  readonly gitRef?: string | undefined;
  readonly qaMode?: boolean | undefined;
  /** Attempts (1–4); sent as `metadata.best_of_n` when more than one. */
  readonly bestOfN?: number | undefined;
  /** A unified diff applied before the task starts (`pre_apply_patch`), e.g. from `CODEX_STARTING_DIFF`. */
  readonly startingDiff?: string | undefined;
}

export interface CreatedTask {
  readonly id: TaskId;
}

/** An environment tasks run in. */
export interface CloudEnvironment {
  readonly id: string;
  readonly label: string | undefined;
  readonly isPinned: boolean;
  readonly taskCount: number | undefined;
}

export interface ApplyOptions {
  /** The directory inside the git working tree to apply to (default `process.cwd()`). */
  readonly cwd?: string | undefined;
  /** Apply this diff instead of the task's. */
  readonly diffOverride?: string | undefined;
  readonly signal?: AbortSignal | undefined;
}
