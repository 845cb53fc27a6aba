// SSE decoding: events per second for a recorded 10,000-event stream, decoded into typed events by a turn,
// against reading the same bytes over the same loopback connection with no decoding. Goal: ≥ 0.5.
import { bearerAuthProvider } from '@codex-ts/auth-provider';
import { createModelSession, parseModelProviderInfo } from '../dist/index.js';
import { median, recordStream, serveStream } from './recorded-stream.mjs';

const GOAL = 0.5;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);

const body = await recordStream(9_994);
const events = body
  .toString('utf8')
  .split('\n\n')
  .filter((frame) => frame.trim() !== '').length;
if (events !== 10_000) throw new Error(`expected a 10,000-event recording, got ${events}`);
const server = await serveStream(body);
const session = createModelSession({
  provider: parseModelProviderInfo({ name: 'Bench', baseUrl: server.url }),
  auth: bearerAuthProvider({ token: 'bench-token' }),
  threadId: 'bench',
});
const request = { model: 'dev-echo', instructions: '', input: [] };

async function rawRead() {
  const t0 = process.hrtime.bigint();
  const response = await fetch(`${server.url}/responses`, { method: 'POST', body: '{}' });
  let bytes = 0;
  for await (const chunk of response.body) bytes += chunk.length;
  if (bytes !== body.length) throw new Error('short read');
  return events / (Number(process.hrtime.bigint() - t0) / 1e9);
}

async function decoded() {
  const t0 = process.hrtime.bigint();
  let count = 0;
  for await (const event of session.stream(request)) if (event.type !== 'metadata') count++;
  if (count < 9_990) throw new Error(`decoded only ${count} events`);
  return events / (Number(process.hrtime.bigint() - t0) / 1e9);
}

for (let i = 0; i < 3; i++) {
  await rawRead();
  await decoded();
}
const raw = await median(ROUNDS, rawRead);
const typed = await median(ROUNDS, decoded);
await server.close();

const ratio = typed / raw;
const fmt = (n) => Math.round(n).toLocaleString('en-US');
console.log(
  `raw read of the recorded stream:   ${fmt(raw)} events/s (${(body.length / 1e6).toFixed(2)} MB, ${events} events)`,
);
console.log(`decoded into typed turn events:    ${fmt(typed)} events/s`);
console.log(`ratio ${ratio.toFixed(2)} (goal ≥ ${GOAL})`);
if (ratio < GOAL) {
  console.error(`SSE decoding missed its goal: ${ratio.toFixed(2)} < ${GOAL}`);
  process.exit(1);
}
