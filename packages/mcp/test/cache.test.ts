import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { recordingAuthProvider } from '@codex-ts/auth-provider/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type AppsToolsCacheKey,
  appsToolsCachePath,
  CodexAppsConnection,
  isAppsMcpError,
} from '../src/index.js';
import { type AppsServer, startAppsServer } from './support/apps-server.js';

const alice: AppsToolsCacheKey = { accountId: 'acct-a', chatgptUserId: 'user-a', isWorkspaceAccount: false };
const bob: AppsToolsCacheKey = { accountId: 'acct-b', chatgptUserId: 'user-b', isWorkspaceAccount: false };

let server: AppsServer;
let home: string;
const open: CodexAppsConnection[] = [];
beforeEach(async () => {
  server = await startAppsServer();
  home = mkdtempSync(join(tmpdir(), 'codex-ts-mcp-home-'));
});
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
  await server.close();
});

function connection(key: AppsToolsCacheKey): CodexAppsConnection {
  const c = new CodexAppsConnection({
    chatgptBaseUrl: server.chatgptBaseUrl,
    provider: recordingAuthProvider(),
    env: {},
    codexHome: home,
    cacheKey: key,
  });
  open.push(c);
  return c;
}

describe('the per-user tools cache', () => {
  // sha1('{"account_id":"acct-a","chatgpt_user_id":"user-a","is_workspace_account":false}'), serde's JSON
  it('lives at cache/codex_apps_tools/<sha1 of the account key>.json', () => {
    expect(appsToolsCachePath('/home/u/.codex', alice)).toBe(
      '/home/u/.codex/cache/codex_apps_tools/f76f283d6ec35bec09be8f8568c481a4c71acd71.json',
    );
  });

  it('is written after listing, re-read for the same account without the network, and not for another', async () => {
    const first = connection(alice);
    expect(first.cachedTools()).toBeUndefined();
    const listed = (await first.start()).map((t) => t.qualifiedName);
    const path = appsToolsCachePath(home, alice);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const file = JSON.parse(readFileSync(path, 'utf8'));
    expect(file.schema_version).toBe(1);
    expect(file.tools[0]).toMatchObject({
      server_name: 'codex_apps',
      tool_name: 'echo',
      connector_id: 'connector_echo',
      connector_name: 'Echo',
    });
    const requests = server.seen.length;
    const again = connection(alice);
    expect(again.cachedTools()?.map((t) => t.qualifiedName)).toEqual(listed);
    expect(again.listTools().map((t) => t.qualifiedName)).toEqual(listed);
    expect(connection(bob).cachedTools()).toBeUndefined();
    expect(connection(bob).listTools()).toEqual([]);
    expect(server.seen.length).toBe(requests);
  });

  it.each([
    ['a foreign schema version', JSON.stringify({ schema_version: 4, tools: [] })],
    ['malformed JSON', '{"schema_version":1,'],
    ['a wrong shape', JSON.stringify({ schema_version: 1, tools: [{ tool_name: 'x' }] })],
  ])('ignores %s, never trusts it', (_title, content) => {
    const path = appsToolsCachePath(home, alice);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    expect(connection(alice).cachedTools()).toBeUndefined();
  });
});

describe('startup', () => {
  it('a server that never answers fails start() with startup_timeout, within the timeout', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const c = new CodexAppsConnection({
      chatgptBaseUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/backend-api`,
      provider: recordingAuthProvider(),
      env: {},
      startupTimeoutMs: 150,
    });
    try {
      const started = performance.now();
      const error = await c.start().catch((e: unknown) => e);
      expect(isAppsMcpError(error) && [error.code, error.message]).toEqual([
        'startup_timeout',
        'the apps MCP server did not start within 150 ms',
      ]);
      expect(performance.now() - started).toBeLessThan(3_000);
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
