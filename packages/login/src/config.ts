import { readFile } from 'node:fs/promises';
import { DEFAULT_CHATGPT_BASE_URL } from '@codex-ts/agent-identity';
import { parse as parseToml } from 'smol-toml';
import { ConfigError } from './errors.js';
import { configTomlPath } from './home.js';

export { DEFAULT_CHATGPT_BASE_URL };

/** Where credentials live. There is no OS keyring here (`keyring` is rejected with a ConfigError); `auto`, "keyring, else file" upstream, is `file`. */
export type CredentialsStoreMode = 'file' | 'ephemeral' | 'auto';

/** The slice of `$CODEX_HOME/config.toml` this package reads. Everything else in the file is ignored. */
export interface LoginConfig {
  /** `features.use_agent_identity` (default false). */
  readonly useAgentIdentity: boolean;
  /** `chatgpt_base_url` as written (default `https://chatgpt.com/backend-api`). */
  readonly chatgptBaseUrl: string;
  /** `forced_chatgpt_workspace_id`, when set and non-empty. */
  readonly forcedChatgptWorkspaceId: string | undefined;
  /** `cli_auth_credentials_store` (default `file`). */
  readonly credentialsStore: CredentialsStoreMode;
}

export const DEFAULT_LOGIN_CONFIG: LoginConfig = Object.freeze({
  useAgentIdentity: false,
  chatgptBaseUrl: DEFAULT_CHATGPT_BASE_URL,
  forcedChatgptWorkspaceId: undefined,
  credentialsStore: 'file',
});

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a date';
  return `a ${typeof value}`;
}

/** Validates a parsed TOML document. Exported for tests and for callers that parse config themselves. */
export function loginConfigFromToml(doc: Record<string, unknown>, path: string): LoginConfig {
  const fail = (key: string, expected: string, value: unknown): never => {
    throw new ConfigError(path, `\`${key}\` must be ${expected}, found ${describe(value)}`, key);
  };
  let useAgentIdentity = false;
  const features = doc.features;
  if (features !== undefined) {
    if (typeof features !== 'object' || features === null || Array.isArray(features)) {
      fail('features', 'a table', features);
    }
    const flag = (features as Record<string, unknown>).use_agent_identity;
    if (flag !== undefined) {
      if (typeof flag !== 'boolean') fail('features.use_agent_identity', 'true or false', flag);
      useAgentIdentity = flag as boolean;
    }
  }
  let chatgptBaseUrl = DEFAULT_CHATGPT_BASE_URL;
  if (doc.chatgpt_base_url !== undefined) {
    const v = doc.chatgpt_base_url;
    if (typeof v !== 'string' || v.trim() === '') fail('chatgpt_base_url', 'a non-empty URL string', v);
    try {
      const u = new URL((v as string).trim());
      if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('scheme');
    } catch {
      throw new ConfigError(path, '`chatgpt_base_url` must be an http(s) URL', 'chatgpt_base_url');
    }
    chatgptBaseUrl = (v as string).trim();
  }
  let forcedChatgptWorkspaceId: string | undefined;
  if (doc.forced_chatgpt_workspace_id !== undefined) {
    const v = doc.forced_chatgpt_workspace_id;
    if (typeof v !== 'string') fail('forced_chatgpt_workspace_id', 'a string', v);
    forcedChatgptWorkspaceId = (v as string).trim() || undefined;
  }
  let credentialsStore: CredentialsStoreMode = 'file';
  if (doc.cli_auth_credentials_store !== undefined) {
    const v = doc.cli_auth_credentials_store;
    if (v === 'keyring') {
      throw new ConfigError(
        path,
        '`cli_auth_credentials_store = "keyring"` is not supported by codex-ts; use "file", "auto" or "ephemeral"',
        'cli_auth_credentials_store',
      );
    }
    if (v !== 'file' && v !== 'ephemeral' && v !== 'auto') {
      fail('cli_auth_credentials_store', 'one of "file", "auto", "ephemeral"', v);
    }
    credentialsStore = v as CredentialsStoreMode;
  }
  return Object.freeze({ useAgentIdentity, chatgptBaseUrl, forcedChatgptWorkspaceId, credentialsStore });
}

/** Reads `$CODEX_HOME/config.toml`. A missing file gives the defaults; a bad one throws ConfigError. */
export async function loadLoginConfig(codexHome: string): Promise<LoginConfig> {
  const path = configTomlPath(codexHome);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return DEFAULT_LOGIN_CONFIG;
    throw new ConfigError(
      path,
      `cannot read config: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
      undefined,
      {
        cause: err,
      },
    );
  }
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (err) {
    const msg = err instanceof Error ? err.message.split('\n')[0] : 'parse error';
    throw new ConfigError(path, `invalid TOML: ${msg}`, undefined, { cause: err });
  }
  return loginConfigFromToml(doc, path);
}
