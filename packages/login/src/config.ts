import {
  baseUrlProblem,
  type CodexConfig,
  ConfigError,
  type CredentialsStoreMode,
  DEFAULT_CHATGPT_BASE_URL,
  loadCodexConfig,
} from '@codex-ts/config';

export type { CredentialsStoreMode };
export { DEFAULT_CHATGPT_BASE_URL };

/** The slice of config.toml login acts on (read and validated by `@codex-ts/config`). */
export interface LoginConfig {
  /** `features.use_agent_identity` (default false). */
  readonly useAgentIdentity: boolean;
  /** `chatgpt_base_url` (default `https://chatgpt.com/backend-api`; https, or http to loopback). */
  readonly chatgptBaseUrl: string;
  /** `forced_chatgpt_workspace_id`, when set and non-empty. */
  readonly forcedChatgptWorkspaceId: string | undefined;
  /** `cli_auth_credentials_store` (default `file`; there is no OS keyring here, so `auto` is `file`). */
  readonly credentialsStore: CredentialsStoreMode;
}

/** login's slice of a validated config. */
export function loginConfigFrom(config: CodexConfig): LoginConfig {
  return Object.freeze({
    useAgentIdentity: config.features.use_agent_identity ?? false,
    chatgptBaseUrl: config.chatgpt_base_url,
    forcedChatgptWorkspaceId: config.forced_chatgpt_workspace_id,
    credentialsStore: config.cli_auth_credentials_store,
  });
}

/** Reads `$CODEX_HOME/config.toml` (missing: defaults; bad: ConfigError naming the file and the key). */
export async function loadLoginConfig(codexHome: string): Promise<LoginConfig> {
  return loginConfigFrom(await loadCodexConfig(codexHome));
}

/**
 * `config` with `overrides` (AuthManager options) applied. An overridden `chatgptBaseUrl` follows the file's rule:
 * https, or http to a loopback host only (a ConfigError naming `options.config` otherwise).
 */
export function withOverrides(config: LoginConfig, overrides: Partial<LoginConfig> | undefined): LoginConfig {
  const set = Object.fromEntries(Object.entries(overrides ?? {}).filter(([, v]) => v !== undefined));
  const merged = Object.freeze({ ...config, ...set }) as LoginConfig;
  const problem = set.chatgptBaseUrl === undefined ? undefined : baseUrlProblem(merged.chatgptBaseUrl);
  if (problem) {
    throw new ConfigError('options.config', `\`chatgptBaseUrl\` must be ${problem}`, {
      key: 'chatgptBaseUrl',
      expected: problem,
    });
  }
  return merged;
}
