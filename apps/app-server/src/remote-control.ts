import { arch, hostname, platform } from 'node:os';
import { type AuthProvider, fetchWithAuth } from '@codex-ts/auth-provider';
import type { WebSocket } from 'ws';
import { ClientConnection } from './connection.js';
import type { AppLogger } from './logger.js';
import { APP_SERVER_VERSION } from './version.js';

export type RemoteControlState = 'disabled' | 'connecting' | 'connected' | 'errored';

export interface RemoteControlOptions {
  /** `chatgpt_base_url` (…/backend-api). */
  readonly chatgptBaseUrl: string;
  /** The default provider: enrollment and the websocket handshake are control-plane calls (background task). */
  readonly auth: AuthProvider;
  readonly installationId: string;
  readonly logger: AppLogger;
  /** Told on every status change. */
  readonly onStatus: (status: Record<string, unknown>) => void;
  /** Remote clients become connections of the server, as a websocket client would. */
  readonly onConnection: (connection: ClientConnection) => void;
  readonly onMessage: (connection: ClientConnection, text: string) => Promise<void>;
  /** Reconnect backoff: base and cap (default 500 ms, 30 s). */
  readonly backoffMs?: { readonly base: number; readonly cap: number };
  /** Keepalive ping interval (default 30 s). */
  readonly pingMs?: number;
}

interface Envelope {
  type?: unknown;
  client_id?: unknown;
  stream_id?: unknown;
  seq_id?: unknown;
  message?: unknown;
}

/**
 * Remote control: enrolls this server with the backend, keeps a websocket to it, and carries remote clients'
 * JSON-RPC both ways (`client_message` in, `server_message` out, acked by sequence id; unacked messages are sent
 * again after a reconnect). Reconnects with capped exponential backoff; pings to keep the socket alive.
 */
export class RemoteControl {
  readonly #o: RemoteControlOptions;
  #state: RemoteControlState = 'disabled';
  #environmentId: string | null = null;
  #serverId: string | undefined;
  #socket: WebSocket | undefined;
  #attempt = 0;
  #timer: NodeJS.Timeout | undefined;
  #ping: NodeJS.Timeout | undefined;
  #nextSeq = 1;
  readonly #unacked = new Map<number, string>();
  readonly #clients = new Map<string, ClientConnection>();
  #nextConnectionId = 100_000;

  constructor(options: RemoteControlOptions) {
    this.#o = options;
  }

  status(): Record<string, unknown> {
    return {
      status: this.#state,
      serverName: hostname(),
      installationId: this.#o.installationId,
      environmentId: this.#environmentId,
    };
  }

  enable(): Record<string, unknown> {
    if (this.#state === 'disabled' || this.#state === 'errored') {
      this.#attempt = 0;
      this.#set('connecting');
      void this.#connect();
    }
    return this.status();
  }

