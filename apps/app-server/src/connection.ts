import type { RequestId, RpcError } from './jsonrpc.js';

/** What a transport gives a connection: a way to send one message and to close. */
export interface TransportSink {
  /** Queues one serialized message; false when the outgoing queue is full (the message is dropped). */
  send(text: string): boolean;
  close(): void;
}

export type TransportKind = 'stdio' | 'websocket' | 'in_process';

export interface ClientCapabilities {
  readonly experimentalApi: boolean;
  readonly optOutNotificationMethods: ReadonlySet<string>;
}

/** One client (a stdio pair or one websocket) and what it declared in `initialize`. */
export class ClientConnection {
  readonly id: number;
  /** How the client is connected (analytics reports it). Remote-control clients count as websocket. */
  readonly transport: TransportKind;
  readonly #sink: TransportSink;
  #initialized = false;
  #clientName: string | undefined;
  #clientVersion: string | undefined;
  #capabilities: ClientCapabilities = { experimentalApi: false, optOutNotificationMethods: new Set() };
  #inflight = 0;
  #closed = false;
  readonly #onClose = new Set<() => void>();

  constructor(id: number, sink: TransportSink, transport: TransportKind) {
    this.id = id;
    this.transport = transport;
    this.#sink = sink;
  }

  get initialized(): boolean {
    return this.#initialized;
  }

  get clientName(): string | undefined {
    return this.#clientName;
  }

  get clientVersion(): string | undefined {
    return this.#clientVersion;
  }

  get capabilities(): ClientCapabilities {
    return this.#capabilities;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Requests received and not yet answered. */
  get inflight(): number {
    return this.#inflight;
  }

  markInitialized(clientName: string, clientVersion: string, capabilities: ClientCapabilities): void {
    this.#initialized = true;
    this.#clientName = clientName;
    this.#clientVersion = clientVersion;
    this.#capabilities = capabilities;
  }

  beginRequest(): void {
    this.#inflight++;
  }

  endRequest(): void {
    this.#inflight--;
  }

  respond(id: RequestId, result: unknown): void {
    this.#write({ id, result });
  }

  respondError(id: RequestId, error: RpcError): void {
    this.#write({ id, error: error.toJSON() });
  }

  /** Sends a server notification unless the client opted out of it; adds `emittedAtMs`. */
  notify(method: string, params: unknown): void {
    if (!this.#initialized || this.#capabilities.optOutNotificationMethods.has(method)) return;
    this.#write({ method, params, emittedAtMs: Date.now() });
  }

  onClose(listener: () => void): void {
    this.#onClose.add(listener);
  }

  /** Called by the transport when the client went away. */
  markClosed(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const l of this.#onClose) l();
    this.#onClose.clear();
  }

  close(): void {
    this.#sink.close();
  }

  #write(message: object): void {
    if (this.#closed) return;
    if (!this.#sink.send(JSON.stringify(message))) {
      // A client that does not read its messages is dropped rather than buffering without bound.
      this.#sink.close();
    }
  }
}
