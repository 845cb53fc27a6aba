import { arch, type as osType, release } from 'node:os';
import type { ClientConnection } from './connection.js';
import {
  INTERNAL_ERROR,
  invalidRequest,
  type JsonRpcRequest,
  OVERLOADED_MESSAGE,
  parseMessage,
  RpcError,
  SERVER_OVERLOADED,
} from './jsonrpc.js';
import type { AppLogger } from './logger.js';
import type { MethodSpec } from './method.js';
import { array, bool, object, optional, ParamsError, parseParams, str } from './params.js';
import { APP_SERVER_VERSION } from './version.js';

const initializeParams = object('InitializeParams', {
  clientInfo: object('ClientInfo', { name: str(), version: str(), title: optional(str()) }),
  capabilities: optional(
    object('InitializeCapabilities', {
      experimentalApi: optional(bool()),
      optOutNotificationMethods: optional(array(str())),
    }),
  ),
});

export interface ProcessorOptions<App> {
  /** The handlers' services and method table, loading while `initialize` is already answered. */
  readonly services: Promise<{
    readonly app: App;
    readonly methods: ReadonlyMap<string, MethodSpec<unknown, App>>;
  }>;
  /** Every method served besides `initialize` (known before the services load). */
  readonly methodNames: readonly string[];
  readonly logger: AppLogger;
  readonly codexHome: string;
  /** Requests one connection may have in flight before it gets -32001 (default 1024). */
  readonly maxInflightPerConnection?: number;
  /** Called after a connection's `initialize` response went out (initial notifications). */
  readonly onInitialized?: (connection: ClientConnection) => void;
}

export function platformFamily(): 'unix' | 'windows' {
  return process.platform === 'win32' ? 'windows' : 'unix';
}

export function platformOs(): string {
  return process.platform === 'darwin'
    ? 'macos'
    : process.platform === 'win32'
      ? 'windows'
      : process.platform;
}

function userAgent(name: string, version: string): string {
  const terminal = process.env.TERM_PROGRAM ?? process.env.TERM ?? 'unknown';
  return `${name}/${APP_SERVER_VERSION} (${osType()} ${release()}; ${arch()}) ${terminal} (${name}; ${version})`;
}

/**
 * Turns incoming lines/frames into handler calls with upstream's rules: deserialization errors first
 * (unknown method, missing or mistyped params → -32600), then `Not initialized`, then the experimental gate.
 * A line that is not one message gets no reply.
 */
export class MessageProcessor<App> {
  readonly #options: ProcessorOptions<App>;
  readonly #maxInflight: number;
  readonly #known: string;
  readonly #names: ReadonlySet<string>;

  constructor(options: ProcessorOptions<App>) {
    this.#options = options;
    this.#maxInflight = options.maxInflightPerConnection ?? 1024;
    this.#names = new Set(options.methodNames);
    this.#known = ['initialize', ...options.methodNames].map((m) => `\`${m}\``).join(', ');
    // A failure to load is reported per request (and by the owner); never an unhandled rejection.
    options.services.then(
      (loaded) => {
        this.#loaded = loaded;
      },
      () => {},
    );
  }

  /** The services once they have loaded (a request then skips the wait). */
  #loaded: Awaited<ProcessorOptions<App>['services']> | undefined;

  /** Handles one message; resolves when its reply (if any) has been sent. */
  async onText(connection: ClientConnection, text: string): Promise<void> {
    const incoming = parseMessage(text);
    switch (incoming.kind) {
      case 'invalid':
        this.#options.logger.warn(
          { connection: connection.id, reason: incoming.reason },
          'dropped a message',
        );
        return;
      case 'response':
        this.#options.logger.warn(
          { connection: connection.id, id: incoming.message.id },
          'response to an unknown request id',
        );
        return;
      case 'notification':
        if (incoming.message.method !== 'initialized') {
          this.#options.logger.debug(
            { connection: connection.id, method: incoming.message.method },
            'ignored client notification',
          );
        }
        return;
      case 'request':
        return this.#request(connection, incoming.message);
    }
  }

  async #request(connection: ClientConnection, request: JsonRpcRequest): Promise<void> {
    if (connection.inflight >= this.#maxInflight) {
      connection.respondError(request.id, new RpcError(SERVER_OVERLOADED, OVERLOADED_MESSAGE));
      return;
    }
    connection.beginRequest();
    const after: Array<() => void> = [];
    try {
      const result = await this.#dispatch(connection, request, after);
      connection.respond(request.id, result);
      if (request.method === 'initialize') this.#options.onInitialized?.(connection);
      for (const task of after) task();
    } catch (err) {
      connection.respondError(request.id, this.#toRpcError(request.method, err));
    } finally {
      connection.endRequest();
    }
  }

  async #dispatch(
    connection: ClientConnection,
    request: JsonRpcRequest,
    after: Array<() => void>,
  ): Promise<unknown> {
    const { method } = request;
    if (method === 'initialize') return this.#initialize(connection, request.params);
    if (!this.#names.has(method)) {
      throw invalidRequest(`Invalid request: unknown variant \`${method}\`, expected one of ${this.#known}`);
    }
    const { app, methods } =
      this.#loaded ??
      (await this.#options.services.catch((err: unknown) => {
        throw new RpcError(INTERNAL_ERROR, `app-server failed to start: ${(err as Error).message}`);
      }));
    const spec = methods.get(method)!;
    const params = parseParams(spec.params, request.params);
    if (!connection.initialized) throw invalidRequest('Not initialized');
    if (spec.experimental && !connection.capabilities.experimentalApi) {
      throw invalidRequest(`${method} requires experimentalApi capability`);
    }
    return spec.handle({ params, connection, app, after: (task) => after.push(task) });
  }

  #initialize(connection: ClientConnection, raw: unknown): unknown {
    const params = parseParams(initializeParams, raw)!;
    if (connection.initialized) throw invalidRequest('Already initialized');
    connection.markInitialized(params.clientInfo.name, params.clientInfo.version, {
      experimentalApi: params.capabilities?.experimentalApi ?? false,
      optOutNotificationMethods: new Set(params.capabilities?.optOutNotificationMethods ?? []),
    });
    return {
      userAgent: userAgent(params.clientInfo.name, params.clientInfo.version),
      codexHome: this.#options.codexHome,
      platformFamily: platformFamily(),
      platformOs: platformOs(),
    };
  }

  #toRpcError(method: string, err: unknown): RpcError {
    if (err instanceof RpcError) return err;
    if (err instanceof ParamsError) return invalidRequest(`Invalid request: ${err.message}`);
    this.#options.logger.error({ method, error: err }, 'request failed');
    return new RpcError(INTERNAL_ERROR, err instanceof Error ? err.message : String(err));
  }
}
