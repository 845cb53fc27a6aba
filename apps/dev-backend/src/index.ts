/** Values of `x-openai-authorization-error`: agent-identity's wire vocabulary, re-exported. */
export {
  AUTHORIZATION_ERROR_HEADER,
  AUTHORIZATION_ERROR_REASONS,
  type AuthorizationErrorReason,
} from '@codex-ts/agent-identity';
export { startDevBackend } from './backend.js';
export {
  FAILING_MODEL,
  INCOMPLETE_MODEL,
  MODELS,
  SLOW_MODEL,
  SLOW_MODEL_EVENT_GAP_MS,
  TOOL_CALL_MODEL,
} from './responses-models.js';
export { CODEX_CLIENT_ID } from './tokens.js';
export type {
  DevAuthScheme,
  DevBackend,
  DevBackendOptions,
  DevFault,
  DevIdentityInfo,
  DevModelRequest,
  DevRequestRecord,
  DevTaskInfo,
  DevTokens,
  DevUserInfo,
  IssueTokensOptions,
  SeedCloudTask,
  TaskKind,
} from './types.js';

/** `error.code` values of a failed refresh_token grant (401). */
export const REFRESH_ERROR_CODES = [
  'refresh_token_reused',
  'refresh_token_expired',
  'refresh_token_invalidated',
] as const;
export type RefreshErrorCode = (typeof REFRESH_ERROR_CODES)[number];
