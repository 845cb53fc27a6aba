// 100 concurrent thread/start with agent identity on, against the dev backend in process: exactly 100 thread-task
// registrations and 1 identity (exit non-zero otherwise); then the memory an idle loaded thread costs (reported:
// heap after 1,000 more idle threads, minus before, over 1,000; after a GC when --expose-gc is on).

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { startDevBackend } from '@codex-ts/dev-backend';
import { chatgptAuthJson } from '@codex-ts/dev-backend/testing';
import { AppServer, createLogger } from '../dist/index.js';

const backend = await startDevBackend();
const home = mkdtempSync(join(tmpdir(), 'codex-ts-threads-bench-'));
writeFileSync(
  join(home, 'config.toml'),
  `chatgpt_base_url = "${backend.chatgptBaseUrl}"\n[features]\nuse_agent_identity = true\n`,
);
const t = await backend.issueTokens({ email: 'threads-bench@example.com' });
writeFileSync(join(home, 'auth.json'), JSON.stringify(chatgptAuthJson(t)), {
  mode: 0o600,
});
const server = await AppServer.create({
  env: { CODEX_HOME: home, CODEX_REFRESH_TOKEN_URL_OVERRIDE: backend.tokenUrl },
  logger: createLogger({ format: 'json', level: 'error', write: () => {} }),
});
const input = new PassThrough();
const output = new PassThrough();
const done = server.serveStdio(input, output);
const waiting = new Map();
let buf = '';
output.setEncoding('utf8');
output.on('data', (d) => {
  buf += d;
  let i = buf.indexOf('\n');
  while (i >= 0) {
    const m = JSON.parse(buf.slice(0, i));
    buf = buf.slice(i + 1);
    if (m.id !== undefined) waiting.get(m.id)?.(m);
    i = buf.indexOf('\n');
  }
});
let nextId = 1;
const call = (method, params) =>
  new Promise((resolve) => {
    const id = nextId++;
    waiting.set(id, resolve);
    input.write(`${JSON.stringify({ id, method, params })}\n`);
  });
await call('initialize', { clientInfo: { name: 'bench', version: '1' } });

const registered = new Set();
const all = new Promise((resolve) =>
  server.context.auth.onThreadTask((id) => {
    registered.add(id);
    if (registered.size === 100) resolve();
  }),
);
const identitiesBefore = backend.identities().length;
const t0 = performance.now();
const started = await Promise.all(Array.from({ length: 100 }, () => call('thread/start', {})));
const answeredMs = performance.now() - t0;
await all;
const registeredMs = performance.now() - t0;
const ids = new Set(started.map((r) => r.result.thread.id));
const taskRegistrations = backend
  .tasks()
  .filter((x) => x.kind === 'thread' && ids.has(x.externalTaskRef)).length;
const identities = backend.identities().length - identitiesBefore;

const gc = globalThis.gc;
gc?.();
const before = process.memoryUsage().heapUsed;
for (let i = 0; i < 10; i++) await Promise.all(Array.from({ length: 100 }, () => call('thread/start', {})));
gc?.();
const perThread = (process.memoryUsage().heapUsed - before) / 1000;

console.table([
  {
    '100 thread/start answered (ms)': answeredMs.toFixed(0),
    'all 100 tasks registered (ms)': registeredMs.toFixed(0),
    'thread-task registrations': taskRegistrations,
    identities,
    'heap per idle loaded thread (KiB)': (perThread / 1024).toFixed(1),
  },
]);
input.end();
await done;
await server.close();
await backend.close();
if (taskRegistrations !== 100 || identities !== 1) {
  console.error(
    `MISS: expected 100 registrations and 1 identity, got ${taskRegistrations} and ${identities}`,
  );
  process.exit(1);
}
