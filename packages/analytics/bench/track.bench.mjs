// track() cost per call against a bare bounded push (the floor any queue pays), and the memory held after
// 100,000 facts while the backend is down (connection refused). Run with --expose-gc (the bench script does).
// Goals: track() median ≤ 2 µs per call; retained heap bounded (≤ 4 MiB, queue ≤ 256 facts). Exits 1 on a miss.

import { createServer } from 'node:net';
import { bearerAuthProvider } from '@codex-ts/auth-provider';
import { createAnalyticsClient } from '../dist/index.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 31);
const PER_ROUND = 200; // below the queue capacity, so every call takes the accept path
const silent = { warn() {} };
const runtime = {
  codex_rs_version: '0',
  runtime_os: 'linux',
  runtime_os_version: '0',
  runtime_arch: 'x86_64',
};

// A port nobody listens on: take one, close it.
const port = await new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address();
    s.close(() => resolve(port));
  });
});
const baseUrl = `http://127.0.0.1:${port}/backend-api`;
const provider = bearerAuthProvider({ token: 'bench-token' });
const fact = (i) => ({
  type: 'app_used',
  tracking: { threadId: 'thread-1', turnId: `turn-${i}`, modelSlug: 'gpt-5' },
  app: { connectorId: `c${i % 7}`, appName: 'App', invocationType: 'explicit' },
});
const facts = Array.from({ length: PER_ROUND * ROUNDS * 2 }, (_, i) => fact(i));
const tick = () => new Promise((resolve) => setImmediate(resolve));

async function perCall(track) {
  const samples = [];
  let offset = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < PER_ROUND; i++) track(facts[offset + i]);
    samples.push(Number(process.hrtime.bigint() - t0) / PER_ROUND);
    offset += PER_ROUND;
    await tick();
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)];
}

const floorQueue = [];
const floor = (f) => {
  if (floorQueue.length < 256) floorQueue.push(f);
};
const client = createAnalyticsClient({ baseUrl, provider, runtime, logger: silent });
await perCall(floor); // warm-up
await perCall((f) => client.track(f));
floorQueue.length = 0;
const floorNs = await perCall((f) => {
  floor(f);
  if (floorQueue.length >= 256) floorQueue.length = 0;
});
const trackNs = await perCall((f) => client.track(f));
await client.flush({ timeoutMs: 2_000 });

// Memory: 100,000 facts into a client whose backend refuses connections.
globalThis.gc();
const before = process.memoryUsage().heapUsed;
const down = createAnalyticsClient({ baseUrl, provider, runtime, logger: silent });
for (let i = 0; i < 100_000; i++) {
  down.track(fact(i));
  if (i % 1_000 === 0) await tick();
}
const queued = down.queued;
globalThis.gc();
const held = process.memoryUsage().heapUsed - before;
await down.flush({ timeoutMs: 2_000 });

console.log(`node ${process.version}, ${ROUNDS} rounds × ${PER_ROUND} calls, median ns/call`);
console.log(`bounded push (floor)   ${floorNs.toFixed(0).padStart(6)} ns/call   1.000×`);
console.log(
  `AnalyticsClient.track  ${trackNs.toFixed(0).padStart(6)} ns/call   ${(trackNs / floorNs).toFixed(3)}× floor`,
);
const trackOk = trackNs <= 2_000;
console.log(`track() median: ${trackNs.toFixed(0)} ns (goal ≤ 2000) ${trackOk ? 'OK' : 'OVER'}`);
const memOk = held <= 4 * 1024 * 1024 && queued <= 256;
console.log(
  `memory held after 100,000 facts, backend down: ${(held / 1024).toFixed(0)} KiB, ${queued} facts queued (goal ≤ 4096 KiB, ≤ 256 queued) ${memOk ? 'OK' : 'OVER'}`,
);
if (!trackOk || !memOk) process.exitCode = 1;
