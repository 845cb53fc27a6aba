import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isIP } from 'node:net';

/** One connection a client tried to make through the proxy. The proxy refused it. */
export interface ProxyAttempt {
  /** `CONNECT` for a tunnel (HTTPS, WSS), else the HTTP method of an absolute-form request. */
  method: string;
  /** `host:port` for CONNECT, the absolute URL otherwise. */
  target: string;
  /** The target's host name, lowercased, without brackets. */
  host: string;
  loopback: boolean;
}

export interface RefusingProxy {
  /** `http://127.0.0.1:PORT`, for HTTPS_PROXY, HTTP_PROXY and ALL_PROXY. */
  readonly url: string;
  /** Every attempt so far, oldest first. */
  readonly attempts: readonly ProxyAttempt[];
  /** The attempts whose target is not a loopback host: the client tried to leave the machine. */
  outsideAttempts(): ProxyAttempt[];
  close(): Promise<void>;
}

/** True for `localhost`, 127.0.0.0/8 and ::1. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  return h === '::1' || h === '0:0:0:0:0:0:0:1';
}

function hostOf(target: string, method: string): string {
  if (method === 'CONNECT') {
    const bracketed = /^\[([^\]]+)\]/.exec(target);
    if (bracketed) return bracketed[1]!.toLowerCase();
    return target.replace(/:\d+$/, '').toLowerCase();
  }
  try {
    return new URL(target).hostname.toLowerCase().replace(/^\[|\]$/g, '');
  } catch {
    return target.toLowerCase();
  }
}

/**
 * A loopback HTTP proxy that forwards nothing: every CONNECT gets 403 and every proxied request gets 403. Point a
 * client's proxy variables at it and anything that slips past the client's own URL settings ends here, recorded,
 * instead of on the internet.
 */
export async function startRefusingProxy(): Promise<RefusingProxy> {
  const attempts: ProxyAttempt[] = [];
  const record = (method: string, target: string) => {
    const host = hostOf(target, method);
    attempts.push({ method, target, host, loopback: isLoopbackHost(host) });
  };
  const server = createServer((req, res) => {
    record(req.method ?? 'GET', req.url ?? '');
    req.resume();
    res.writeHead(403, { 'content-type': 'text/plain', connection: 'close' });
    res.end('the interop proxy refuses every request\n');
  });
  server.on('connect', (req, socket) => {
    record('CONNECT', req.url ?? '');
    socket.on('error', () => {});
    socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    attempts,
    outsideAttempts: () => attempts.filter((a) => !a.loopback),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
