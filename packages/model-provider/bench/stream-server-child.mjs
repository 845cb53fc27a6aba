// The child process of turn-auth.bench.mjs: serves the recorded stream it is sent, reports its URL.
import { serveStream } from './recorded-stream.mjs';

process.once('message', async (base64) => {
  const server = await serveStream(Buffer.from(base64, 'base64'));
  process.send(server.url);
});
