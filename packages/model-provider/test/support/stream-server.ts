import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenStreamRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface StreamServer {
  readonly url: string;
  readonly seen: SeenStreamRequest[];
  /** Resolves when the n-th request's connection is closed by the client. */
  closed(index: number): Promise<void>;
  close(): Promise<void>;
}

/** A loopback server whose handler writes the response itself (to cut a stream, stall, or dribble events). */
export async function startStreamServer(
  handler: (res: ServerResponse, index: number, request: SeenStreamRequest) => void | Promise<void>,
): Promise<StreamServer> {
  const seen: SeenStreamRequest[] = [];
  const closedWaiters = new Map<number, Promise<void>>();
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body: Buffer.concat(chunks).toString(),
    };
    seen.push(request);
    const index = seen.length - 1;
    closedWaiters.set(index, new Promise((resolve) => res.once('close', () => resolve())));
    await handler(res, index, request);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    closed: (index) => closedWaiters.get(index) ?? Promise.reject(new Error(`no request ${index}`)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** One SSE frame as the Responses API writes it. */
export function sseFrame(event: { type: string } & Record<string, unknown>): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

export const SSE_HEADERS = { 'content-type': 'text/event-stream' } as const;
