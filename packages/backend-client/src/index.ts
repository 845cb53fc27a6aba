export { codexPath, normalizeBaseUrl, type PathStyle, pathStyleFor } from './base-url.js';
export {
  BackendClient,
  type BackendClientOptions,
  DEFAULT_USER_AGENT,
  type ListTasksOptions,
} from './client.js';
export {
  CONNECTOR_CACHE_TTL_MS,
  type ConnectorCacheKey,
  ConnectorDirectoryCache,
} from './connector-cache.js';
export type { ListConnectorsOptions } from './connectors.js';
export {
  BackendError,
  type BackendErrorCode,
  type BackendErrorDetails,
  ERROR_BODY_LIMIT,
  isBackendError,
} from './errors.js';
export {
  FILE_UPLOAD_LIMIT_BYTES,
  FILE_URI_PREFIX,
  FileUploadError,
  type UploadedFile,
  type UploadFileOptions,
} from './file-upload.js';
export {
  type CreditsSnapshot,
  preferredSnapshot,
  type RateLimitReachedType,
  type RateLimitSnapshot,
  type RateLimitWindow,
  rateLimitSnapshots,
  type SpendControlLimit,
} from './rate-limits.js';
export { redactUrl } from './redact-url.js';
export type { DirectoryApp } from './schemas/connectors.js';
export type { ConfigRequirements, Environment } from './schemas/misc.js';
export type { RateLimitResetCreditsPayload, RateLimitStatusPayload } from './schemas/rate-limits.js';
export type {
  SiblingTurns,
  TaskDetails,
  TaskListItem,
  TaskListPage,
  TaskStatusDisplay,
  Turn,
  TurnItem,
} from './schemas/tasks.js';
export {
  assistantError,
  assistantMessages,
  turnDiff,
  turnMessages,
  unifiedDiff,
  userPrompt,
} from './task-details.js';
export type { CallOptions } from './transport.js';
export {
  type RateLimitResetCredit,
  type RateLimitResetCreditStatus,
  type RateLimitResetCredits,
  type RateLimitResetType,
  resetCredits,
  type UsageStatus,
  usageStatus,
} from './usage-status.js';
