export { ConfigError } from '@codex-ts/config';
export { type AuthMode, type AuthSource, CodexAuth } from './auth.js';
export {
  type AgentIdentityRecord,
  type AuthDotJson,
  type AuthTokensJson,
  authDotJsonSchema,
  parseAuthDotJson,
  readAgentIdentityRecord,
  serializeAuthDotJson,
} from './auth-json.js';
export type { AuthScope } from './authorizer.js';
export {
  type CredentialsStoreMode,
  DEFAULT_CHATGPT_BASE_URL,
  DEFAULT_LOGIN_CONFIG,
  type LoginConfig,
  loadLoginConfig,
  loginConfigFrom,
} from './config.js';
export {
  AgentTaskUnavailableError,
  AuthFileError,
  type AuthFileErrorCode,
  LoginError,
  NotLoggedInError,
  type RefreshFailureReason,
  RefreshTokenError,
} from './errors.js';
export { authJsonPath, configTomlPath, resolveCodexHome } from './home.js';
export { type FallbackState, type IdentityBinding, identityBindingFor } from './identity.js';
export { defaultLogger, type Logger, REDACT_PATHS } from './logger.js';
export {
  AuthManager,
  type AuthManagerOptions,
  type AuthStatus,
  type ExternalChatgptTokens,
} from './manager.js';
export {
  BackgroundAuthProvider,
  BearerOnlyAuthProvider,
  ChatgptAuthProvider,
  ThreadAuthProvider,
} from './providers.js';
export { type RecoveryStepResult, UnauthorizedRecovery, type UnauthorizedRecoveryStep } from './recovery.js';
export {
  classifyRefreshFailure,
  DEFAULT_REFRESH_TOKEN_URL,
  REFRESH_CLIENT_ID,
  REFRESH_TOKEN_URL_OVERRIDE_ENV,
  REFRESH_WINDOW_MS,
  type RefreshedTokens,
  refreshTokenUrl,
  requestTokenRefresh,
} from './refresh.js';
export {
  type AuthStore,
  type AuthTransaction,
  EphemeralAuthStore,
  FileAuthStore,
  type FileAuthStoreOptions,
  updateAuthStore,
  writeAtomically,
} from './storage.js';
export { type PersistedThreadTask, toPersistedThreadTask } from './tasks.js';
export {
  decodeJwtPayload,
  type IdTokenInfo,
  isWorkspacePlan,
  jwtExpiresAtMs,
  parseIdToken,
} from './token-data.js';