  disable(): Record<string, unknown> {
    clearTimeout(this.#timer);
    clearInterval(this.#ping);
    const socket = this.#socket;
    this.#socket = undefined;
    socket?.close(1000, 'disabled');
    for (const c of this.#clients.values()) c.markClosed();
    this.#clients.clear();
    this.#unacked.clear();
    if (this.#state !== 'disabled') this.#set('disabled');
    return this.status();
  }

  #set(state: RemoteControlState): void {
    this.#state = state;
    this.#o.onStatus(this.status());
  }

  async #connect(): Promise<void> {
    const base = this.#o.chatgptBaseUrl.replace(/\/+$/, '');
    try {
      if (!this.#serverId) {
        const res = await fetchWithAuth(this.#o.auth, `${base}/wham/remote/control/server/enroll`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            name: hostname(),
            os: platform(),
            arch: arch(),
            app_server_version: APP_SERVER_VERSION,
            installation_id: this.#o.installationId,
          }),
        });
        if (!res.ok) {
          await res.body?.cancel();
          throw Object.assign(new Error(`enrollment failed with status ${res.status}`), {
            status: res.status,
          });
        }
        const body = (await res.json()) as { server_id?: unknown; environment_id?: unknown };
        if (typeof body.server_id !== 'string') throw new Error('enrollment answered without server_id');
        this.#serverId = body.server_id;
        this.#environmentId = typeof body.environment_id === 'string' ? body.environment_id : null;
      }
      if (this.#state === 'disabled') return;
      const url = new URL(`${base.replace(/^http/, 'ws')}/wham/remote/control/server`);
      const headers = await this.#o.auth.headers({ url, method: 'GET' });
      if ((this.#state as RemoteControlState) === 'disabled') return;
      // ws loads with the first connection, not with the server (remote control is off until enabled).
      const { WebSocket } = await import('ws');
      if ((this.#state as RemoteControlState) === 'disabled') return;
      const socket = new WebSocket(url, { headers: { ...headers, 'x-codex-server-id': this.#serverId } });
      this.#socket = socket;
      socket.on('open', () => this.#opened(socket));
      socket.on('message', (data) => this.#received(String(data)));
      socket.on('close', () => this.#closed(socket));
      socket.on('error', (err) => this.#o.logger.warn({ error: err }, 'remote control socket error'));
    } catch (err) {
      this.#o.logger.warn({ error: err }, 'remote control connect failed');
      const status = (err as { status?: number }).status;
      if (status !== undefined && status >= 400 && status < 500 && status !== 429) {
        this.#set('errored');
        return;
      }
      this.#retry();
    }
  }

  #opened(socket: WebSocket): void {
    if (socket !== this.#socket) return;
    this.#attempt = 0;
    this.#set('connected');
    for (const text of this.#unacked.values()) socket.send(text);
    clearInterval(this.#ping);
    this.#ping = setInterval(() => socket.ping(), this.#o.pingMs ?? 30_000);
    this.#ping.unref();
  }

  #closed(socket: WebSocket): void {
    if (socket !== this.#socket) return;
    this.#socket = undefined;
    clearInterval(this.#ping);
    if (this.#state === 'disabled') return;
    this.#set('connecting');
    this.#retry();
  }

  #retry(): void {
    const { base, cap } = this.#o.backoffMs ?? { base: 500, cap: 30_000 };
    const delay = Math.min(cap, base * 2 ** this.#attempt++) * (0.5 + Math.random() / 2);
    this.#timer = setTimeout(() => void this.#connect(), delay);
    this.#timer.unref();
  }

  #received(text: string): void {
    let e: Envelope;
    try {
      e = JSON.parse(text) as Envelope;
    } catch {
      this.#o.logger.warn({}, 'remote control: a frame that is not JSON');
      return;
    }
    if (e.type === 'ack' && typeof e.seq_id === 'number') {
      this.#unacked.delete(e.seq_id);
      return;
    }
    if (e.type !== 'client_message' || typeof e.client_id !== 'string') return;
    const streamId = typeof e.stream_id === 'string' ? e.stream_id : undefined;
    const connection = this.#client(e.client_id, streamId);
    void this.#o.onMessage(connection, JSON.stringify(e.message));
  }

  #client(clientId: string, streamId: string | undefined): ClientConnection {
    const key = `${clientId}\u0000${streamId ?? ''}`;
    let c = this.#clients.get(key);
    if (!c) {
      c = new ClientConnection(
        this.#nextConnectionId++,
        {
          send: (text) => {
            const seq = this.#nextSeq++;
            const envelope = JSON.stringify({
              type: 'server_message',
              client_id: clientId,
              ...(streamId === undefined ? {} : { stream_id: streamId }),
              seq_id: seq,
              message: JSON.parse(text),
            });
            this.#unacked.set(seq, envelope);
            const socket = this.#socket;
            if (socket && socket.readyState === socket.OPEN) socket.send(envelope);
            return this.#unacked.size < 10_000;
          },
          close: () => {
            this.#clients.delete(key);
          },
        },
        'websocket',
      );
      this.#clients.set(key, c);
      this.#o.onConnection(c);
    }
    return c;
  }
}
