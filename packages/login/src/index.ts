export { ConfigError } from '@codex-ts/config';
export { type AuthMode, type AuthSource, CodexAuth } from './auth.js';
export type { AgentIdentityRecord, AuthDotJson, AuthTokensJson } from './auth-json.js';
export {
  type CredentialsStoreMode,
  DEFAULT_CHATGPT_BASE_URL,
  type LoginConfig,
  loadLoginConfig,
  loginConfigFrom,
} from './config.js';
export type { ExternalChatgptTokens } from './credentials.js';
export type { AuthScope } from './decision.js';
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
export type { FallbackState } from './identity-lifecycle.js';
export { defaultLogger, type Logger, REDACT_PATHS } from './logger.js';
export { AuthManager, type AuthManagerOptions } from './manager.js';
export {
  BackgroundAuthProvider,
  BootstrapAuthProvider,
  ChatgptAuthProvider,
  ThreadAuthProvider,
} from './providers.js';
export type { PersistedThreadTask } from './resolved-task.js';
export type { AuthStatus } from './status.js';
// The store implementations for AuthManagerOptions.store; reading, writing and locking auth.json stay internal.
export {
  type AuthStore,
  type AuthTransaction,
  EphemeralAuthStore,
  FileAuthStore,
  type FileAuthStoreOptions,
} from './storage.js';
export {
  type ExternalTokenRefresher,
  type RecoveryStepResult,
  UnauthorizedRecovery,
  type UnauthorizedRecoveryStep,
} from './unauthorized-recovery.js';
