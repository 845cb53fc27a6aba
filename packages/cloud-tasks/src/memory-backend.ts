import type { CallOptions, CloudBackend, ListTasksOptions } from './cloud-backend.js';
import { createTaskBody } from './create-task-body.js';
import { CloudTaskError } from './errors.js';
import { applyTaskDiff } from './git-apply.js';
import type {
  ApplyOptions,
  ApplyOutcome,
  CloudEnvironment,
  CreatedTask,
  CreateTaskOptions,
  TaskListPage,
  TaskStatus,
  TaskSummary,
  TaskText,
  TurnAttempt,
} from './types.js';
import { diffSummary } from './unified-diff.js';

/** A task as the in-memory backend holds it. */
export interface MemoryTask {
  readonly id: string;
  readonly title: string;
  readonly environmentId: string;
  readonly prompt: string;
  readonly status: TaskStatus;
  /** One entry per attempt: its diff and messages. */
  readonly attempts: ReadonlyArray<{
    readonly diff: string | undefined;
    readonly messages: readonly string[];
  }>;
  readonly updatedAt: string;
}

export interface InMemoryCloudBackendOptions {
  readonly tasks?: readonly MemoryTask[];
  readonly environments?: readonly CloudEnvironment[];
  /** Environments per `owner/repo` (lower case). */
  readonly environmentsByRepo?: Readonly<Record<string, readonly CloudEnvironment[]>>;
  /** What a created task answers: its diff per attempt (default: a new file `CLOUD_TASK.md` with the prompt). */
  readonly respond?: (options: CreateTaskOptions, attempt: number) => { diff: string; message: string };
  readonly now?: () => Date;
}

function defaultResponse(options: CreateTaskOptions, attempt: number) {
  const line = options.prompt.split('\n')[0] ?? '';
  const diff = [
    'diff --git a/CLOUD_TASK.md b/CLOUD_TASK.md',
    'new file mode 100644',
    '--- /dev/null',
    '+++ b/CLOUD_TASK.md',
    '@@ -0,0 +1 @@',
    `+${line}`,
    '',
  ].join('\n');
  return { diff, message: `Done (attempt ${attempt + 1}): ${line}` };
}

/** Cloud tasks kept in memory, with the same create body rules and the same git apply as the HTTP backend. */
export class InMemoryCloudBackend implements CloudBackend {
  readonly #tasks: MemoryTask[];
  readonly #environments: readonly CloudEnvironment[];
  readonly #byRepo: Readonly<Record<string, readonly CloudEnvironment[]>>;
  readonly #respond: NonNullable<InMemoryCloudBackendOptions['respond']>;
  readonly #now: () => Date;
  #next = 1;

  constructor(options: InMemoryCloudBackendOptions = {}) {
    this.#tasks = [...(options.tasks ?? [])];
    this.#environments = options.environments ?? [
      { id: 'env_local', label: 'local', isPinned: true, taskCount: this.#tasks.length },
    ];
    this.#byRepo = options.environmentsByRepo ?? {};
    this.#respond = options.respond ?? defaultResponse;
    this.#now = options.now ?? (() => new Date());
  }

  /** The tasks created so far, and any given at construction, newest first. */
  get tasks(): readonly MemoryTask[] {
    return this.#tasks;
  }

  async listTasks(options: ListTasksOptions = {}): Promise<TaskListPage> {
    const all = this.#tasks.filter(
      (t) => !options.environmentId || t.environmentId === options.environmentId,
    );
    const start = options.cursor === undefined ? 0 : Number(options.cursor);
    if (!Number.isInteger(start) || start < 0)
      throw new CloudTaskError('not_found', `bad cursor ${options.cursor}`);
    const limit = options.limit ?? 20;
    const page = all.slice(start, start + limit).map((t) => this.#summary(t));
    return { tasks: page, cursor: start + limit < all.length ? String(start + limit) : undefined };
  }

  async getTaskSummary(id: string): Promise<TaskSummary> {
    return this.#summary(this.#find(id));
  }

  async getTaskDiff(id: string): Promise<string | undefined> {
    return this.#find(id).attempts[0]?.diff;
  }

  async getTaskMessages(id: string): Promise<readonly string[]> {
    return this.#find(id).attempts[0]?.messages ?? [];
  }

  async getTaskText(id: string): Promise<TaskText> {
    const task = this.#find(id);
    return {
      prompt: task.prompt,
      messages: task.attempts[0]?.messages ?? [],
      turnId: `${id}_turn_0`,
      siblingTurnIds: task.attempts.slice(1).map((_, i) => `${id}_turn_${i + 1}`),
      attemptPlacement: 0,
      attemptStatus: task.status === 'error' ? 'failed' : task.status === 'pending' ? 'pending' : 'completed',
    };
  }

  async listSiblingAttempts(
    id: string,
    turnId: string,
    _options?: CallOptions,
  ): Promise<readonly TurnAttempt[]> {
    const task = this.#find(id);
    const turns = task.attempts.map((attempt, i) => ({
      turnId: `${id}_turn_${i}`,
      attemptPlacement: i,
      status: 'completed' as const,
      diff: attempt.diff,
      messages: attempt.messages,
    }));
    if (!turns.some((t) => t.turnId === turnId))
      throw new CloudTaskError('not_found', `no turn ${turnId} in ${id}`);
    return turns;
  }

  applyTaskPreflight(id: string, options: ApplyOptions = {}): Promise<ApplyOutcome> {
    return this.#apply(id, options, true);
  }

  applyTask(id: string, options: ApplyOptions = {}): Promise<ApplyOutcome> {
    return this.#apply(id, options, false);
  }

  async createTask(options: CreateTaskOptions): Promise<CreatedTask> {
    createTaskBody(options); // the same validation as the HTTP backend
    const id = `task_local_${this.#next++}`;
    const attempts = Array.from({ length: options.bestOfN ?? 1 }, (_, i) => {
      const { diff, message } = this.#respond(options, i);
      return { diff, messages: [message] };
    });
    this.#tasks.unshift({
      id,
      title: options.prompt.split('\n')[0]!.slice(0, 80),
      environmentId: options.environmentId,
      prompt: options.prompt,
      status: 'ready',
      attempts,
      updatedAt: this.#now().toISOString(),
    });
    return { id };
  }

  async listEnvironments(): Promise<readonly CloudEnvironment[]> {
    return this.#environments;
  }

  async listEnvironmentsByRepo(owner: string, repo: string): Promise<readonly CloudEnvironment[]> {
    return this.#byRepo[`${owner}/${repo}`.toLowerCase()] ?? [];
  }

  #find(id: string): MemoryTask {
    const task = this.#tasks.find((t) => t.id === id);
    if (!task) throw new CloudTaskError('not_found', `no task ${id}`);
    return task;
  }

  #summary(task: MemoryTask): TaskSummary {
    return {
      id: task.id,
      title: task.title,
      status: task.status,
      updatedAt: task.updatedAt,
      environmentId: task.environmentId,
      environmentLabel: this.#environments.find((e) => e.id === task.environmentId)?.label,
      summary: diffSummary(task.attempts[0]?.diff),
      attemptTotal: task.attempts.length,
    };
  }

  async #apply(id: string, options: ApplyOptions, preflight: boolean): Promise<ApplyOutcome> {
    return applyTaskDiff(id, options.diffOverride ?? (await this.getTaskDiff(id)), options, preflight);
  }
}
