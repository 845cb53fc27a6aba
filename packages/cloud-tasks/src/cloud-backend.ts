import type {
  ApplyOptions,
  ApplyOutcome,
  CloudEnvironment,
  CreatedTask,
  CreateTaskOptions,
  TaskId,
  TaskListPage,
  TaskSummary,
  TaskText,
  TurnAttempt,
} from './types.js';

export interface ListTasksOptions {
  readonly environmentId?: string | undefined;
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
  readonly signal?: AbortSignal | undefined;
}

export interface CallOptions {
  readonly signal?: AbortSignal | undefined;
}

/**
 * Cloud tasks as the `cloud` command and other front ends use them. Two implementations: `HttpCloudBackend`
 * (the ChatGPT backend through `@codex-ts/backend-client`) and `InMemoryCloudBackend` (tests, offline tries).
 */
export interface CloudBackend {
  /** Current tasks, newest first, one page at a time. */
  listTasks(options?: ListTasksOptions): Promise<TaskListPage>;
  getTaskSummary(id: TaskId, options?: CallOptions): Promise<TaskSummary>;
  /** The task's unified diff; `undefined` when it has none (yet). */
  getTaskDiff(id: TaskId, options?: CallOptions): Promise<string | undefined>;
  /** The assistant's messages. */
  getTaskMessages(id: TaskId, options?: CallOptions): Promise<readonly string[]>;
  getTaskText(id: TaskId, options?: CallOptions): Promise<TaskText>;
  /** The attempts of a best-of-n turn, the given one included, by placement. */
  listSiblingAttempts(id: TaskId, turnId: string, options?: CallOptions): Promise<readonly TurnAttempt[]>;
  /** Checks the diff against the working tree with `git apply --check`; never changes the tree. */
  applyTaskPreflight(id: TaskId, options?: ApplyOptions): Promise<ApplyOutcome>;
  /** Applies what applies of the diff and reports the rest. */
  applyTask(id: TaskId, options?: ApplyOptions): Promise<ApplyOutcome>;
  createTask(options: CreateTaskOptions, call?: CallOptions): Promise<CreatedTask>;
  listEnvironments(options?: CallOptions): Promise<readonly CloudEnvironment[]>;
  listEnvironmentsByRepo(
    owner: string,
    repo: string,
    options?: CallOptions,
  ): Promise<readonly CloudEnvironment[]>;
}
