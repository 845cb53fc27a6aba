export type TaskKind = 'thread' | 'background';

export interface DevBackendOptions {
  /** Port to listen on; default 0 (any free port). */
  port?: number;
  /** Host to bind; default '127.0.0.1'. */
  host?: string;
  /** Atomic JSON persistence (mode 0600), loaded on start. */
  dataFile?: string;
  /** Access and ID token lifetime; default 3600. */
  accessTokenTtlSeconds?: number;
  /** Refresh token lifetime; default 30 days. */
  refreshTokenTtlSeconds?: number;
  /** Task registration answers with a sealed `encrypted_task_id` (default) or a plain `task_id`. */
  taskIdResponse?: 'encrypted' | 'plain';
  /** Accepted clock difference for assertions and task registrations; default 300. */
  assertionWindowSeconds?: number;
  /** Server clock = real clock + offset (skew tests). */
  clockOffsetSeconds?: number;
  /** Request body cap; default 1 MiB. */
  maxBodyBytes?: number;
  /** Biscuit lifetime; default 300. */
  biscuitTtlSeconds?: number;
  /** Entries kept by the request log; default 1000. */
  maxRequestRecords?: number;
  /**
   * Serve the blob store (`upload_url`) on a second loopback port instead of this one (plain http, also with
   * `tls`); default false.
   */
  separateUploadHost?: boolean;
  /**
   * Serve HTTPS and WSS with a throw-away CA made at start (`true`), optionally writing the CA certificate to
   * `caFile` (default: a new temporary directory, removed by `close()`).
   */
  tls?: boolean | { caFile?: string };
}

export interface DevTokens {
  id_token: string;
  access_token: string;
  refresh_token: string;
  account_id: string;
}

export type DevAuthScheme = 'bearer' | 'assertion' | 'biscuit' | 'signature' | 'none';

export interface DevRequestRecord {
  id: number;
  at: string;
  method: string;
  path: string;
  authScheme: DevAuthScheme;
  agentRuntimeId?: string;
  taskId?: string;
  taskKind?: TaskKind;
  status: number;
  /** The `x-openai-authorization-error` value or another failure reason. */
  reason?: string;
  /** The ChatGPT-Account-ID header as sent (an id, not a secret). */
  sentAccountId?: string;
  /** True when `X-OpenAI-Fedramp: true` was sent. */
  sentFedramp?: boolean;
  /** The `Content-Encoding` the body was sent with (upstream compresses its HTTP turns with zstd), when given. */
  sentContentEncoding?: string;
}

export interface DevFault {
  /** Exact path or a glob where `*` matches any run of characters. */
  path: string;
  method?: string;
  status?: number;
  /** How many requests it applies to; default 1. */
  count?: number;
  delayMs?: number;
  /** Destroy the connection without an answer. */
  drop?: boolean;
  /** JSON body sent with `status`. */
  body?: unknown;
}

export interface DevIdentityInfo {
  agentRuntimeId: string;
  publicKeySsh: string;
  userId: string;
  accountId: string;
  registeredAt: string;
}

export interface DevTaskInfo {
  agentRuntimeId: string;
  taskId: string;
  kind: TaskKind;
  externalTaskRef?: string;
}

export interface DevUserInfo {
  userId: string;
  email: string;
  plan: string;
  accountId: string;
  fedramp: boolean;
}

export interface IssueTokensOptions {
  email?: string;
  plan?: string;
  accountId?: string;
  fedramp?: boolean;
  expiresIn?: number;
  userId?: string;
}

/** A Responses request body as a dev model received it (validated: `model` and `input` are there). */
export interface DevModelRequest {
  model: string;
  input: Array<Record<string, unknown>>;
  [key: string]: unknown;
}

export interface DevBackend {
  /** 'http://127.0.0.1:PORT', or 'https://…' with `tls`. */
  readonly url: string;
  /** With `tls`: the PEM file of the CA that signed the server certificate (`CODEX_CA_CERTIFICATE`, `NODE_EXTRA_CA_CERTS`). */
  readonly caFile?: string;
  /** url + '/backend-api' */
  readonly chatgptBaseUrl: string;
  /** OAuth issuer (= url). */
  readonly issuer: string;
  /** url + '/oauth/token' */
  readonly tokenUrl: string;
  issueTokens(o?: IssueTokensOptions): Promise<DevTokens>;
  requests(filter?: { path?: string; method?: string }): DevRequestRecord[];
  clearRequests(): void;
  /**
   * The Responses request bodies the dev models received (`POST codex/responses` and the websocket's
   * `response.create`), oldest first, capped like `requests()`; `clearRequests()` clears them too.
   */
  modelRequests(): DevModelRequest[];
  /** The analytics events received at `POST /backend-api/codex/analytics-events/events`, oldest first (last 1000). */
  analyticsEvents(): unknown[];
  injectFault(fault: DevFault): void;
  clearFaults(): void;
  users(): DevUserInfo[];
  identities(): DevIdentityInfo[];
  tasks(): DevTaskInfo[];
  /** Next assertion for this runtime gets 401 unknown_runtime. */
  forgetIdentity(agentRuntimeId: string): void;
  /** Next assertion for this task gets 401 unknown_task. */
  forgetTask(taskId: string): void;
  /** Revokes every refresh token of a user (or of all users): the next refresh gets refresh_token_invalidated. */
  revokeRefreshTokens(userId?: string): void;
  setClockOffset(seconds: number): void;
  /** The origin `upload_url`s point at (`url` unless `separateUploadHost`). */
  readonly uploadUrl: string;
  /** Stores a cloud task with a diff the caller chooses, for the user of `accountId`; returns its id. */
  seedCloudTask(seed: SeedCloudTask): string;
  close(): Promise<void>;
}

/** A cloud task whose diff a test chooses (one that applies to a repository it made, or one that conflicts). */
export interface SeedCloudTask {
  /** The owner, by the `account_id` of their tokens. */
  accountId: string;
  /** A unified diff, or anything else (to test a client that refuses non-unified diffs). */
  diff: string;
  title?: string;
  prompt?: string;
  environmentId?: string;
  /** Extra attempts (best-of-n siblings); they carry the same diff. */
  siblings?: number;
}
