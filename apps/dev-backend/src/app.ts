import type { BiscuitStore } from './biscuits.js';
import type { Clock } from './clock.js';
import type { FaultList } from './faults.js';
import type { FileRecord } from './files.js';
import type { AuthCode, DeviceCode } from './oauth.js';
import type { Enrollment } from './remote-control.js';
import type { RequestLog } from './requests-log.js';
import type { BackendState } from './state.js';
import type { TokenService } from './tokens.js';
import type { CloudTask } from './wham.js';

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
}

/** In-memory only (lost on restart): short-lived or purely illustrative data. */
export interface MemoryStore {
  cloudTasks: Map<string, CloudTask>;
  files: Map<string, FileRecord>;
  enrollments: Map<string, Enrollment>;
  analyticsEvents: unknown[];
  authCodes: Map<string, AuthCode>;
  deviceCodes: Map<string, DeviceCode>;
}

/** Everything a handler can reach. */
export interface App {
  readonly options: ResolvedOptions;
  readonly clock: Clock;
  readonly state: BackendState;
  readonly tokens: TokenService;
  readonly biscuits: BiscuitStore;
  readonly log: RequestLog;
  readonly faults: FaultList;
  readonly memory: MemoryStore;
  /** 'http://host:port', known once listening. */
  url: string;
}
