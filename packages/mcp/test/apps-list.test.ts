import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { AppsList, type AppsTool, appsTool, type Connector, mergeApps } from '../src/index.js';

function tool(name: string, connectorId: string | null, connectorName?: string): AppsTool {
  const raw: Tool = {
    name,
    inputSchema: { type: 'object' },
    ...(connectorId === null ? {} : { _meta: { connector_id: connectorId, connector_name: connectorName } }),
  };
  return appsTool(`mcp__codex_apps__${name}`, raw);
}

const directory: Connector[] = [
  {
    id: 'github',
    name: 'GitHub',
    description: 'Repos',
    logoUrl: 'https://logo/gh',
    installUrl: 'https://install/gh',
  },
  { id: 'drive', name: 'Drive' },
];

const base = {
  description: null,
  logoUrl: null,
  logoUrlDark: null,
  distributionChannel: null,
  installUrl: null,
  labels: null,
  branding: null,
  appMetadata: null,
  pluginDisplayNames: [],
};

describe('mergeApps', () => {
  it('marks directory apps accessible when their connector has tools, then adds accessible apps not listed', () => {
    const tools = [
      tool('gh_search', 'github', 'GitHub'),
      tool('gh_issue', 'github'),
      tool('cal', 'calendar', 'Calendar'),
      tool('x', null),
    ];
    expect(mergeApps(tools, directory, new Set(['drive']))).toEqual([
      {
        ...base,
        id: 'github',
        name: 'GitHub',
        description: 'Repos',
        logoUrl: 'https://logo/gh',
        installUrl: 'https://install/gh',
        isAccessible: true,
        isEnabled: true,
      },
      { ...base, id: 'drive', name: 'Drive', isAccessible: false, isEnabled: false },
      { ...base, id: 'calendar', name: 'Calendar', isAccessible: true, isEnabled: true },
    ]);
  });
});

describe('AppsList', () => {
  it('publishes each list that differs: after the directory loads and when the tools change', async () => {
    let tools: AppsTool[] = [tool('cal', 'calendar', 'Calendar')];
    let notify: (t: readonly AppsTool[]) => void = () => {};
    const source = {
      listTools: () => tools,
      onToolsChanged: (listener: (t: readonly AppsTool[]) => void) => {
        notify = listener;
        return () => {
          notify = () => {};
        };
      },
    };
    const list = new AppsList({ tools: source, directory: { listConnectors: async () => directory } });
    const published: string[][] = [];
    list.subscribe((apps) => published.push(apps.map((a) => `${a.id}:${a.isAccessible}`)));
    expect(list.current().map((a) => a.id)).toEqual(['calendar']);
    await list.load();
    await list.load();
    tools = [...tools, tool('gh', 'github', 'GitHub')];
    notify(tools);
    list.dispose();
    notify(tools);
    expect(published).toEqual([
      ['github:false', 'drive:false', 'calendar:true'],
      ['github:true', 'drive:false', 'calendar:true'],
    ]);
  });
});
