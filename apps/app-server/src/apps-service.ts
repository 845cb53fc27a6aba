import type { AuthProvider } from '@codex-ts/auth-provider';
import type { BackendClient } from '@codex-ts/backend-client';
import type { AuthManager } from '@codex-ts/login';
import type { AppInfo, AppsList, CodexAppsConnection, ConnectorDirectory } from '@codex-ts/mcp';
import type { AppLogger } from './logger.js';
import { APP_SERVER_VERSION } from './version.js';

/** backend-client's connector directory as mcp's `ConnectorDirectory`, keyed to the signed-in account. */
export function connectorDirectory(backend: BackendClient, auth: AuthManager): ConnectorDirectory {
  return {
    async listConnectors(options) {
      const a = auth.authCached();
      const apps = await backend.listConnectors({
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.forceRefetch !== undefined ? { forceRefetch: options.forceRefetch } : {}),
        ...(a?.chatgptUserId() ? { userId: a.chatgptUserId() } : {}),
        isWorkspaceAccount: a?.isWorkspaceAccount() ?? false,
      });
      return apps.map((app) => ({
        id: app.id,
        name: app.name,
        description: app.description ?? null,
        logoUrl: app.logo_url,
        logoUrlDark: app.logo_url_dark,
        distributionChannel: app.distribution_channel,
        iconAssets: app.icon_assets,
        iconDarkAssets: app.icon_dark_assets,
      }));
    },
  };
}

export interface AppsServiceOptions {
  readonly chatgptBaseUrl: string;
  readonly codexHome: string;
  readonly auth: AuthManager;
  readonly env: NodeJS.ProcessEnv;
  readonly logger: AppLogger;
  /** Told whenever the merged list changes (`app/list/updated`). */
  readonly onUpdated: (apps: readonly AppInfo[]) => void;
  /** The connector directory (backend-client), when wired. */
  readonly directory?: ConnectorDirectory;
}

/**
 * The apps behind `app/list`: mcp's `codex_apps` connection (every request through the default provider: the
 * background task) merged with the connector directory. Started on first use, for ChatGPT auth only; rebuilt when
 * the account changes.
 */
export class AppsService {
  readonly #o: AppsServiceOptions;
  #current: { key: string; connection: CodexAppsConnection; list: AppsList } | undefined;

  constructor(options: AppsServiceOptions) {
    this.#o = options;
  }

  /** The merged list; undefined when the auth is not ChatGPT (apps need a ChatGPT account). */
  async list(forceRefetch: boolean): Promise<AppInfo[] | undefined> {
    const auth = await this.#o.auth.auth();
    if (!auth?.isChatgpt()) return undefined;
    const key = `${auth.accountId() ?? ''}:${auth.chatgptUserId() ?? ''}`;
    // mcp (and the MCP SDK) load on the first use, not with the server: most of a cold start's module loading.
    const { AppsList, CodexAppsConnection } = await import('@codex-ts/mcp');
    if (this.#current?.key !== key) {
      await this.close();
      const provider: AuthProvider = this.#o.auth.defaultProvider();
      const connection = new CodexAppsConnection({
        chatgptBaseUrl: this.#o.chatgptBaseUrl,
        provider,
        env: this.#o.env,
        codexHome: this.#o.codexHome,
        cacheKey: {
          accountId: auth.accountId() ?? null,
          chatgptUserId: auth.chatgptUserId() ?? null,
          isWorkspaceAccount: auth.isWorkspaceAccount(),
        },
        clientInfo: { name: 'codex-ts-app-server', version: APP_SERVER_VERSION },
      });
      const list = new AppsList({
        tools: connection,
        ...(this.#o.directory ? { directory: this.#o.directory } : {}),
      });
      list.subscribe((apps) => this.#o.onUpdated(apps));
      this.#current = { key, connection, list };
    }
    const { connection, list } = this.#current;
    await connection.start();
    return list.load({ forceRefetch });
  }

  async close(): Promise<void> {
    const c = this.#current;
    this.#current = undefined;
    c?.list.dispose();
    await c?.connection
      .close()
      .catch((err: unknown) => this.#o.logger.warn({ error: err }, 'apps connection close'));
  }
}
