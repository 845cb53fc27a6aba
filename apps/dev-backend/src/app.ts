import type { AnalyticsStore } from './analytics-store.js';
import type { AppsMcpStore } from './apps-mcp-store.js';
import type { BiscuitStore } from './biscuits.js';
import type { Clock } from './clock.js';
import type { FaultList } from './faults.js';
import type { FileStore } from './files-store.js';
import type { ModelRequestLog } from './model-requests.js';
import type { OAuthStore } from './oauth-store.js';
import type { EnrollmentStore } from './remote-control-store.js';
import type { RequestLog } from './requests-log.js';
import type { BackendState } from './state.js';
import type { TokenService } from './tokens.js';
import type { CloudTaskStore } from './wham-store.js';

export interface ResolvedOptions {
  port: number;
  host: string;
  dataFile: string | undefined;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  taskIdResponse: 'encrypted' | 'plain';
  assertionWindowSeconds: number;
  maxBodyBytes: number;
  biscuitTtlSeconds: number;
  maxRequestRecords: number;
  separateUploadHost: boolean;
}

/** In-memory only (lost on restart): the stores each feature owns, composed by `startDevBackend`. */
export interface MemoryStore
  extends OAuthStore,
    EnrollmentStore,
    CloudTaskStore,
    FileStore,
    AnalyticsStore,
    AppsMcpStore {}

/** Everything a handler can reach. */
export interface App {
  readonly options: ResolvedOptions;
  readonly clock: Clock;
  readonly state: BackendState;
  readonly tokens: TokenService;
  readonly biscuits: BiscuitStore;
  readonly log: RequestLog;
  /** The bodies the dev models received. */
  readonly modelRequests: ModelRequestLog;
  readonly faults: FaultList;
  readonly memory: MemoryStore;
  /** 'http://host:port', known once listening. */
  url: string;
  /** The origin `upload_url`s point at: the separate upload host, or '' for `url`. */
  uploadUrl: string;
}
