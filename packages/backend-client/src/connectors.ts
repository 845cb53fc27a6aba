import { type ConnectorCacheKey, ConnectorDirectoryCache } from './connector-cache.js';
import { type DirectoryApp, directoryPageSchema } from './schemas/connectors.js';
import type { CallOptions, Transport } from './transport.js';

export interface ListConnectorsOptions extends CallOptions {
  /** The ChatGPT user id (part of the cache key). */
  readonly userId?: string | undefined;
  /** Workspace accounts also get `list_workspace` (part of the cache key). */
  readonly isWorkspaceAccount?: boolean | undefined;
  /** Skip the cache and list again (the fresh listing is cached). */
  readonly forceRefetch?: boolean | undefined;
}

/** Pages of one directory listing; a repeated page token ends the walk instead of looping. */
async function listPages(
  transport: Transport,
  baseUrl: string,
  options: CallOptions,
): Promise<DirectoryApp[]> {
  const apps: DirectoryApp[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  for (;;) {
    const url = new URL(`${baseUrl}/connectors/directory/list`);
    url.searchParams.set('tier', 'categorized');
    if (token !== undefined) url.searchParams.set('token', token);
    const page = await transport.json(directoryPageSchema, { method: 'GET', url, signal: options.signal });
    apps.push(...page.apps);
    const next = page.next_token?.trim();
    if (!next || seen.has(next)) return apps;
    seen.add(next);
    token = next;
  }
}

/** `list_workspace` for a workspace account; a failure there leaves the workspace apps out, as upstream. */
async function listWorkspace(transport: Transport, baseUrl: string, options: CallOptions) {
  try {
    const url = new URL(`${baseUrl}/connectors/directory/list_workspace`);
    return (await transport.json(directoryPageSchema, { method: 'GET', url, signal: options.signal })).apps;
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return [];
  }
}

function blank(value: string | null | undefined): boolean {
  return value == null || value.trim() === '';
}

/** Apps with the same id merged: the first keeps its fields, a later one fills the blanks. */
function merge(apps: readonly DirectoryApp[]): DirectoryApp[] {
  const byId = new Map<string, DirectoryApp>();
  for (const app of apps) {
    const existing = byId.get(app.id);
    if (!existing) {
      byId.set(app.id, app);
      continue;
    }
    byId.set(app.id, {
      ...existing,
      name: blank(existing.name) && !blank(app.name) ? app.name : existing.name,
      description: blank(existing.description)
        ? (app.description ?? existing.description)
        : existing.description,
      logo_url: existing.logo_url ?? app.logo_url,
      logo_url_dark: existing.logo_url_dark ?? app.logo_url_dark,
      distribution_channel: existing.distribution_channel ?? app.distribution_channel,
      icon_assets: existing.icon_assets ?? app.icon_assets,
      icon_dark_assets: existing.icon_dark_assets ?? app.icon_dark_assets,
    });
  }
  return [...byId.values()];
}

/** The connector directory: paginated list (+ workspace list), hidden apps dropped, merged, sorted, cached. */
export class ConnectorDirectory {
  readonly #transport: Transport;
  readonly #baseUrl: string;
  readonly #cache: ConnectorDirectoryCache;

  constructor(transport: Transport, baseUrl: string, cache: ConnectorDirectoryCache | undefined) {
    this.#transport = transport;
    this.#baseUrl = baseUrl;
    this.#cache = cache ?? new ConnectorDirectoryCache();
  }

  async list(options: ListConnectorsOptions = {}): Promise<readonly DirectoryApp[]> {
    const probe = new URL(`${this.#baseUrl}/connectors/directory/list`);
    const key: ConnectorCacheKey = {
      baseUrl: this.#baseUrl,
      accountId: this.#transport.auth.describe({ url: probe, method: 'GET' }).accountId,
      userId: options.userId,
      isWorkspaceAccount: options.isWorkspaceAccount ?? false,
    };
    if (!options.forceRefetch) {
      const cached = this.#cache.get(key);
      if (cached) return cached;
    }
    const apps = await listPages(this.#transport, this.#baseUrl, options);
    if (key.isWorkspaceAccount) apps.push(...(await listWorkspace(this.#transport, this.#baseUrl, options)));
    const listed = merge(apps.filter((app) => app.visibility !== 'HIDDEN'))
      .map((app) => ({ ...app, name: blank(app.name) ? app.id : app.name.trim() }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    this.#cache.set(key, listed);
    return listed;
  }
}
