import type { AppsTool } from './apps-tool.js';
import type { Connector, ConnectorDirectory } from './collaborators.js';
import { appInstallUrl } from './install-url.js';

/** One entry of the app-server's `app/list` (protocol `AppInfo`). */
export interface AppInfo {
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
  readonly logoUrl: string | null;
  readonly logoUrlDark: string | null;
  readonly iconAssets: Readonly<Record<string, string>> | null;
  readonly iconDarkAssets: Readonly<Record<string, string>> | null;
  readonly distributionChannel: string | null;
  readonly branding: Readonly<Record<string, unknown>> | null;
  readonly appMetadata: Readonly<Record<string, unknown>> | null;
  readonly labels: Readonly<Record<string, string>> | null;
  readonly installUrl: string;
  readonly isAccessible: boolean;
  readonly isEnabled: boolean;
  readonly pluginDisplayNames: readonly string[];
}

/** The apps the user can use now: one per connector among the tools, first tool's connector name/description. */
export function accessibleApps(
  tools: readonly AppsTool[],
): Map<string, { name: string; description: string | null }> {
  const apps = new Map<string, { name: string; description: string | null }>();
  for (const tool of tools) {
    if (tool.connectorId === null || apps.has(tool.connectorId)) continue;
    apps.set(tool.connectorId, {
      name: tool.connectorName ?? tool.connectorId,
      description: tool.connectorDescription,
    });
  }
  return apps;
}

function fromConnector(connector: Connector, isAccessible: boolean, isEnabled: boolean): AppInfo {
  return {
    id: connector.id,
    name: connector.name,
    description: connector.description ?? null,
    logoUrl: connector.logoUrl ?? null,
    logoUrlDark: connector.logoUrlDark ?? null,
    iconAssets: connector.iconAssets ?? null,
    iconDarkAssets: connector.iconDarkAssets ?? null,
    distributionChannel: connector.distributionChannel ?? null,
    branding: connector.branding ?? null,
    appMetadata: connector.appMetadata ?? null,
    labels: connector.labels ?? null,
    installUrl: connector.installUrl ?? appInstallUrl(connector.name, connector.id),
    isAccessible,
    isEnabled,
    pluginDisplayNames: [],
  };
}

/** Accessible apps first, then by name, then by id, names compared by their UTF-8 bytes (upstream's order). */
function appOrder(a: AppInfo, b: AppInfo): number {
  if (a.isAccessible !== b.isAccessible) return a.isAccessible ? -1 : 1;
  return (
    Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)) ||
    Buffer.compare(Buffer.from(a.id), Buffer.from(b.id))
  );
}

/**
 * The merged list: every directory entry, marked accessible when its connector has tools (a directory entry named
 * only by its id takes the connector's name from the tools, and its description when it has none), plus the
 * accessible apps the directory does not list; in upstream's order. `disabled` holds app ids turned off in config.
 */
export function mergeApps(
  tools: readonly AppsTool[],
  directory: readonly Connector[],
  disabled: ReadonlySet<string> = new Set(),
): AppInfo[] {
  const accessible = accessibleApps(tools);
  const merged = new Map<string, AppInfo>();
  for (const connector of directory) {
    if (merged.has(connector.id)) continue;
    const found = accessible.get(connector.id);
    let entry = connector;
    if (found && entry.name === entry.id && found.name !== entry.id) entry = { ...entry, name: found.name };
    if (found && entry.description == null && found.description !== null)
      entry = { ...entry, description: found.description };
    merged.set(connector.id, fromConnector(entry, found !== undefined, !disabled.has(connector.id)));
  }
  for (const [id, app] of accessible) {
    if (merged.has(id)) continue;
    merged.set(
      id,
      fromConnector({ id, name: app.name, description: app.description }, true, !disabled.has(id)),
    );
  }
  return [...merged.values()].sort(appOrder);
}

export interface AppsListOptions {
  /** Where the accessible apps come from (the `codex_apps` connection). */
  readonly tools: {
    listTools(): readonly AppsTool[];
    onToolsChanged(l: (t: readonly AppsTool[]) => void): () => void;
  };
  readonly directory?: ConnectorDirectory;
  readonly disabledAppIds?: Iterable<string>;
}

/**
 * The `app/list` source: `current()` merges what is known now; `load()` fetches the directory and merges again;
 * listeners hear every list that differs from the previous one (directory loaded, tools changed; with a directory,
 * only once it has loaded), which is what the app-server sends as `app/list/updated`.
 */
export class AppsList {
  private directory: readonly Connector[] = [];
  private directoryLoaded = false;
  private last = '';
  private readonly listeners = new Set<(apps: readonly AppInfo[]) => void>();
  private readonly disabled: ReadonlySet<string>;
  private readonly unsubscribe: () => void;

  constructor(private readonly options: AppsListOptions) {
    this.disabled = new Set(options.disabledAppIds ?? []);
    this.unsubscribe = options.tools.onToolsChanged(() => this.publish());
  }

  current(): AppInfo[] {
    return mergeApps(this.options.tools.listTools(), this.directory, this.disabled);
  }

  /** Loads the directory (when there is one) and returns the merged list. A directory failure is thrown. */
  async load(options: { signal?: AbortSignal; forceRefetch?: boolean } = {}): Promise<AppInfo[]> {
    if (this.options.directory) {
      this.directory = await this.options.directory.listConnectors(options);
      this.directoryLoaded = true;
    }
    return this.publish();
  }

  subscribe(listener: (apps: readonly AppInfo[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops listening to the tools. */
  dispose(): void {
    this.unsubscribe();
    this.listeners.clear();
  }

  private publish(): AppInfo[] {
    const apps = this.current();
    // With a directory, nothing is published before it has loaded once: a list of the tools' apps alone would lack
    // the directory's descriptions, icons and channels, then change again (upstream's first update has them).
    if (this.options.directory && !this.directoryLoaded) return apps;
    const serialized = JSON.stringify(apps);
    if (serialized !== this.last) {
      this.last = serialized;
      for (const listener of this.listeners) listener(apps);
    }
    return apps;
  }
}
