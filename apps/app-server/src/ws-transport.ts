import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { ClientConnection } from './connection.js';
import type { AppLogger } from './logger.js';

export interface WsTransportOptions {
  readonly host: string;
  readonly port: number;
  readonly logger: AppLogger;
  /** Largest accepted text frame (default 8 MiB); a larger one closes that socket with 1009. */
  readonly maxMessageBytes: number;
  /** Bytes a socket may hold unsent before the client counts as not reading (default 64 MiB). */
  readonly maxOutputBufferBytes?: number;
  /** `--ws-auth capability-token`: the token a client must send as `Authorization: Bearer <token>`. */
  readonly capabilityToken?: string;
  readonly onConnection: (connection: ClientConnection) => void;
  readonly onMessage: (connection: ClientConnection, text: string) => Promise<void>;
}

export interface WsListener {
  /** `ws://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

function tokenMatches(expected: string, header: string | undefined): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!match) return false;
  const a = Buffer.from(match[1]!.trim());
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function plain(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * `--listen ws://IP:PORT`: one JSON message per text frame, `GET /readyz` and `GET /healthz` on the same
 * port. Any request carrying an `Origin` header is refused with 403 (no browser page may drive the server).
 */
export async function listenWebSocket(options: WsTransportOptions): Promise<WsListener> {
  const { logger } = options;
  const maxOut = options.maxOutputBufferBytes ?? 64 * 1024 * 1024;
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes });
  let nextId = 1;
  const server: Server = createServer((req, res) => {
    if (req.headers.origin !== undefined) return plain(res, 403, 'Forbidden\n');
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && (path === '/readyz' || path === '/healthz')) return plain(res, 200, 'ok\n');
    plain(res, 404, 'Not Found\n');
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (req.headers.origin !== undefined) return refuseUpgrade(socket, 403, 'Forbidden');
    if (
      options.capabilityToken !== undefined &&
      !tokenMatches(options.capabilityToken, req.headers.authorization)
    ) {
      return refuseUpgrade(socket, 401, 'Unauthorized');
    }
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws));
  });

  function accept(ws: WebSocket): void {
    const connection = new ClientConnection(
      nextId++,
      {
        send(text) {
          if (ws.readyState !== WebSocket.OPEN) return true;
          if (ws.bufferedAmount > maxOut) return false;
          ws.send(text);
          return true;
        },
        close() {
          ws.close(1008, 'client not reading');
        },
      },
      'websocket',
    );
    options.onConnection(connection);
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        logger.warn({ connection: connection.id }, 'dropped a binary frame');
        return;
      }
      const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : data.toString();
      void options.onMessage(connection, text).catch((err: unknown) => {
        logger.error({ error: err }, 'message handling failed');
      });
    });
    ws.on('error', (err) => logger.warn({ connection: connection.id, error: err }, 'websocket error'));
    ws.on('close', () => connection.markClosed());
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `ws://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
