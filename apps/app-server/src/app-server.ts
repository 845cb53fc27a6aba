import type { Readable, Writable } from 'node:stream';
import type { AppContext } from './app-context.js';
import { ClientRegistry } from './client-registry.js';
import { codexHomeFrom } from './codex-home.js';
import type { AppServerConfig } from './config.js';
import type { ClientConnection } from './connection.js';
import { type AppLogger, createLogger, logOptionsFromEnv } from './logger.js';
import { METHOD_NAMES } from './method-names.js';
import { MessageProcessor } from './processor.js';
import type { Services } from './services.js';
import { serveStdio } from './stdio-transport.js';
import type { WsListener } from './ws-transport.js';

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
  /** Remote control's reconnect backoff (default base 500 ms, cap 30 s). */
  readonly remoteControlBackoffMs?: { readonly base: number; readonly cap: number };
}

export const DEFAULT_MAX_MESSAGE_BYTES = 8 * 1024 * 1024;
/** How long shutdown waits for thread-task registrations in flight, so they are persisted. */
const SHUTDOWN_DRAIN_MS = 5000;

/**
 * The app-server: one AuthManager, one thread manager, any number of clients over stdio or websocket.
 * Transports and `initialize` are up at once; the services (login and the rest) load behind them and every
 * other request waits for them.
 */
export class AppServer {
  readonly codexHome: string;
  readonly logger: AppLogger;
  readonly clients = new ClientRegistry();
  /** Resolves when config.toml, auth and threads are loaded; rejects with the reason startup failed. */
  readonly ready: Promise<Services>;
  readonly #processor: MessageProcessor<AppContext>;
  readonly #maxMessageBytes: number;
  readonly #listeners: WsListener[] = [];
  #services: Services | undefined;

  constructor(options: AppServerOptions = {}) {
    const env = options.env ?? process.env;
    this.logger = options.logger ?? createLogger(logOptionsFromEnv(env));
    this.codexHome = options.codexHome ?? codexHomeFrom(env);
    this.#maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.ready = import('./services.js').then(async ({ createServices }) => {
      const services = await createServices({
        env,
        codexHome: this.codexHome,
        logger: this.logger,
        clients: this.clients,
        loginCallbackPort: options.loginCallbackPort ?? 1455,
        devicePollMs: options.devicePollMs,
        remoteControlBackoffMs: options.remoteControlBackoffMs,
        onConnection: (c) => this.#connection(c),
        onMessage: (c, text) => this.#message(c, text),
      });
      this.#services = services;
      return services;
    });
    this.ready.catch((err: unknown) => this.logger.error({ error: err }, 'app-server failed to start'));
    this.#processor = new MessageProcessor<AppContext>({
      services: this.ready.then((s) => ({ app: s.context, methods: s.methods })),
      methodNames: METHOD_NAMES,
      logger: this.logger,
      codexHome: this.codexHome,
      ...(options.maxInflightPerConnection !== undefined
        ? { maxInflightPerConnection: options.maxInflightPerConnection }
        : {}),
      onInitialized: (c) => this.#onInitialized(c),
    });
  }

  /** A server whose services are loaded (throws @codex-ts/config's ConfigError and friends). */
  static async create(options: AppServerOptions = {}): Promise<AppServer> {
    const server = new AppServer(options);
    await server.ready;
    return server;
  }

  /** The loaded services' context (after `ready`). */
  get context(): AppContext {
    if (!this.#services) throw new Error('the app-server services are not loaded yet (await ready)');
    return this.#services.context;
  }

  get config(): AppServerConfig {
    return this.context.config;
  }

  #onInitialized(connection: ClientConnection): void {
    void this.ready.then(
      async (s) => {
        const { accountUpdated } = await import('./account-wire.js');
        connection.notify('remoteControl/status/changed', s.context.remoteControl.status());
        const auth = s.context.auth.authCached();
        if (auth) connection.notify('account/updated', accountUpdated(auth));
      },
      () => {},
    );
  }

  #connection = (connection: ClientConnection): void => {
    this.clients.add(connection);
  };

  #message = (connection: ClientConnection, text: string): Promise<void> =>
    this.#processor.onText(connection, text);

  /** Serves one client over stdio; resolves when stdin ends and every request has been answered. */
  serveStdio(input: Readable, output: Writable): Promise<void> {
    return serveStdio({
      input,
      output,
      logger: this.logger,
      maxMessageBytes: this.#maxMessageBytes,
      onConnection: this.#connection,
      onMessage: this.#message,
    });
  }

  /** Listens for websocket clients on `host:port` (0 = any free port). */
  async listen(host: string, port: number, capabilityToken?: string): Promise<WsListener> {
    const { listenWebSocket } = await import('./ws-transport.js');
    const listener = await listenWebSocket({
      host,
      port,
      logger: this.logger,
      maxMessageBytes: this.#maxMessageBytes,
      ...(capabilityToken !== undefined ? { capabilityToken } : {}),
      onConnection: this.#connection,
      onMessage: this.#message,
    });
    this.#listeners.push(listener);
    return listener;
  }

  async close(): Promise<void> {
    await Promise.all(this.#listeners.map((l) => l.close()));
    const services = await this.ready.catch(() => undefined);
    services?.context.logins.cancelActive();
    services?.context.remoteControl.disable();
    await services?.context.threads.drain(SHUTDOWN_DRAIN_MS);
    await services?.context.threads.close();
    await services?.context.apps.close();
    await services?.context.analytics.flush(SHUTDOWN_DRAIN_MS);
  }
}
