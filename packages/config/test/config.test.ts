import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  codexConfigFrom,
  configTomlPath,
  loadCodexConfig,
  parseCodexConfig,
} from '../src/index.js';

const PATH = '/home/u/.codex/config.toml';

function home(text?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'codex-ts-config-'));
  if (text !== undefined) writeFileSync(configTomlPath(dir), text);
  return dir;
}

function errorOf(text: string): ConfigError {
  try {
    parseCodexConfig(text, PATH);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('no error');
}

describe('loadCodexConfig', () => {
  it('gives the defaults without a file', async () => {
    expect(await loadCodexConfig(home())).toEqual({
      chatgpt_base_url: 'https://chatgpt.com/backend-api',
      features: {},
      cli_auth_credentials_store: 'file',
    });
  });

  it('reads every key call sites use and keeps unknown keys', async () => {
    const text = `
model = "gpt-5"
model_provider = "local"
chatgpt_base_url = "http://127.0.0.1:8787/backend-api"
openai_base_url = "https://api.openai.com/v1"
cli_auth_credentials_store = "ephemeral"
forced_login_method = "chatgpt"
forced_chatgpt_workspace_id = "  ws-1 "
some_future_key = [1, 2]

[features]
use_agent_identity = true
other_feature = false

[analytics]
enabled = false

[model_providers.local]
name = "Local"
base_url = "http://localhost:11434/v1"
env_key = "LOCAL_KEY"
wire_api = "chat"
query_params = { "api-version" = "2025-01-01" }
http_headers = { "X-Team" = "a" }
env_http_headers = { "X-Key" = "LOCAL_HEADER" }
request_max_retries = 4
stream_max_retries = 5
stream_idle_timeout_ms = 300000
requires_openai_auth = false
supports_websockets = true
future = "kept"

[mcp_servers.docs]
command = "docs-mcp"
env = { TOKEN = "t" }
`;
    expect(await loadCodexConfig(home(text))).toEqual({
      model: 'gpt-5',
      model_provider: 'local',
      chatgpt_base_url: 'http://127.0.0.1:8787/backend-api',
      openai_base_url: 'https://api.openai.com/v1',
      cli_auth_credentials_store: 'ephemeral',
      forced_login_method: 'chatgpt',
      forced_chatgpt_workspace_id: 'ws-1',
      some_future_key: [1, 2],
      features: { use_agent_identity: true, other_feature: false },
      analytics: { enabled: false },
      model_providers: {
        local: {
          name: 'Local',
          base_url: 'http://localhost:11434/v1',
          env_key: 'LOCAL_KEY',
          wire_api: 'chat',
          query_params: { 'api-version': '2025-01-01' },
          http_headers: { 'X-Team': 'a' },
          env_http_headers: { 'X-Key': 'LOCAL_HEADER' },
          request_max_retries: 4,
          stream_max_retries: 5,
          stream_idle_timeout_ms: 300000,
          requires_openai_auth: false,
          supports_websockets: true,
          future: 'kept',
        },
      },
      mcp_servers: { docs: { command: 'docs-mcp', env: { TOKEN: 't' } } },
    });
  });

  it('an empty forced workspace is no forced workspace', () => {
    expect(parseCodexConfig('forced_chatgpt_workspace_id = "  "\n', PATH).forced_chatgpt_workspace_id).toBe(
      undefined,
    );
  });

  it('an unreadable path is a ConfigError naming the file', async () => {
    const dir = home();
    const { mkdirSync } = await import('node:fs');
    mkdirSync(configTomlPath(dir));
    await expect(loadCodexConfig(dir)).rejects.toThrow(
      new ConfigError(configTomlPath(dir), 'cannot read config: EISDIR'),
    );
  });
});

describe('ConfigError', () => {
  it.each([
    [
      '[features]\nuse_agent_identity = "yes"\n',
      'features.use_agent_identity',
      '`features.use_agent_identity` must be true or false, found a string',
    ],
    [
      'forced_chatgpt_workspace_id = 7\n',
      'forced_chatgpt_workspace_id',
      '`forced_chatgpt_workspace_id` must be a string, found a number',
    ],
    ['features = 1\n', 'features', '`features` must be a table, found a number'],
    [
      'cli_auth_credentials_store = "vault"\n',
      'cli_auth_credentials_store',
      '`cli_auth_credentials_store` must be one of "file", "auto", "ephemeral", found a string',
    ],
    [
      'cli_auth_credentials_store = "keyring"\n',
      'cli_auth_credentials_store',
      '`cli_auth_credentials_store = "keyring"` is not supported by codex-ts; use "file", "auto" or "ephemeral"',
    ],
    [
      '[model_providers.x]\nwire_api = "grpc"\n',
      'model_providers.x.wire_api',
      '`model_providers.x.wire_api` must be "responses" or "chat", found a string',
    ],
    [
      '[model_providers.x]\nrequest_max_retries = -1\n',
      'model_providers.x.request_max_retries',
      '`model_providers.x.request_max_retries` must be a non-negative integer, found a number',
    ],
    ['chatgpt_base_url = "ftp://x"\n', 'chatgpt_base_url', '`chatgpt_base_url` must be an http(s) URL'],
    [
      'chatgpt_base_url = ""\n',
      'chatgpt_base_url',
      '`chatgpt_base_url` must be a non-empty URL string, found a string',
    ],
    [
      '[analytics]\nenabled = "no"\n',
      'analytics.enabled',
      '`analytics.enabled` must be true or false, found a string',
    ],
  ])('%j → %s', (text, key, message) => {
    const err = errorOf(text);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.code).toBe('invalid_config');
    expect(err.path).toBe(PATH);
    expect(err.key).toBe(key);
    expect(err.message).toBe(`${PATH}: ${message}`);
  });

  it('names the expected value', () => {
    expect(errorOf('[features]\nuse_agent_identity = 1\n').expected).toBe('true or false');
  });

  // Defect 13: a bearer token must not travel to a remote host over plain http.
  it.each([
    ['chatgpt_base_url', 'http://chatgpt.example.com/backend-api', false],
    ['openai_base_url', 'http://api.example.com/v1', false],
    ['chatgpt_base_url', 'http://10.0.0.5:8080/backend-api', false],
    ['chatgpt_base_url', 'http://127.0.0.1:8787/backend-api', true],
    ['chatgpt_base_url', 'http://localhost:8787/backend-api', true],
    ['openai_base_url', 'http://[::1]:8080/v1', true],
    ['chatgpt_base_url', 'https://chatgpt.example.com/backend-api', true],
  ])('%s = %s accepted: %s', (key, url, accepted) => {
    const text = `${key} = "${url}"\n`;
    if (accepted) {
      expect(parseCodexConfig(text, PATH)[key as 'chatgpt_base_url']).toBe(url);
    } else {
      const err = errorOf(text);
      expect(err.key).toBe(key);
      expect(err.message).toBe(
        `${PATH}: \`${key}\` must be an https URL (plain http is allowed for loopback hosts only: credentials would travel in cleartext)`,
      );
    }
  });

  // Defect 6: the parser's error quotes the lines around the mistake; they can hold tokens.
  it('a TOML syntax error keeps line and column and never shows the file', () => {
    const secret = 'sk-proj-SECRET0123456789';
    const text = `[mcp_servers.docs]\nenv = { TOKEN = "${secret}" }\nthis is = = not toml\n`;
    const err = errorOf(text);
    expect(err.message).toBe(
      `${PATH}: invalid TOML at line 3, column 6: Invalid TOML document: illegal character in key`,
    );
    expect(err.position).toEqual({ line: 3, column: 6 });
    expect(err.cause).toBe(undefined);
    const shown = [
      inspect(err, { depth: 10, showHidden: true }),
      JSON.stringify(err),
      String(err.stack),
    ].join('\n');
    expect(shown).not.toContain(secret);
    expect(shown).not.toContain('TOKEN');
  });

  it('validates documents parsed elsewhere the same way', () => {
    expect(() => codexConfigFrom({ model: 3 }, PATH)).toThrow(
      new ConfigError(PATH, '`model` must be a string, found a number', {
        key: 'model',
        expected: 'a string',
      }),
    );
  });
});
