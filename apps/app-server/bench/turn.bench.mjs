// A turn on loopback through the app-server (turn/start → turn/completed, in process over a stdio pair) against the
// same turn through model-provider directly (ModelSession.stream with login's thread provider), on the dev backend
// (a process of its own, as a real backend is) with agent identity on. Goal: ≤ 1.10× (median of per-pair ratios, at
// steady state); exit non-zero on a miss. The first turns of a fresh process, while its code is still being compiled,
// are timed too and reported beside it.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { chatgptAuthJson } from '@codex-ts/dev-backend/testing';
import { AuthManager } from '@codex-ts/login';
import { createModelSession, providerAuth, resolveModelProvider } from '@codex-ts/model-provider';
import { AppServer, createLogger } from '../dist/index.js';
import { startBackendProcess } from './backend-process.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const TURNS = Number(process.env.BENCH_TURNS ?? 20);
/** Pairs run before the measured rounds: V8 compiles the hot code of both paths by then (see the printout). */
const WARMUP_PAIRS = Number(process.env.BENCH_WARMUP_PAIRS ?? 40);
const GOAL = 1.1;

const backend = await startBackendProcess('turn-bench@example.com');
const home = mkdtempSync(join(tmpdir(), 'codex-ts-turn-bench-'));
writeFileSync(
  join(home, 'config.toml'),
  `chatgpt_base_url = "${backend.chatgptBaseUrl}"\n[features]\nuse_agent_identity = true\n`,
);
writeFileSync(join(home, 'auth.json'), JSON.stringify(chatgptAuthJson(backend.tokens)), {
  mode: 0o600,
});
const env = { CODEX_HOME: home, CODEX_REFRESH_TOKEN_URL_OVERRIDE: backend.tokenUrl };
const silent = createLogger({ format: 'json', level: 'error', write: () => {} });

// Direct: model-provider with login's thread provider.
const manager = await AuthManager.create({ codexHome: home, env, logger: silent });
const directThread = 'bench-direct-thread';
const { provider } = resolveModelProvider(
  { chatgpt_base_url: backend.chatgptBaseUrl },
  { authMode: 'chatgpt', env: {} },
);
const session = createModelSession({
  provider,
  auth: providerAuth(provider, { auth: manager.threadProvider(directThread) }),
  threadId: directThread,
  env: {},
});
// The same request the app-server sends: the thread's whole history, then the new message.
const history = [];
async function direct() {
  const user = {
    type: 'message',
    role: 'user',
    content: [{ type: 'input_text', text: 'hello from the bench' }],
  };
  let text = '';
  const request = {
    model: 'dev-echo',
    instructions: 'You are Codex, a coding agent. Answer the user concisely and accurately.',
    input: [...history, user],
  };
  for await (const e of session.stream(request)) {
    if (e.type === 'output_text.delta') text += e.delta;
  }
  if (!text.startsWith('Echo:')) throw new Error('direct turn produced no echo');
  history.push(user, { type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] });
}

// Through the app-server.
const server = await AppServer.create({ env, logger: silent });
const input = new PassThrough();
const output = new PassThrough();
const done = server.serveStdio(input, output);
const waiting = new Map();
const listeners = new Set();
let buf = '';
output.setEncoding('utf8');
output.on('data', (d) => {
  buf += d;
  for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
    const m = JSON.parse(buf.slice(0, i));
    buf = buf.slice(i + 1);
    if (m.id !== undefined) waiting.get(m.id)?.(m);
    else for (const l of listeners) l(m);
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
const started = await call('thread/start', { model: 'dev-echo' });
const threadId = started.result.thread.id;
async function viaServer() {
  const completed = new Promise((resolve) => {
    const l = (m) => {
      if (m.method === 'turn/completed') {
        listeners.delete(l);
        resolve(m.params);
      }
    };
    listeners.add(l);
  });
  await call('turn/start', {
    threadId,
    input: [{ type: 'text', text: 'hello from the bench', text_elements: [] }],
  });
  const { turn } = await completed;
  if (turn.status !== 'completed') throw new Error(`turn ${turn.status}: ${JSON.stringify(turn.error)}`);
}

// Set both paths up (identity, tasks, connections): not timed.
for (let i = 0; i < 3; i++) {
  await direct();
  await viaServer();
}
// Turns are taken in pairs, one each way, the order alternating from pair to pair, so both paths see the same
// moment of a busy machine; the figure is the median of the pairs' ratios. The ratio of the summed times is
// printed too: it also carries what the median leaves out (the analytics batch sent once a second).
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const sum = (values) => values.reduce((a, b) => a + b, 0);
const timed = async (fn) => {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
};
async function pair(i) {
  if (i % 2 === 0) {
    const d = await timed(direct);
    return { d, s: await timed(viaServer) };
  }
  const s = await timed(viaServer);
  return { d: await timed(direct), s };
}
// The first pairs of a fresh process: the server's code runs before V8 has optimized it (ten runs read 1.12–1.22×
// here, median 1.18×, where the pairs after them read 1.06–1.12×). Timed and reported, not held to the goal, which
// is what a turn costs once the process is warm.
const warmup = [];
for (let i = 0; i < WARMUP_PAIRS; i++) {
  const { d, s } = await pair(i);
  warmup.push(s / d);
}
const all = { direct: [], server: [], ratios: [] };
const rows = [];
for (let r = 0; r < ROUNDS; r++) {
  const round = { direct: [], server: [], ratios: [] };
  for (let i = 0; i < TURNS; i++) {
    const { d, s } = await pair(i);
    for (const into of [round, all]) {
      into.direct.push(d);
      into.server.push(s);
      into.ratios.push(s / d);
    }
  }
  rows.push({
    round: r + 1,
    'model-provider direct (median ms/turn)': median(round.direct).toFixed(2),
    'through app-server (median ms/turn)': median(round.server).toFixed(2),
    'median pair ratio': median(round.ratios).toFixed(3),
  });
}
console.table(rows);
const ratio = median(all.ratios);
if (warmup.length > 0) {
  console.log(
    `the first ${warmup.length} pairs of the process (code not yet optimized; reported, no goal): ` +
      `${median(warmup).toFixed(3)}×`,
  );
}
console.log(
  `turn through the app-server: ${ratio.toFixed(3)}× model-provider direct over ${all.ratios.length} pairs ` +
    `after those (goal ≤ ${GOAL}×); summed times ${(sum(all.server) / sum(all.direct)).toFixed(3)}×`,
);
input.end();
await done;
await server.close();
await backend.close();
if (ratio > GOAL) {
  console.error(`MISS: ${ratio.toFixed(3)}× > ${GOAL}×`);
  process.exit(1);
}
