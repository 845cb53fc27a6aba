import type { Readable, Writable } from 'node:stream';
import { AuthManager } from '@codex-ts/login';
import { accountMethods } from './account-methods.js';
import { accountUpdated } from './account-wire.js';
import type { AppContext } from './app-context.js';
import { ClientRegistry } from './client-registry.js';
import { type AppServerConfig, loadAppServerConfig } from './config.js';
import type { ClientConnection } from './connection.js';
import { type AppLogger, createLogger, logOptionsFromEnv } from './logger.js';
import { LoginFlows } from './login-flows.js';
import type { MethodSpec } from './method.js';
import { MessageProcessor } from './processor.js';
import { serveStdio } from './stdio-transport.js';
import { threadMethods } from './thread-methods.js';
import { ThreadManager } from './threads/thread-manager.js';
import { ThreadStore } from './threads/thread-store.js';
import { listenWebSocket, type WsListener } from './ws-transport.js';

export interface AppServerOptions {
  /** Environment (default `process.env`): CODEX_HOME, LOG_FORMAT, the URL overrides. */
  readonly env?: NodeJS.ProcessEnv;
  /** Overrides `$CODEX_HOME`. */
  readonly codexHome?: string;
  readonly logger?: AppLogger;
  /** Loopback port of the browser sign-in callback (default 1455, as upstream; 0 = any). */
  readonly loginCallbackPort?: number;
  /** Device-code polling interval override (ms). */
  readonly devicePollMs?: number;
  /** Largest accepted message (default 8 MiB). */
  readonly maxMessageBytes?: number;
  /** Requests one client may have in flight before -32001 (default 1024). */
  readonly maxInflightPerConnection?: number;
}

export const DEFAULT_MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

function methodTable(): Map<string, MethodSpec<unknown, AppContext>> {
  return new Map([...accountMethods, ...threadMethods]);
}

/** The app-server: one AuthManager, one thread manager, any number of clients over stdio or websocket. */
export class AppServer {
  readonly config: AppServerConfig;
  readonly context: AppContext;
  readonly #processor: MessageProcessor<AppContext>;
  readonly #maxMessageBytes: number;
  readonly #listeners: WsListener[] = [];

  private constructor(context: AppContext, options: AppServerOptions) {
    this.config = context.config;
    this.context = context;
    this.#maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.#processor = new MessageProcessor<AppContext>({
      app: context,
      methods: methodTable(),
      logger: context.logger,
      codexHome: context.config.codexHome,
      ...(options.maxInflightPerConnection !== undefined
        ? { maxInflightPerConnection: options.maxInflightPerConnection }
        : {}),
      onInitialized: (c) => this.#onInitialized(c),
    });
  }

  static async create(options: AppServerOptions = {}): Promise<AppServer> {
    const env = options.env ?? process.env;
    const logger = options.logger ?? createLogger(logOptionsFromEnv(env));
    const config = await loadAppServerConfig(env, options.codexHome);
    const auth = await AuthManager.create({
      codexHome: config.codexHome,
      env,
      logger,
      sessionSource: 'vscode',
      enableCodexApiKeyEnv: false,
    });
    const clients = new ClientRegistry();
    const threads = new ThreadManager(new ThreadStore(config.codexHome, logger), auth, logger);
    const logins = new LoginFlows({
      issuer: config.loginIssuer,
      auth,
      logger,
      callbackPort: options.loginCallbackPort ?? 1455,
      ...(options.devicePollMs !== undefined ? { devicePollMs: options.devicePollMs } : {}),
      onCompleted: (loginId, error) => {
        clients.broadcast('account/login/completed', {
          success: error === undefined,
          loginId,
          error: error ?? null,
        });
        if (error === undefined) clients.broadcast('account/updated', accountUpdated(auth.authCached()));
      },
    });
    logger.info(
      { codexHome: config.codexHome, agentIdentity: auth.config.useAgentIdentity },
      'app-server configured',
    );
    return new AppServer({ config, auth, logger, clients, threads, logins }, options);
  }

  #onInitialized(connection: ClientConnection): void {
    const auth = this.context.auth.authCached();
    if (auth) connection.notify('account/updated', accountUpdated(auth));
  }

  #connection = (connection: ClientConnection): void => {
    this.context.clients.add(connection);
  };

  #message = (connection: ClientConnection, text: string): Promise<void> =>
    this.#processor.onText(connection, text);

  /** Serves one client over stdio; resolves when stdin ends and every request has been answered. */
  serveStdio(input: Readable, output: Writable): Promise<void> {
    return serveStdio({
      input,
      output,
      logger: this.context.logger,
      maxMessageBytes: this.#maxMessageBytes,
      onConnection: this.#connection,
      onMessage: this.#message,
    });
  }

  /** Listens for websocket clients on `host:port` (0 = any free port). */
  async listen(host: string, port: number, capabilityToken?: string): Promise<WsListener> {
    const listener = await listenWebSocket({
      host,
      port,
      logger: this.context.logger,
      maxMessageBytes: this.#maxMessageBytes,
      ...(capabilityToken !== undefined ? { capabilityToken } : {}),
      onConnection: this.#connection,
      onMessage: this.#message,
    });
    this.#listeners.push(listener);
    return listener;
  }

  async close(): Promise<void> {
    this.context.logins.cancelActive();
    this.context.threads.close();
    await Promise.all(this.#listeners.map((l) => l.close()));
  }
}
