import { type CodexConfig, ConfigError, loadCodexConfig } from '@codex-ts/config';

/** Upstream's defaults for the sign-in issuer and the token revocation endpoint. */
export const DEFAULT_LOGIN_ISSUER = 'https://auth.openai.com';
export const DEFAULT_REVOKE_TOKEN_URL = 'https://auth.openai.com/oauth/revoke';
export const DEFAULT_MODEL = 'gpt-5.5';
export const LOGIN_ISSUER_ENV = 'CODEX_APP_SERVER_LOGIN_ISSUER';
export const REVOKE_TOKEN_URL_OVERRIDE_ENV = 'CODEX_REVOKE_TOKEN_URL_OVERRIDE';

/** What the app-server takes from `$CODEX_HOME/config.toml` (read by @codex-ts/config) and the environment. */
export interface AppServerConfig {
  readonly codexHome: string;
  /** The whole validated config.toml, for the packages the app-server hands slices to. */
  readonly toml: CodexConfig;
  /** `model`, when set. */
  readonly model: string | undefined;
  /** `model_provider` (default `openai`). */
  readonly modelProvider: string;
  /** `openai_base_url`, when set (the model provider's base URL override). */
  readonly openaiBaseUrl: string | undefined;
  /** `chatgpt_base_url` (default `https://chatgpt.com/backend-api`), without a trailing slash. */
  readonly chatgptBaseUrl: string;
  /** `analytics.enabled` (default true). */
  readonly analyticsEnabled: boolean;
  /** `features.remote_control` (default false). */
  readonly remoteControl: boolean;
  /** `CODEX_APP_SERVER_LOGIN_ISSUER`, else auth.openai.com. */
  readonly loginIssuer: string;
  /** `CODEX_REVOKE_TOKEN_URL_OVERRIDE`, else auth.openai.com/oauth/revoke. */
  readonly revokeTokenUrl: string;
}

function envUrl(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const v = env[name]?.trim();
  if (!v) return fallback;
  if (!URL.canParse(v)) throw new ConfigError(name, `environment variable ${name} is not a URL`);
  return v.replace(/\/+$/, '');
}

/** Reads `$CODEX_HOME/config.toml` (absent = defaults). Throws @codex-ts/config's ConfigError naming file and key. */
export async function loadAppServerConfig(
  env: NodeJS.ProcessEnv,
  codexHome: string,
): Promise<AppServerConfig> {
  const toml = await loadCodexConfig(codexHome);
  const remote = (toml.features as Record<string, unknown>).remote_control;
  if (remote !== undefined && typeof remote !== 'boolean') {
    throw new ConfigError(`${codexHome}/config.toml`, '`features.remote_control` must be true or false', {
      key: 'features.remote_control',
    });
  }
  return Object.freeze({
    codexHome,
    toml,
    model: toml.model,
    modelProvider: toml.model_provider ?? 'openai',
    openaiBaseUrl: toml.openai_base_url?.replace(/\/+$/, ''),
    chatgptBaseUrl: toml.chatgpt_base_url.replace(/\/+$/, ''),
    analyticsEnabled: toml.analytics?.enabled ?? true,
    remoteControl: remote === true,
    loginIssuer: envUrl(env, LOGIN_ISSUER_ENV, DEFAULT_LOGIN_ISSUER),
    revokeTokenUrl: envUrl(env, REVOKE_TOKEN_URL_OVERRIDE_ENV, DEFAULT_REVOKE_TOKEN_URL),
  });
}
