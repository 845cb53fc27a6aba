import type { AuthProvider, FetchLike } from '@codex-ts/auth-provider';
import { codexPath, normalizeBaseUrl, type PathStyle, pathStyleFor } from './base-url.js';
import type { ConnectorDirectoryCache } from './connector-cache.js';
import { ConnectorDirectory, type ListConnectorsOptions } from './connectors.js';
import { type UploadedFile, type UploadFileOptions, uploadFile } from './file-upload.js';
import { preferredSnapshot, type RateLimitSnapshot, rateLimitSnapshots } from './rate-limits.js';
import type { DirectoryApp } from './schemas/connectors.js';
import {
  type ConfigRequirements,
  configRequirementsSchema,
  type Environment,
  environmentListSchema,
} from './schemas/misc.js';
import { rateLimitResetCreditsSchema, rateLimitStatusPayloadSchema } from './schemas/rate-limits.js';
import {
  createdTaskSchema,
  type SiblingTurns,
  siblingTurnsSchema,
  type TaskDetails,
  type TaskListPage,
  taskDetailsSchema,
  taskListPageSchema,
} from './schemas/tasks.js';
import { type CallOptions, Transport } from './transport.js';
import { type RateLimitResetCredits, resetCredits, type UsageStatus, usageStatus } from './usage-status.js';

export const DEFAULT_USER_AGENT = 'codex-cli';

export interface BackendClientOptions {
  /** `https://chatgpt.com/backend-api`, a dev backend's `…/backend-api`, or a Codex API base. */
  readonly baseUrl: string;
  /** Authorizes every request; the client never builds an `Authorization` header itself. */
  readonly auth: AuthProvider;
  /** Default `codex-cli`. */
  readonly userAgent?: string | undefined;
  /** A fetch to send with (default: the global fetch, resolved at call time). */
  readonly fetch?: FetchLike | undefined;
  /** Override the path style the base URL implies. */
  readonly pathStyle?: PathStyle | undefined;
  /** Share a connector directory cache between clients (default: one per client). */
  readonly connectorCache?: ConnectorDirectoryCache | undefined;
}

export interface ListTasksOptions extends CallOptions {
  readonly limit?: number | undefined;
  readonly taskFilter?: string | undefined;
  readonly cursor?: string | undefined;
  readonly environmentId?: string | undefined;
}

/**
 * The ChatGPT backend for Codex: rate limits, cloud tasks, managed requirements, environments, the connector
 * directory and file upload. Responses are validated (unknown fields kept); failures are `BackendError`s.
 */
export class BackendClient {
  readonly baseUrl: string;
  readonly pathStyle: PathStyle;
  readonly #transport: Transport;
  readonly #fetch: FetchLike | undefined;
  readonly #connectors: ConnectorDirectory;

  constructor(options: BackendClientOptions) {
    this.baseUrl = normalizeBaseUrl(options.baseUrl);
    if (!URL.canParse(this.baseUrl)) throw new TypeError(`not a URL: ${JSON.stringify(options.baseUrl)}`);
    this.pathStyle = options.pathStyle ?? pathStyleFor(this.baseUrl);
    this.#fetch = options.fetch;
    this.#transport = new Transport(options.auth, options.userAgent ?? DEFAULT_USER_AGENT, options.fetch);
    this.#connectors = new ConnectorDirectory(this.#transport, this.baseUrl, options.connectorCache);
  }

  /** The URL of a Codex endpoint in this client's path style (`tasks/list` → `…/wham/tasks/list`). */
  endpointUrl(path: string): URL {
    return new URL(`${this.baseUrl}/${codexPath(this.pathStyle, path)}`);
  }

  /** Every limit of `GET wham/usage`: `codex` first, then the additional ones. */
  async getRateLimitSnapshots(options: CallOptions = {}): Promise<RateLimitSnapshot[]> {
    const payload = await this.#get(rateLimitStatusPayloadSchema, this.endpointUrl('usage'), options);
    return rateLimitSnapshots(payload);
  }

