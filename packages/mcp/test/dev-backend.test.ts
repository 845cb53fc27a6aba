import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuthFetch } from '@codex-ts/auth-provider';
import { type DevBackend, startDevBackend } from '@codex-ts/dev-backend';
import { agentTestAccount } from '@codex-ts/dev-backend/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppsList, CodexAppsConnection, type Connector } from '../src/index.js';
import { devBackendUploader } from './support/dev-uploader.js';

const APPS = '/backend-api/wham/apps';
let backend: DevBackend;
beforeAll(async () => {
  backend = await startDevBackend();
});
afterAll(async () => {
  await backend.close();
});

describe('the apps MCP connection against the dev backend', () => {
  it.each([
    ['flag on: every MCP request carries the background assertion', 'background', 'assertion'],
    ['flag off: every MCP request carries bearer', 'bearer', 'bearer'],
  ] as const)('%s', async (_title, which, scheme) => {
    const account = await agentTestAccount(backend, { email: `apps-${which}@example.com` });
    backend.clearRequests();
    const connection = new CodexAppsConnection({
      chatgptBaseUrl: backend.chatgptBaseUrl,
      provider: account[which],
      env: {},
    });
    const tools = await connection.start();
    expect(tools.map((t) => [t.qualifiedName, t.connectorId])).toEqual([
      ['mcp__codex_apps__github_echo', 'connector_dev_github'],
      ['mcp__codex_apps__drive_file_size', 'connector_dev_drive'],
      ['mcp__codex_apps__calendar_fail', 'connector_dev_calendar'],
    ]);
    expect(await connection.callTool('mcp__codex_apps__github_echo', { text: 'hello' })).toEqual({
      content: [{ type: 'text', text: 'hello' }],
    });
    expect(await connection.callTool('mcp__codex_apps__calendar_fail')).toEqual({
      content: [{ type: 'text', text: 'the calendar is unavailable' }],
      isError: true,
    });
    await connection.close();
    const seen = backend.requests({ path: APPS });
    expect(seen.map((r) => r.method).sort()).toEqual([
      'DELETE',
      'GET',
      'POST',
      'POST',
      'POST',
      'POST',
      'POST',
    ]);
    expect(seen.every((r) => r.authScheme === scheme && r.sentAccountId === account.accountId)).toBe(true);
    if (scheme === 'assertion') expect(seen.every((r) => r.taskKind === 'background')).toBe(true);
  });

  it('serves the same server at /backend-api/ps/mcp (the path override)', async () => {
    const account = await agentTestAccount(backend, { email: 'apps-ps@example.com' });
    backend.clearRequests();
    const connection = new CodexAppsConnection({
      chatgptBaseUrl: backend.chatgptBaseUrl,
      provider: account.background,
      pathOverride: 'ps/mcp',
      env: {},
    });
    expect((await connection.start()).length).toBe(3);
    await connection.close();
    expect(backend.requests({ path: '/backend-api/ps/mcp' }).every((r) => r.authScheme === 'assertion')).toBe(
      true,
    );
    expect(backend.requests({ path: APPS })).toEqual([]);
  });

  it('uploads a file argument with the thread task, while MCP requests keep the background task', async () => {
    const account = await agentTestAccount(backend, { email: 'apps-files@example.com' });
    const thread = await account.thread('thread-files-1');
    const connection = new CodexAppsConnection({
      chatgptBaseUrl: backend.chatgptBaseUrl,
      provider: account.background,
      fileUploader: devBackendUploader(backend.chatgptBaseUrl),
      env: {},
    });
    await connection.start();
    const dir = mkdtempSync(join(tmpdir(), 'codex-ts-apps-'));
    writeFileSync(join(dir, 'report.txt'), 'x'.repeat(1234));
    backend.clearRequests();
    const result = await connection.callTool(
      'mcp__codex_apps__drive_file_size',
      { file: 'report.txt' },
      { provider: thread, cwd: dir },
    );
    expect(result.content).toEqual([{ type: 'text', text: 'report.txt: 1234 bytes' }]);
    const uploads = backend.requests().filter((r) => r.path.startsWith('/backend-api/files'));
    expect(uploads.map((r) => [r.method, r.authScheme, r.taskKind])).toEqual([
      ['POST', 'assertion', 'thread'],
      ['POST', 'assertion', 'thread'],
    ]);
    expect(backend.requests({ path: APPS }).map((r) => r.taskKind)).toEqual(['background']);
    await connection.close();
  });

  it('a forgotten task: the 401 goes to the provider, which registers again, and the call is retried once', async () => {
    const account = await agentTestAccount(backend, { email: 'apps-retry@example.com' });
    const connection = new CodexAppsConnection({
      chatgptBaseUrl: backend.chatgptBaseUrl,
      provider: account.background,
      env: {},
    });
    await connection.start();
    const task = backend.tasks().at(-1)!;
    backend.forgetTask(task.taskId);
    backend.clearRequests();
    expect(await connection.callTool('mcp__codex_apps__github_echo', { text: 'after 401' })).toEqual({
      content: [{ type: 'text', text: 'after 401' }],
    });
    const posts = backend.requests({ path: APPS, method: 'POST' });
    expect(posts.map((r) => [r.status, r.reason ?? null, r.taskId === task.taskId])).toEqual([
      [401, 'unknown_task', true],
      [200, null, false],
    ]);
    await connection.close();
  });

  it('the apps list merges the tools with the connector directory (all pages)', async () => {
    const account = await agentTestAccount(backend, { email: 'apps-list@example.com' });
    const connection = new CodexAppsConnection({
      chatgptBaseUrl: backend.chatgptBaseUrl,
      provider: account.background,
      env: {},
    });
    await connection.start();
    const authFetch = createAuthFetch(account.background);
    const directory = {
      async listConnectors(): Promise<Connector[]> {
        const all: Connector[] = [];
        let token = '';
        do {
          const url = `${backend.chatgptBaseUrl}/connectors/directory/list?tier=categorized&external_logos=true${token ? `&token=${token}` : ''}`;
          const page = (await (await authFetch(url)).json()) as {
            apps: Array<{ id: string; name: string; description: string }>;
            next_token: string | null;
          };
          all.push(...page.apps.map((a) => ({ id: a.id, name: a.name, description: a.description })));
          token = page.next_token ?? '';
        } while (token);
        return all;
      },
    };
    const list = new AppsList({ tools: connection, directory, disabledAppIds: ['connector_dev_calendar'] });
    const apps = await list.load();
    expect(apps.map((a) => [a.id, a.name, a.isAccessible, a.isEnabled])).toEqual([
      ['connector_dev_calendar', 'Calendar (dev)', true, false],
      ['connector_dev_drive', 'Drive (dev)', true, true],
      ['connector_dev_github', 'GitHub (dev)', true, true],
    ]);
    list.dispose();
    await connection.close();
  });

  it('a session belongs to its user: another account cannot use it', async () => {
    const alice = await agentTestAccount(backend, { email: 'apps-alice@example.com' });
    const bob = await agentTestAccount(backend, { email: 'apps-bob@example.com' });
    const connection = new CodexAppsConnection({
      chatgptBaseUrl: backend.chatgptBaseUrl,
      provider: alice.bearer,
      env: {},
    });
    await connection.start();
    const sessionId = (connection as unknown as { transport: { sessionId: string } }).transport.sessionId;
    const headers = await bob.bearer.headers({
      url: new URL(`${backend.chatgptBaseUrl}/wham/apps`),
      method: 'POST',
    });
    const response = await fetch(`${backend.chatgptBaseUrl}/wham/apps`, {
      method: 'POST',
      headers: {
        ...headers,
        'mcp-session-id': sessionId,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(response.status).toBe(404);
    await connection.close();
  });
});
