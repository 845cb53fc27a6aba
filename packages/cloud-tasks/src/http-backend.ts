import {
  assistantMessages,
  type BackendClient,
  type TaskDetails,
  unifiedDiff,
  userPrompt,
} from '@codex-ts/backend-client';
import type { CallOptions, CloudBackend, ListTasksOptions } from './cloud-backend.js';
import { createTaskBody } from './create-task-body.js';
import { applyTaskDiff } from './git-apply.js';
import {
  attemptFromTurn,
  attemptStatus,
  environmentFrom,
  summaryFromDetails,
  summaryFromListItem,
} from './task-mapping.js';
import type {
  ApplyOptions,
  ApplyOutcome,
  CloudEnvironment,
  CreatedTask,
  CreateTaskOptions,
  TaskListPage,
  TaskSummary,
  TaskText,
  TurnAttempt,
} from './types.js';

/** Default page size of `listTasks`. */
export const DEFAULT_TASK_PAGE_SIZE = 20;

/** Cloud tasks over the ChatGPT backend (`wham/…` or `api/codex/…`), through a `BackendClient`. */
export class HttpCloudBackend implements CloudBackend {
  readonly #client: BackendClient;
  /** Detail fetches in flight (without a signal): concurrent readers of one task share one request. */
  readonly #inflight = new Map<string, Promise<TaskDetails>>();

  constructor(client: BackendClient) {
    this.#client = client;
  }

  #details(id: string, options: CallOptions): Promise<TaskDetails> {
    if (options.signal) return this.#client.getTaskDetails(id, options);
    let pending = this.#inflight.get(id);
    if (!pending) {
      pending = this.#client.getTaskDetails(id).finally(() => this.#inflight.delete(id));
      this.#inflight.set(id, pending);
    }
    return pending;
  }

  async listTasks(options: ListTasksOptions = {}): Promise<TaskListPage> {
    const page = await this.#client.listTasks({
      limit: options.limit ?? DEFAULT_TASK_PAGE_SIZE,
      taskFilter: 'current',
      cursor: options.cursor,
      environmentId: options.environmentId,
      signal: options.signal,
    });
    return {
      tasks: page.items.map((item) => summaryFromListItem(item, options.environmentId)),
      cursor: page.cursor ?? undefined,
    };
  }

  async getTaskSummary(id: string, options: CallOptions = {}): Promise<TaskSummary> {
    return summaryFromDetails(await this.#details(id, options));
  }

  async getTaskDiff(id: string, options: CallOptions = {}): Promise<string | undefined> {
    return unifiedDiff(await this.#details(id, options));
  }

  async getTaskMessages(id: string, options: CallOptions = {}): Promise<readonly string[]> {
    return assistantMessages(await this.#details(id, options));
  }

  async getTaskText(id: string, options: CallOptions = {}): Promise<TaskText> {
    const details = await this.#details(id, options);
    const turn = details.current_assistant_turn;
    return {
      prompt: userPrompt(details),
      messages: assistantMessages(details),
      turnId: turn?.id,
      siblingTurnIds: turn?.sibling_turn_ids ?? [],
      attemptPlacement: turn?.attempt_placement ?? undefined,
      attemptStatus: attemptStatus(turn?.turn_status),
    };
  }

  async listSiblingAttempts(
    id: string,
    turnId: string,
    options: CallOptions = {},
  ): Promise<readonly TurnAttempt[]> {
    const details = await this.#details(id, options);
    const siblings = await this.#client.listSiblingTurns(id, turnId, options);
    const current = details.current_assistant_turn;
    const turns = current?.id === turnId ? [current, ...siblings.sibling_turns] : siblings.sibling_turns;
    return turns
      .map(attemptFromTurn)
      .sort(
        (a, b) =>
          (a.attemptPlacement ?? Number.MAX_SAFE_INTEGER) - (b.attemptPlacement ?? Number.MAX_SAFE_INTEGER),
      );
  }

  applyTaskPreflight(id: string, options: ApplyOptions = {}): Promise<ApplyOutcome> {
    return this.#apply(id, options, true);
  }

  applyTask(id: string, options: ApplyOptions = {}): Promise<ApplyOutcome> {
    return this.#apply(id, options, false);
  }

  async createTask(options: CreateTaskOptions, call: CallOptions = {}): Promise<CreatedTask> {
    return { id: await this.#client.createTask(createTaskBody(options), call) };
  }

  async listEnvironments(options: CallOptions = {}): Promise<readonly CloudEnvironment[]> {
    return (await this.#client.listEnvironments(options)).map(environmentFrom);
  }

  async listEnvironmentsByRepo(
    owner: string,
    repo: string,
    options: CallOptions = {},
  ): Promise<readonly CloudEnvironment[]> {
    return (await this.#client.listEnvironmentsByRepo(owner, repo, options)).map(environmentFrom);
  }

  async #apply(id: string, options: ApplyOptions, preflight: boolean): Promise<ApplyOutcome> {
    return applyTaskDiff(
      id,
      options.diffOverride ?? (await this.getTaskDiff(id, { signal: options.signal })),
      options,
      preflight,
    );
  }
}
