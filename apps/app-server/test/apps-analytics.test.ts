import { describe, expect, it } from 'vitest';
import { useDevWorld } from './support/dev-world.js';

const world = useDevWorld();

describe('app/list', () => {
  it('merges the connector directory (backend-client) with the codex_apps MCP tools, paginated, over the background task; app/list/updated', async () => {
    const { client } = await world.server({ flag: true });
    const all = await client.result<{ data: Array<{ id: string; name: string; isAccessible: boolean }> }>(
      'app/list',
      {},
    );
    // Directory order first (each marked accessible: its connector has tools), then tools-only apps.
    expect(all.data.map((a) => [a.id, a.name, a.isAccessible])).toEqual([
      ['connector_dev_calendar', 'Calendar (dev)', true],
      ['connector_dev_drive', 'Drive (dev)', true],
      ['connector_dev_github', 'GitHub (dev)', true],
    ]);
    // The directory's metadata, and the chatgpt.com install page upstream links each app to.
    expect(all.data[1]).toEqual({
      id: 'connector_dev_drive',
      name: 'Drive (dev)',
      description: 'Documents and files',
      logoUrl: null,
      logoUrlDark: null,
      iconAssets: null,
      iconDarkAssets: null,
      distributionChannel: 'ECOSYSTEM_DIRECTORY',
      installUrl: 'https://chatgpt.com/apps/drive--dev/connector_dev_drive',
      labels: null,
      branding: null,
      appMetadata: null,
      isAccessible: true,
      isEnabled: true,
      pluginDisplayNames: [],
    });
    // Sent once the directory has loaded (never the tools' apps alone, which lack its metadata): the answer's list.
    const updated = await client.next('app/list/updated');
    expect(updated.params).toEqual({ data: all.data });
    const first = await client.result('app/list', { limit: 1 });
    expect(first).toEqual({ data: [all.data[0]], nextCursor: '1' });
    expect(await client.result('app/list', { limit: 2, cursor: '1' })).toEqual({
      data: [all.data[1], all.data[2]],
      nextCursor: null,
    });
    const mcp = world.backend
      .requests()
      .filter((r) => r.path === '/backend-api/wham/apps' || r.path.startsWith('/backend-api/connectors/'));
    expect(mcp.some((r) => r.path === '/backend-api/connectors/directory/list')).toBe(true);
    expect(mcp.length).toBeGreaterThan(0);
    for (const r of mcp) expect([r.authScheme, r.taskKind]).toEqual(['assertion', 'background']);
  });

  it('with an API key there are no apps and nothing reaches the backend', async () => {
    const h = await world.server({ flag: true, signedIn: false });
    await h.client.result('account/login/start', { type: 'apiKey', apiKey: 'sk-test' });
    expect(await h.client.result('app/list', {})).toEqual({ data: [], nextCursor: null });
    expect(world.backend.requests()).toEqual([]);
  });
});

describe('analytics', () => {
  it('codex_thread_initialized at thread start, flushed at shutdown with the background task', async () => {
    const { client, close } = await world.server({ flag: true });
    const before = world.backend.analyticsEvents().length;
    const { thread } = await client.result<{ thread: { id: string } }>('thread/start', {});
    await close();
    const events = world.backend.analyticsEvents().slice(before) as Array<{
      event_type: string;
      event_params: Record<string, unknown>;
    }>;
    expect(events.filter((e) => e.event_params.thread_id === thread.id)).toEqual([
      {
        event_type: 'codex_thread_initialized',
        event_params: expect.objectContaining({
          thread_id: thread.id,
          initialization_mode: 'new',
          ephemeral: false,
          app_server_client: expect.objectContaining({
            product_client_id: expect.any(String),
            rpc_transport: 'stdio',
          }),
        }),
      },
    ]);
    const posts = world.backend.requests({ path: '/backend-api/codex/analytics-events/events' });
    expect(posts.map((r) => [r.status, r.authScheme, r.taskKind])).toEqual([
      [202, 'assertion', 'background'],
    ]);
  });

  it('analytics.enabled = false: nothing is sent', async () => {
    const { client, close } = await world.server({ extra: '[analytics]\nenabled = false' });
    await client.result('thread/start', {});
    await close();
    expect(world.backend.requests({ path: '/backend-api/codex/analytics-events/events' })).toEqual([]);
  });
});
