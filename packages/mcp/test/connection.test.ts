import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { AuthUnavailableError, isAuthUnavailableError } from '@codex-ts/auth-provider';
import { recordingAuthProvider } from '@codex-ts/auth-provider/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AppsMcpError, CodexAppsConnection, isAppsMcpError } from '../src/index.js';
import { type AppsServer, startAppsServer } from './support/apps-server.js';
import { recordingUploader } from './support/uploader.js';

let server: AppsServer;
let connection: CodexAppsConnection | undefined;
beforeEach(async () => {
  server = await startAppsServer();
});
afterEach(async () => {
  await connection?.close();
  connection = undefined;
  await server.close();
});

function connect(options: Partial<ConstructorParameters<typeof CodexAppsConnection>[0]> = {}) {
  const provider = recordingAuthProvider({ scheme: 'agent-assertion', accountId: 'acct-1' });
  connection = new CodexAppsConnection({
    chatgptBaseUrl: server.chatgptBaseUrl,
    provider,
    env: {},
    ...options,
  });
  return { connection, provider };
}

async function rejection(promise: Promise<unknown>): Promise<AppsMcpError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isAppsMcpError(error)) throw new Error(`expected an AppsMcpError, got ${String(error)}`);
  return error;
}

describe('CodexAppsConnection against an SDK server', () => {
  it('lists the tools, namespaced, with their connectors and the model-visible file schema', async () => {
    const { connection } = connect();
    const [tools, same] = await Promise.all([connection.start(), connection.start()]);
    expect(same).toBe(tools);
    expect(await connection.start()).toBe(tools);
    expect(server.seen.filter((r) => r.rpc === 'initialize')).toHaveLength(1);
    expect(tools.map((t) => [t.qualifiedName, t.tool.name, t.connectorId, t.connectorName])).toEqual([
      ['mcp__codex_apps__echo', 'echo', 'connector_echo', 'Echo'],
      ['mcp__codex_apps__file_size', 'file_size', 'connector_files', 'Files'],
      ['mcp__codex_apps__fail', 'fail', 'connector_echo', 'Echo'],
      ['mcp__codex_apps__hang', 'hang', null, null],
      ['mcp__codex_apps__drop_stream', 'drop_stream', null, null],
    ]);
    const fileSize = tools[1]!;
    expect(fileSize.fileParams).toEqual(['file']);
    expect(fileSize.fileParamFields).toEqual({ file: ['file_name'] });
    expect((fileSize.modelInputSchema.properties as Record<string, unknown>).file).toEqual({
      description:
        'This parameter expects an absolute local file path. If you want to upload a file, provide the absolute path to that file here.',
      type: 'string',
    });
    expect(connection.url).toBe(`${server.chatgptBaseUrl}/wham/apps`);
  });

  it('asks the provider for every HTTP request: initialize, notifications, the SSE GET, tools/list, tools/call', async () => {
    const { connection, provider } = connect();
    await connection.start();
    await connection.callTool('mcp__codex_apps__echo', { text: 'hi' });
    const kinds = server.seen.map((r) => `${r.method} ${r.rpc ?? ''}`.trim());
    expect([...kinds].sort()).toEqual(
      [
        'GET',
        'POST initialize',
        'POST notifications/initialized',
        'POST tools/call',
        'POST tools/list',
      ].sort(),
    );
    expect(
      server.seen.every((r) => r.path === '/backend-api/wham/apps' && r.scheme === 'agent-assertion'),
    ).toBe(true);
    expect(new Set(server.seen.map((r) => r.authorization)).size).toBe(server.seen.length);
    expect(provider.requests.length).toBe(server.seen.length);
  });

  it('calls a tool and returns its result; a failing tool is a result with isError, not a throw', async () => {
    const { connection } = connect();
    await connection.start();
    expect(await connection.callTool('mcp__codex_apps__echo', { text: 'hello' })).toEqual({
      content: [{ type: 'text', text: 'hello' }],
    });
    expect(await connection.callTool('fail')).toEqual({
      content: [{ type: 'text', text: 'this tool always fails' }],
      isError: true,
    });
  });

  it('checks arguments against the input schema before sending, and refuses unknown tools', async () => {
    const { connection } = connect();
    await connection.start();
    const before = server.seen.length;
    const invalid = await rejection(connection.callTool('mcp__codex_apps__echo', { text: 42 }));
    expect([invalid.code, invalid.message]).toEqual([
      'invalid_arguments',
      'mcp__codex_apps__echo: data/text must be string',
    ]);
    const unknown = await rejection(connection.callTool('mcp__codex_apps__nope', {}));
    expect([unknown.code, unknown.message]).toEqual([
      'unknown_tool',
      'no apps tool named mcp__codex_apps__nope',
    ]);
    expect(server.seen.length).toBe(before);
  });

  it('uploads a file argument with the thread provider first and calls with the file object', async () => {
    const uploader = recordingUploader(server.files);
    const { connection, provider } = connect({ fileUploader: uploader });
    await connection.start();
    const dir = mkdtempSync(join(tmpdir(), 'codex-ts-mcp-'));
    writeFileSync(join(dir, 'notes.txt'), 'twelve bytes');
    const thread = recordingAuthProvider({ scheme: 'agent-assertion' });
    const result = await connection.callTool(
      'mcp__codex_apps__file_size',
      { file: 'notes.txt' },
      { provider: thread, cwd: dir },
    );
    expect(result).toEqual({ content: [{ type: 'text', text: 'notes.txt: 12 bytes' }] });
    expect(uploader.calls.map((c) => [c.path, c.provider === thread])).toEqual([
      [join(dir, 'notes.txt'), true],
    ]);
    expect(provider.requests.every((r) => r.url.pathname === '/backend-api/wham/apps')).toBe(true);
  });

  it('a file argument without an uploader, or whose upload fails, is a typed error', async () => {
    const { connection } = connect();
    await connection.start();
    const none = await rejection(connection.callTool('file_size', { file: '/tmp/x' }));
    expect([none.code, none.message]).toEqual([
      'file_upload_unavailable',
      'mcp__codex_apps__file_size: `file` takes a file, and no file uploader is configured',
    ]);
    await connection.close();
    const failing = connect({ fileUploader: recordingUploader(server.files) }).connection;
    await failing.start();
    const missing = await rejection(failing.callTool('file_size', { file: '/nonexistent/codex-ts-file' }));
    expect(missing.code).toBe('file_upload_failed');
    expect(missing.message).toMatch(/^failed to upload `\/nonexistent\/codex-ts-file` for `file`: ENOENT/);
  });

  it('a 401 goes to the provider, which recovers, and the request is sent once more', async () => {
    const { connection, provider } = connect();
    await connection.start();
    server.refuseNext(1);
    expect(await connection.callTool('echo', { text: 'again' })).toEqual({
      content: [{ type: 'text', text: 'again' }],
    });
    const calls = server.seen.filter((r) => r.rpc === 'tools/call');
    expect(calls.map((r) => r.status)).toEqual([401, 200]);
    expect(calls[0]?.authorization).not.toBe(calls[1]?.authorization);
    expect(provider.unauthorized).toHaveLength(1);
  });

  it('a second 401 is a typed unauthorized error (one retry only)', async () => {
    const { connection, provider } = connect();
    await connection.start();
    server.refuseNext(2);
    const error = await rejection(connection.callTool('echo', { text: 'x' }));
    expect([error.code, error.status, error.message]).toEqual([
      'unauthorized',
      401,
      'the apps MCP server answered HTTP 401',
    ]);
    expect(provider.unauthorized).toHaveLength(1);
  });

  it('the server dropping the SSE stream mid-call is a typed error at once, not a hang', async () => {
    const { connection } = connect({ toolTimeoutMs: 60_000 });
    await connection.start();
    const started = performance.now();
    const error = await rejection(connection.callTool('drop_stream'));
    expect([error.code, error.message]).toEqual([
      'stream_disconnected',
      'the apps MCP server closed the stream before answering',
    ]);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(await connection.callTool('echo', { text: 'still here' })).toEqual({
      content: [{ type: 'text', text: 'still here' }],
    });
  });

  it('a call that outlives the tool timeout is a typed tool_timeout error', async () => {
    const { connection } = connect({ toolTimeoutMs: 150 });
    await connection.start();
    const error = await rejection(connection.callTool('hang'));
    expect([error.code, error.message]).toEqual(['tool_timeout', 'the tool call timed out']);
  });

  it('tells listeners when the server says the tool list changed', async () => {
    const { connection } = connect();
    await connection.start();
    const changed = new Promise<string[]>((resolve) => {
      connection.onToolsChanged((tools) => resolve(tools.map((t) => t.qualifiedName)));
    });
    const version = connection.version;
    server.addTool('added_tool');
    expect(await changed).toContain('mcp__codex_apps__added_tool');
    expect(connection.version).toBe(version + 1);
  });

  it('CODEX_CONNECTORS_TOKEN, when set, is sent as a bearer instead of the provider', async () => {
    const { connection, provider } = connect({ env: { CODEX_CONNECTORS_TOKEN: 'connectors-token' } });
    await connection.start();
    expect(new Set(server.seen.map((r) => r.authorization))).toEqual(new Set(['Bearer connectors-token']));
    expect(provider.requests).toEqual([]);
  });

  it('never shows a credential in util.inspect or JSON', async () => {
    const { connection } = connect({ env: { CODEX_CONNECTORS_TOKEN: 'connectors-secret' } });
    await connection.start();
    const shown = `${inspect(connection, { depth: 10 })} ${JSON.stringify(connection)}`;
    expect(shown).not.toContain('connectors-secret');
    expect(shown).toContain(`url: '${server.chatgptBaseUrl}/wham/apps'`);
  });

  it("a provider's refusal stays the provider's AuthUnavailableError", async () => {
    const provider = recordingAuthProvider({
      refuse: () => new AuthUnavailableError('agent_task_unavailable', 'no task'),
    });
    connection = new CodexAppsConnection({ chatgptBaseUrl: server.chatgptBaseUrl, provider, env: {} });
    const error = await connection.start().catch((e: unknown) => e);
    expect(isAuthUnavailableError(error) && [error.reason, error.message]).toEqual([
      'agent_task_unavailable',
      'no task',
    ]);
    expect(server.seen).toEqual([]);
  });

  it('calling before start is a typed not_connected error', async () => {
    const { connection } = connect();
    expect((await rejection(connection.callTool('echo', { text: 'x' }))).code).toBe('not_connected');
  });
});
