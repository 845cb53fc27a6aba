import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DevBackend, DevTokens } from '@codex-ts/dev-backend';
import { chatgptAuthJson } from '@codex-ts/dev-backend/testing';
import { onTestFinished } from 'vitest';
import { AppServer, type AppServerOptions, createLogger } from '../../src/index.js';
import { TestClient } from './client.js';

let counter = 0;
export function uniqueEmail(): string {
  counter++;
  return `app${counter}-${process.pid}-${Date.now()}@example.com`;
}

export function tempHome(): string {
  return mkdtempSync(join(tmpdir(), 'codex-ts-app-server-'));
}

export function writeConfig(home: string, backend: DevBackend | undefined, flag: boolean, extra = ''): void {
  const lines: string[] = [];
  if (backend) lines.push(`chatgpt_base_url = "${backend.chatgptBaseUrl}"`);
  if (extra) lines.push(extra);
  lines.push('[features]', `use_agent_identity = ${flag}`);
  writeFileSync(join(home, 'config.toml'), `${lines.join('\n')}\n`);
}

export function writeChatgptAuth(home: string, tokens: DevTokens): void {
  writeFileSync(join(home, 'auth.json'), JSON.stringify(chatgptAuthJson(tokens)), { mode: 0o600 });
}

/** The environment that points every URL of the app-server at the dev backend. */
export function backendEnv(backend: DevBackend, home: string): NodeJS.ProcessEnv {
  return {
    CODEX_HOME: home,
    CODEX_REFRESH_TOKEN_URL_OVERRIDE: backend.tokenUrl,
    CODEX_REVOKE_TOKEN_URL_OVERRIDE: `${backend.issuer}/oauth/revoke`,
    CODEX_APP_SERVER_LOGIN_ISSUER: backend.issuer,
  };
}

export interface Harness {
  readonly server: AppServer;
  readonly client: TestClient;
  readonly logs: string[];
  close(): Promise<void>;
}

/**
 * An in-process server on `home` with one stdio client. Logs are captured (JSON lines). Closed when the test that
 * opened it finishes (closing it earlier is fine: `close()` runs once).
 */
export async function harness(
  home: string,
  env: NodeJS.ProcessEnv = { CODEX_HOME: home },
  options: AppServerOptions = {},
): Promise<Harness> {
  const logs: string[] = [];
  const logger = createLogger({ format: 'json', level: 'debug', write: (l) => logs.push(l) });
  const server = await AppServer.create({ env, logger, loginCallbackPort: 0, devicePollMs: 5, ...options });
  const client = new TestClient(server);
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= client.close().then(() => server.close());
    return closed;
  };
  onTestFinished(close);
  return { server, client, logs, close };
}