  /** `GET wham/usage` whole: the limits, the account they are for, whether ordinary usage is allowed, the banner. */
  async getUsageStatus(options: CallOptions = {}): Promise<UsageStatus> {
    const url = this.endpointUrl('usage');
    const payload = await this.#get(rateLimitStatusPayloadSchema, url, options);
    return usageStatus(payload, this.#transport.auth.describe({ url, method: 'GET' }).accountId);
  }

  /** `GET wham/rate-limit-reset-credits`: the limit resets the user has earned. */
  async getRateLimitResetCredits(options: CallOptions = {}): Promise<RateLimitResetCredits> {
    const url = this.endpointUrl('rate-limit-reset-credits');
    return resetCredits(await this.#get(rateLimitResetCreditsSchema, url, options));
  }

  /** The `codex` limit (or the first one). */
  async getRateLimits(options: CallOptions = {}): Promise<RateLimitSnapshot> {
    return preferredSnapshot(await this.getRateLimitSnapshots(options));
  }

  /** One page of `GET wham/tasks/list`. */
  async listTasks(options: ListTasksOptions = {}): Promise<TaskListPage> {
    const url = this.endpointUrl('tasks/list');
    if (options.limit !== undefined) url.searchParams.set('limit', String(options.limit));
    if (options.taskFilter !== undefined) url.searchParams.set('task_filter', options.taskFilter);
    if (options.cursor !== undefined) url.searchParams.set('cursor', options.cursor);
    if (options.environmentId !== undefined) url.searchParams.set('environment_id', options.environmentId);
    return this.#get(taskListPageSchema, url, options);
  }

  /** `GET wham/tasks/{id}`; read it with `unifiedDiff`, `assistantMessages`, `userPrompt`, `assistantError`. */
  async getTaskDetails(taskId: string, options: CallOptions = {}): Promise<TaskDetails> {
    return this.#get(taskDetailsSchema, this.endpointUrl(`tasks/${segment(taskId)}`), options);
  }

  /** `GET wham/tasks/{task}/turns/{turn}/sibling_turns`: the other attempts of a best-of-n turn. */
  async listSiblingTurns(taskId: string, turnId: string, options: CallOptions = {}): Promise<SiblingTurns> {
    const url = this.endpointUrl(`tasks/${segment(taskId)}/turns/${segment(turnId)}/sibling_turns`);
    return this.#get(siblingTurnsSchema, url, options);
  }

  /** `POST wham/tasks` with the body as given; the new task's id (`task.id`, else `id`). */
  async createTask(body: unknown, options: CallOptions = {}): Promise<string> {
    const created = await this.#transport.json(createdTaskSchema, {
      method: 'POST',
      url: this.endpointUrl('tasks'),
      json: body,
      signal: options.signal,
    });
    return (created.task?.id ?? created.id) as string;
  }

  /** `GET wham/config/requirements`: the managed requirements file. */
  async getConfigRequirements(options: CallOptions = {}): Promise<ConfigRequirements> {
    return this.#get(configRequirementsSchema, this.endpointUrl('config/requirements'), options);
  }

  /** `GET wham/environments`. */
  async listEnvironments(options: CallOptions = {}): Promise<Environment[]> {
    return this.#get(environmentListSchema, this.endpointUrl('environments'), options);
  }

  /** `GET wham/environments/by-repo/github/{owner}/{repo}`. */
  async listEnvironmentsByRepo(
    owner: string,
    repo: string,
    options: CallOptions = {},
  ): Promise<Environment[]> {
    const url = this.endpointUrl(`environments/by-repo/github/${segment(owner)}/${segment(repo)}`);
    return this.#get(environmentListSchema, url, options);
  }

  /** The connector directory (all pages, plus the workspace list for workspace accounts), cached for an hour. */
  listConnectors(options: ListConnectorsOptions = {}): Promise<readonly DirectoryApp[]> {
    return this.#connectors.list(options);
  }

  /** Uploads a file (create, `PUT` to `upload_url`, finalize). See `UploadFileOptions.auth`. */
  uploadFile(options: UploadFileOptions): Promise<UploadedFile> {
    return uploadFile(this.#transport, this.baseUrl, this.#fetch, options);
  }

  #get<S extends Parameters<Transport['json']>[0]>(schema: S, url: URL, options: CallOptions) {
    return this.#transport.json(schema, { method: 'GET', url, signal: options.signal });
  }
}

function segment(value: string): string {
  if (value === '' || value === '.' || value === '..') throw new TypeError(`invalid path segment: ${value}`);
  return encodeURIComponent(value);
}
