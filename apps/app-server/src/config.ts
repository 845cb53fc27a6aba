import { readFile } from 'node:fs/promises';
import { configTomlPath, DEFAULT_CHATGPT_BASE_URL, resolveCodexHome } from '@codex-ts/login';
import { parse as parseToml } from 'smol-toml';

/** Upstream's defaults for the sign-in issuer and the token revocation endpoint. */
export const DEFAULT_LOGIN_ISSUER = 'https://auth.openai.com';
export const DEFAULT_REVOKE_TOKEN_URL = 'https://auth.openai.com/oauth/revoke';
export const DEFAULT_MODEL = 'gpt-5.5';
export const LOGIN_ISSUER_ENV = 'CODEX_APP_SERVER_LOGIN_ISSUER';
export const REVOKE_TOKEN_URL_OVERRIDE_ENV = 'CODEX_REVOKE_TOKEN_URL_OVERRIDE';

/** The app-server's slice of `$CODEX_HOME/config.toml` (login reads its own keys itself). */
export interface AppServerConfig {
  readonly codexHome: string;
  readonly configPath: string;
  /** `model`, when set. */
  readonly model: string | undefined;
  /** `model_provider` (default `openai`). */
  readonly modelProvider: string;
  /** `openai_base_url`, when set (the model provider's base URL override). */
  readonly openaiBaseUrl: string | undefined;
  /** `chatgpt_base_url` (default `https://chatgpt.com/backend-api`). */
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

/** A config.toml that cannot be used; names the file and the key. */
export class AppConfigError extends Error {
  readonly path: string;
  readonly key: string | undefined;

  constructor(path: string, message: string, key?: string) {
    super(`${path}: ${message}`);
    this.name = 'AppConfigError';
    this.path = path;
    this.key = key;
  }
}

function table(doc: Record<string, unknown>, key: string, path: string): Record<string, unknown> {
  const v = doc[key];
  if (v === undefined) return {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new AppConfigError(path, `\`${key}\` must be a table`, key);
  }
  return v as Record<string, unknown>;
}

function stringKey(doc: Record<string, unknown>, key: string, path: string): string | undefined {
  const v = doc[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.trim() === '') {
    throw new AppConfigError(path, `\`${key}\` must be a non-empty string`, key);
  }
  return v.trim();
}

function boolKey(doc: Record<string, unknown>, key: string, path: string, name: string): boolean | undefined {
  const v = doc[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw new AppConfigError(path, `\`${name}\` must be true or false`, name);
  return v;
}

function envUrl(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const v = env[name]?.trim();
  if (!v) return fallback;
  try {
    new URL(v);
  } catch {
    throw new AppConfigError(name, `environment variable ${name} is not a URL`);
  }
  return v.replace(/\/+$/, '');
}

export function appServerConfigFromToml(
  doc: Record<string, unknown>,
  codexHome: string,
  path: string,
  env: NodeJS.ProcessEnv,
): AppServerConfig {
  const features = table(doc, 'features', path);
  const analytics = table(doc, 'analytics', path);
  return Object.freeze({
    codexHome,
    configPath: path,
    model: stringKey(doc, 'model', path),
    modelProvider: stringKey(doc, 'model_provider', path) ?? 'openai',
    openaiBaseUrl: stringKey(doc, 'openai_base_url', path)?.replace(/\/+$/, ''),
    chatgptBaseUrl: (stringKey(doc, 'chatgpt_base_url', path) ?? DEFAULT_CHATGPT_BASE_URL).replace(
      /\/+$/,
      '',
    ),
    analyticsEnabled: boolKey(analytics, 'enabled', path, 'analytics.enabled') ?? true,
    remoteControl: boolKey(features, 'remote_control', path, 'features.remote_control') ?? false,
    loginIssuer: envUrl(env, LOGIN_ISSUER_ENV, DEFAULT_LOGIN_ISSUER),
    revokeTokenUrl: envUrl(env, REVOKE_TOKEN_URL_OVERRIDE_ENV, DEFAULT_REVOKE_TOKEN_URL),
  });
}

/** Reads `$CODEX_HOME/config.toml` (absent = defaults). */
export async function loadAppServerConfig(
  env: NodeJS.ProcessEnv,
  codexHome?: string,
): Promise<AppServerConfig> {
  const home = codexHome ?? resolveCodexHome(env);
  const path = configTomlPath(home);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return appServerConfigFromToml({}, home, path, env);
    throw new AppConfigError(path, `cannot read: ${(err as Error).message}`);
  }
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (err) {
    throw new AppConfigError(path, `invalid TOML: ${(err as Error).message.split('\n')[0]}`);
  }
  return appServerConfigFromToml(doc, home, path, env);
}
