export { startDevBackend } from './backend.js';
export { FAILING_MODEL, MODELS } from './responses-models.js';
export { CODEX_CLIENT_ID } from './tokens.js';
export type {
  DevAuthScheme,
  DevBackend,
  DevBackendOptions,
  DevFault,
  DevIdentityInfo,
  DevRequestRecord,
  DevTaskInfo,
  DevTokens,
  DevUserInfo,
  IssueTokensOptions,
  TaskKind,
} from './types.js';

/** Values of `x-openai-authorization-error` (401; `account_mismatch` is a 403). */
export const AUTHORIZATION_ERROR_REASONS = [
  'missing_authorization',
  'unsupported_scheme',
  'invalid_bearer',
  'expired_bearer',
  'malformed_assertion',
  'unknown_runtime',
  'unknown_task',
  'bad_signature',
  'stale_timestamp',
  'future_timestamp',
  'invalid_biscuit',
  'biscuit_mismatch',
  'account_mismatch',
] as const;
export type AuthorizationErrorReason = (typeof AUTHORIZATION_ERROR_REASONS)[number];

/** `error.code` values of a failed refresh_token grant (401). */
export const REFRESH_ERROR_CODES = [
  'refresh_token_reused',
  'refresh_token_expired',
  'refresh_token_invalidated',
] as const;
export type RefreshErrorCode = (typeof REFRESH_ERROR_CODES)[number];
