// SSE decoding: events per second for a recorded 10,000-event stream (recorded from the dev backend in this run),
// read over loopback. Baseline: reading the same bytes with no decoding. Measured: the package's SSE reader
// (UTF-8 + eventsource-parser, bytes → event payloads; goal ≥ 0.5 of the raw read) and, reported only, a whole
// turn through a session (payloads → JSON → typed ModelEvents). Rounds alternate the order of raw and SSE; the
// goal is checked on the median of the per-round ratios (steadier on a shared machine than either's best).
import { bearerAuthProvider } from '@codex-ts/auth-provider';
import { createModelSession, parseModelProviderInfo } from '../dist/index.js';
import { sseData } from '../dist/sse-reader.js';
import { recordStream, serveStream } from './recorded-stream.mjs';

const GOAL = 0.5;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 31);

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
const post = () => fetch(`${server.url}/responses`, { method: 'POST', body: '{}' });
const seconds = (t0) => Number(process.hrtime.bigint() - t0) / 1e9;

async function rawRead() {
  const t0 = process.hrtime.bigint();
  let bytes = 0;
  for await (const chunk of (await post()).body) bytes += chunk.length;
  if (bytes !== body.length) throw new Error('short read');
  return events / seconds(t0);
}

async function sseDecoded() {
  const t0 = process.hrtime.bigint();
  let count = 0;
  for await (const batch of sseData((await post()).body, 60_000, 'bench')) count += batch.length;
  if (count !== events) throw new Error(`decoded ${count} SSE events`);
  return events / seconds(t0);
}

async function typedTurn() {
  const t0 = process.hrtime.bigint();
  let count = 0;
  for await (const event of session.stream(request)) if (event.type !== 'metadata') count++;
  if (count !== events) throw new Error(`decoded ${count} typed events`);
  return events / seconds(t0);
}

for (let i = 0; i < 3; i++) {
  await rawRead();
  await sseDecoded();
  await typedTurn();
}
const rounds = [];
for (let r = 0; r < ROUNDS; r++) {
  // Alternate which of raw and SSE goes first, so a burst of load elsewhere does not always hit the same one.
  const first = r % 2 === 0 ? await rawRead() : await sseDecoded();
  const second = r % 2 === 0 ? await sseDecoded() : await rawRead();
  const [raw, sse] = r % 2 === 0 ? [first, second] : [second, first];
  const typed = await typedTurn();
  rounds.push({ raw, sse, typed, sseRatio: sse / raw, typedRatio: typed / raw });
}
await server.close();

const median = (key) => rounds.map((r) => r[key]).sort((a, b) => a - b)[Math.floor(rounds.length / 2)];
const best = (key) => Math.max(...rounds.map((r) => r[key]));
const fmt = (n) => Math.round(n).toLocaleString('en-US');
const ratio = median('sseRatio');
console.log(
  `recorded stream: ${events} events, ${(body.length / 1e6).toFixed(2)} MB; ${ROUNDS} rounds, best (median)`,
);
console.log(`  raw read (no decoding)         ${fmt(best('raw'))} (${fmt(median('raw'))}) events/s`);
console.log(`  SSE decoding (payloads)        ${fmt(best('sse'))} (${fmt(median('sse'))}) events/s`);
console.log(`  whole turn (typed ModelEvents) ${fmt(best('typed'))} (${fmt(median('typed'))}) events/s`);
console.log(`SSE decoding / raw read: ${ratio.toFixed(2)}, the median of per-round ratios (goal ≥ ${GOAL})`);
console.log(`whole typed turn / raw read: ${median('typedRatio').toFixed(2)} (reported)`);
if (ratio < GOAL) {
  console.error(`SSE decoding missed its goal: ${ratio.toFixed(2)} < ${GOAL}`);
  process.exit(1);
}
