import { recordingAuthProvider, startScriptedServer } from '@codex-ts/auth-provider/testing';
import { describe, expect, it } from 'vitest';
import { BackendClient, CONNECTOR_CACHE_TTL_MS, ConnectorDirectoryCache } from '../src/index.js';

const app = (id: string, name: string, extra: Record<string, unknown> = {}) => ({ id, name, ...extra });

async function directoryServer() {
  return startScriptedServer((request) => {
    const url = new URL(request.url, 'http://x');
    if (url.pathname === '/backend-api/connectors/directory/list') {
      const token = url.searchParams.get('token');
      if (token === null)
        return json({
          apps: [
            app('b', 'Beta', { icon_assets: { svg: 'b.svg' } }),
            app('hidden', 'H', { visibility: 'HIDDEN' }),
          ],
          next_token: 'p2',
        });
      if (token === 'p2') return json({ apps: [app('a', ' Alpha '), app('dup', '')], nextToken: ' ' });
    }
    if (url.pathname === '/backend-api/connectors/directory/list_workspace')
      return json({
        apps: [
          app('dup', 'Dup', {
            description: 'from workspace',
            logoUrl: 'l.png',
            iconAssets: { png_64: 'd64.png' },
            iconDarkAssets: { png_64: 'd64-dark.png' },
          }),
        ],
      });
    return { status: 404 };
  });
}

function json(body: unknown) {
  return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

describe('connector directory', () => {
  it('walks next_token pages, adds the workspace list, drops hidden apps, merges and sorts', async () => {
    const server = await directoryServer();
    try {
      const client = new BackendClient({
        baseUrl: `${server.url}/backend-api`,
        auth: recordingAuthProvider(),
      });
      const apps = await client.listConnectors({ isWorkspaceAccount: true, userId: 'u1' });
      expect(apps.map((a) => [a.id, a.name, a.description, a.logo_url])).toEqual([
        ['a', 'Alpha', undefined, null],
        ['b', 'Beta', undefined, null],
        ['dup', 'Dup', 'from workspace', 'l.png'],
      ]);
      expect(apps.map((a) => [a.id, a.icon_assets, a.icon_dark_assets])).toEqual([
        ['a', null, null],
        ['b', { svg: 'b.svg' }, null],
        ['dup', { png_64: 'd64.png' }, { png_64: 'd64-dark.png' }],
      ]);
      expect(server.seen.map((r) => r.url)).toEqual([
        '/backend-api/connectors/directory/list?tier=categorized',
        '/backend-api/connectors/directory/list?tier=categorized&token=p2',
        '/backend-api/connectors/directory/list_workspace',
      ]);
    } finally {
      await server.close();
    }
  });

  it('is cached for an hour per base + account + user + workspace', async () => {
    const server = await directoryServer();
    let now = 1_000_000;
    const cache = new ConnectorDirectoryCache({ now: () => now });
    try {
      const base = `${server.url}/backend-api`;
      const a = new BackendClient({
        baseUrl: base,
        auth: recordingAuthProvider({ accountId: 'A' }),
        connectorCache: cache,
      });
      const b = new BackendClient({
        baseUrl: base,
        auth: recordingAuthProvider({ accountId: 'B' }),
        connectorCache: cache,
      });
      const requests = () => server.seen.length;

      const first = await a.listConnectors({ userId: 'u1' });
      expect(requests()).toBe(2);
      expect(await a.listConnectors({ userId: 'u1' })).toBe(first); // same key: no request
      now += CONNECTOR_CACHE_TTL_MS - 1;
      await a.listConnectors({ userId: 'u1' });
      expect(requests()).toBe(2);

      await a.listConnectors({ userId: 'u2' }); // another user
      expect(requests()).toBe(4);
      await b.listConnectors({ userId: 'u2' }); // another account
      expect(requests()).toBe(6);
      await b.listConnectors({ userId: 'u2', isWorkspaceAccount: true }); // workspace
      expect(requests()).toBe(9);
      await b.listConnectors({ userId: 'u2', isWorkspaceAccount: true, forceRefetch: true });
      expect(requests()).toBe(12);
      now += CONNECTOR_CACHE_TTL_MS; // expired
      await b.listConnectors({ userId: 'u2', isWorkspaceAccount: true });
      expect(requests()).toBe(15);
    } finally {
      await server.close();
    }
  });
});
