// A benchmark's other side on loopback: the dev backend in a process of its own, so its work (verifying
// assertions, parsing request bodies, ingesting analytics) is not charged to the code being measured. The
// process prints one JSON line (its URLs and a signed-in user's tokens) and serves until its stdin closes.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

if (process.argv[2] === '--serve') {
  const { startDevBackend } = await import('@codex-ts/dev-backend');
  const backend = await startDevBackend();
  const tokens = await backend.issueTokens({ email: process.argv[3] });
  const { chatgptBaseUrl, tokenUrl } = backend;
  process.stdout.write(`${JSON.stringify({ chatgptBaseUrl, tokenUrl, tokens })}\n`);
  process.stdin.resume();
  process.stdin.once('end', () => void backend.close().then(() => process.exit(0)));
}

/** Starts the dev backend in a child process; `close()` ends it. */
export async function startBackendProcess(email) {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--serve', email], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const [line] = await Promise.race([
    once(lines, 'line'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`the dev backend process exited with ${code} before it was ready`);
    }),
  ]);
  lines.close();
  return {
    ...JSON.parse(line),
    async close() {
      const exited = once(child, 'exit');
      child.stdin.end();
      await exited;
    },
  };
}
