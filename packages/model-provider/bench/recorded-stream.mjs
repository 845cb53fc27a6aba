// Shared by the benchmarks: records one streamed turn from the dev backend (the echo model answers one
// `response.output_text.delta` per word) and serves those exact bytes from a loopback server.
import { createServer } from 'node:http';
import { startDevBackend } from '@codex-ts/dev-backend';

/** The SSE body the dev backend sends for a turn whose answer has `words` words (≈ `words + 6` events). */
export async function recordStream(words) {
  const backend = await startDevBackend({});
  try {
    const tokens = await backend.issueTokens({ email: 'bench@example.com' });
    const text = Array.from({ length: words - 1 }, (_, i) => `w${i}`).join(' ');
    const response = await fetch(`${backend.chatgptBaseUrl}/codex/responses`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${tokens.access_token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        model: 'dev-echo',
        instructions: '',
        input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text }] }],
        stream: true,
      }),
    });
    if (response.status !== 200) throw new Error(`recording failed: ${response.status}`);
    return Buffer.from(await response.arrayBuffer());
  } finally {
    await backend.close();
  }
}

/** A loopback server answering every request with `body` as an event stream. */
export async function serveStream(body) {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'content-length': body.length });
      res.end(body);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

/** The median of `rounds` measurements of `fn` (each returns a number). */
export async function median(rounds, fn) {
  const values = [];
  for (let i = 0; i < rounds; i++) values.push(await fn());
  values.sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)];
}
