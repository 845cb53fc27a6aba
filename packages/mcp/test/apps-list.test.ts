import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { AppsList, type AppsTool, appInstallUrl, appsTool, type Connector, mergeApps } from '../src/index.js';

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
  {
    id: 'drive',
    name: 'Drive (dev)',
    iconAssets: { svg: 'https://icons/drive.svg' },
    iconDarkAssets: { svg: 'https://icons/drive-dark.svg' },
  },
];

const base = {
  description: null,
  logoUrl: null,
  logoUrlDark: null,
  iconAssets: null,
  iconDarkAssets: null,
  distributionChannel: null,
  labels: null,
  branding: null,
  appMetadata: null,
  pluginDisplayNames: [],
};

describe('mergeApps', () => {
  it('marks directory apps accessible when their connector has tools, adds accessible apps not listed, accessible first then by name', () => {
    const tools = [
      tool('gh_search', 'github', 'GitHub'),
      tool('gh_issue', 'github'),
      tool('cal', 'calendar', 'Calendar'),
      tool('x', null),
    ];
    expect(mergeApps(tools, directory, new Set(['drive']))).toEqual([
      {
        ...base,
        id: 'calendar',
        name: 'Calendar',
        installUrl: 'https://chatgpt.com/apps/calendar/calendar',
        isAccessible: true,
        isEnabled: true,
      },
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
      {
        ...base,
        id: 'drive',
        name: 'Drive (dev)',
        iconAssets: { svg: 'https://icons/drive.svg' },
        iconDarkAssets: { svg: 'https://icons/drive-dark.svg' },
        installUrl: 'https://chatgpt.com/apps/drive--dev/drive',
        isAccessible: false,
        isEnabled: false,
      },
    ]);
  });

  it('orders as upstream: accessible, then name by UTF-8 bytes, then id; a directory entry named by its id takes the tools’ name', () => {
    const withDescription = (name: string, connectorId: string, description: string): AppsTool => {
      const raw: Tool = {
        name,
        inputSchema: { type: 'object' },
        _meta: {
          connector_id: connectorId,
          connector_name: 'Zeta Notes',
          connector_description: description,
        },
      };
      return appsTool(`mcp__codex_apps__${name}`, raw);
    };
    const listed: Connector[] = [
      { id: 'b2', name: 'Beta' },
      { id: 'zeta', name: 'zeta' },
      { id: 'b1', name: 'Beta' },
      { id: 'emoji', name: '\u{1F680} Rocket' },
      { id: 'pua', name: '\uE000 Private' },
      { id: 'lower', name: 'alpha' },
    ];
    const apps = mergeApps([withDescription('z', 'zeta', 'Notes app')], listed);
    expect(apps.map((a) => [a.id, a.name, a.isAccessible])).toEqual([
      ['zeta', 'Zeta Notes', true],
      ['b1', 'Beta', false],
      ['b2', 'Beta', false],
      ['lower', 'alpha', false],
      ['pua', '\uE000 Private', false],
      ['emoji', '\u{1F680} Rocket', false],
    ]);
    expect(apps[0]).toMatchObject({
      description: 'Notes app',
      installUrl: 'https://chatgpt.com/apps/zeta-notes/zeta',
    });
  });

  it('links an app to its chatgpt.com install page by a slug of its name, as upstream does', () => {
    expect(appInstallUrl('Google Calendar', 'connector_1')).toBe(
      'https://chatgpt.com/apps/google-calendar/connector_1',
    );
    expect(appInstallUrl('  Ünïcode & Co. ', 'c2')).toBe('https://chatgpt.com/apps/n-code---co/c2');
    expect(appInstallUrl('***', 'c3')).toBe('https://chatgpt.com/apps/app/c3');
    expect(appInstallUrl('Go 🚀 İt', 'c4')).toBe('https://chatgpt.com/apps/go----t/c4');
  });
});

describe('AppsList', () => {
  it('publishes each list that differs once the directory has loaded: then, and when the tools change', async () => {
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
    tools = [...tools, tool('cal2', 'calendar', 'Calendar')];
    notify(tools);
    expect(published).toEqual([]);
    await list.load();
    await list.load();
    tools = [...tools, tool('gh', 'github', 'GitHub')];
    notify(tools);
    list.dispose();
    notify(tools);
    expect(published).toEqual([
      ['calendar:true', 'drive:false', 'github:false'],
      ['calendar:true', 'github:true', 'drive:false'],
    ]);
  });
});
