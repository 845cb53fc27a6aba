import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from './app.js';
import { blobRoutes } from './files.js';
import { Router } from './router.js';
import { handleRequest } from './server.js';

/**
 * The blob store on a second loopback port (`separateUploadHost`): `upload_url`s point here, so a test can see
 * whether a client sends its credential to a host that is not the backend. Its requests go to the same log,
 * with the scheme of any `Authorization` header that was sent (never the value).
 */
export async function startUploadHost(
  app: App,
  host: string,
  urlHost: string,
): Promise<{ url: string; server: Server }> {
  const router = new Router();
  blobRoutes(router);
  const server = createServer((req, res) => {
    handleRequest(app, router, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { url: `http://${urlHost}:${(server.address() as AddressInfo).port}`, server };
}
