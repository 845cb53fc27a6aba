export { baseUrlProblem, isLoopbackHostname } from './base-url.js';
export { ConfigError, type ConfigPosition } from './errors.js';
export { codexConfigFrom, configTomlPath, loadCodexConfig, parseCodexConfig } from './load.js';
export {
  type CodexConfig,
  type CredentialsStoreMode,
  codexConfigSchema,
  DEFAULT_CHATGPT_BASE_URL,
  type ModelProviderConfig,
  modelProviderSchema,
} from './schema.js';
