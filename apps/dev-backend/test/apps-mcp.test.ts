import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { describe, expect, it } from 'vitest';
import type { DevBackend } from '../src/index.js';
import { backend } from './helpers.js';

async function mcpClient(b: DevBackend, accessToken: string, path = '/wham/apps'): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(`${b.chatgptBaseUrl}${path}`), {
    requestInit: { headers: { Authorization: `Bearer ${accessToken}` } },
  });
  const client = new Client({ name: 'dev-backend-test', version: '0.0.0' });
  await client.connect(transport);
  return client;
}

async function uploadFile(b: DevBackend, accessToken: string, content: string): Promise<string> {
  const auth = { Authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
  const created = await fetch(`${b.chatgptBaseUrl}/files`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ file_name: 'a.txt', file_size: content.length }),
  });
  const { file_id, upload_url } = (await created.json()) as { file_id: string; upload_url: string };
  await fetch(upload_url, { method: 'PUT', body: content });
  await fetch(`${b.chatgptBaseUrl}/files/${file_id}/uploaded`, { method: 'POST', headers: auth, body: '{}' });
  return file_id;
}

describe('the apps MCP server (/backend-api/wham/apps, /backend-api/ps/mcp)', () => {
  it('is authenticated like every protected route', async () => {
    const b = await backend();
    const response = await fetch(`${b.chatgptBaseUrl}/wham/apps`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} }),
    });
    expect([response.status, response.headers.get('x-openai-authorization-error')]).toEqual([
      401,
      'missing_authorization',
    ]);
    expect(b.requests({ path: '/backend-api/wham/apps' }).map((r) => [r.status, r.authScheme])).toEqual([
      [401, 'none'],
    ]);
  });

  it.each(['/wham/apps', '/ps/mcp'])(
    'serves the connectors tools at %s: echo, file size (own files only), fail',
    async (path) => {
      const b = await backend();
      const alice = await b.issueTokens({ email: 'alice@example.com' });
      const bob = await b.issueTokens({ email: 'bob@example.com' });
      const client = await mcpClient(b, alice.access_token, path);
      const { tools } = await client.listTools();
      expect(
        tools.map((t) => [t.name, t._meta?.connector_id, t._meta?.['openai/fileParams'] ?? null]),
      ).toEqual([
        ['github_echo', 'connector_dev_github', null],
        ['drive_file_size', 'connector_dev_drive', ['file']],
        ['calendar_fail', 'connector_dev_calendar', null],
      ]);
      expect(await client.callTool({ name: 'github_echo', arguments: { text: 'hi' } })).toEqual({
        content: [{ type: 'text', text: 'hi' }],
      });
      const mine = await uploadFile(b, alice.access_token, 'hello world');
      const theirs = await uploadFile(b, bob.access_token, 'secret');
      expect(
        await client.callTool({ name: 'drive_file_size', arguments: { file: { file_id: mine } } }),
      ).toEqual({
        content: [{ type: 'text', text: 'a.txt: 11 bytes' }],
        structuredContent: { file_id: mine, file_name: 'a.txt', size: 11 },
      });
      expect(
        await client.callTool({ name: 'drive_file_size', arguments: { file: { file_id: theirs } } }),
      ).toEqual({
        content: [{ type: 'text', text: `no uploaded file ${theirs}` }],
        isError: true,
      });
      expect(await client.callTool({ name: 'calendar_fail', arguments: {} })).toEqual({
        content: [{ type: 'text', text: 'the calendar is unavailable' }],
        isError: true,
      });
      await client.close();
      const seen = b.requests({ path: `/backend-api${path}` });
      expect(seen.length).toBeGreaterThanOrEqual(6);
      expect(seen.every((r) => r.authScheme === 'bearer')).toBe(true);
    },
  );

  it('records analytics events and shows them at /dev/analytics-events', async () => {
    const b = await backend();
    const t = await b.issueTokens();
    const events = [{ event_type: 'codex_app_used', event_params: { connector_id: 'c1' } }];
    const posted = await fetch(`${b.chatgptBaseUrl}/codex/analytics-events/events`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${t.access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
    });
    expect(posted.status).toBe(202);
    expect(await (await fetch(`${b.url}/dev/analytics-events`)).json()).toEqual(events);
    expect(b.analyticsEvents()).toEqual(events);
  });
});
