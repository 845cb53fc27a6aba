// A turn on loopback through the app-server (turn/start → turn/completed, in process over a stdio pair) against the
// same turn through model-provider directly (ModelSession.stream with login's thread provider), on the dev backend
// (a process of its own, as a real backend is) with agent identity on. Goal: ≤ 1.10× (median of per-pair ratios, at
// steady state); exit non-zero on a miss. The first turns of a fresh process, while its code is still being compiled,
// are timed too and reported beside it.
//
// The measurement is repeated in several sessions, each on new threads (a new history) both ways, and the figure is
// the median over the pairs of every session: each session's turns are the same (the same history lengths), so more
// sessions make the figure steadier without changing what it measures.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { chatgptAuthJson } from '@codex-ts/dev-backend/testing';
import { AuthManager } from '@codex-ts/login';
import { createModelSession, providerAuth, resolveModelProvider } from '@codex-ts/model-provider';
import { AppServer, createLogger } from '../dist/index.js';
import { startBackendProcess } from './backend-process.mjs';

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 5);
/** Timed pairs per session (the history grows by one turn each way per pair). */
const PAIRS = Number(process.env.BENCH_PAIRS ?? 140);
/**
 * Pairs each session runs before its timed ones: in the first session, V8 compiles the hot code of both paths by then
 * (see the printout); in every session, they grow the history the timed pairs start from.
 */
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

// Direct: model-provider with login's thread provider; each session a thread of its own.
const manager = await AuthManager.create({ codexHome: home, env, logger: silent });
const { provider } = resolveModelProvider(
  { chatgpt_base_url: backend.chatgptBaseUrl },
  { authMode: 'chatgpt', env: {} },
);
function directThread(id) {
  const session = createModelSession({
    provider,
    auth: providerAuth(provider, { auth: manager.threadProvider(id) }),
    threadId: id,
    env: {},
  });
  // The same request the app-server sends: the thread's whole history, then the new message.
  const history = [];
  return async function direct() {
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
  };
}

// Through the app-server: one client, each session a thread of its own.
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
async function serverThread() {
  const started = await call('thread/start', { model: 'dev-echo' });
  const threadId = started.result.thread.id;
  return async function viaServer() {
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
  };
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
const all = { direct: [], server: [], ratios: [] };
const rows = [];
let firstWarmup = [];
for (let k = 1; k <= SESSIONS; k++) {
  const direct = directThread(`bench-direct-thread-${k}`);
  const viaServer = await serverThread();
  const pair = async (i) => {
    if (i % 2 === 0) {
      const d = await timed(direct);
      return { d, s: await timed(viaServer) };
    }
    const s = await timed(viaServer);
    return { d: await timed(direct), s };
  };
  // Set both threads up (tasks, and in the first session the identity and connections): not timed.
  for (let i = 0; i < 3; i++) {
    await direct();
    await viaServer();
  }
  // The first session's warm-up pairs are the first pairs of a fresh process: the server's code runs before V8 has
  // optimized it (ten runs read 1.12–1.22× here, median 1.18×). Timed and reported, not held to the goal, which is
  // what a turn costs once the process is warm.
  const warmup = [];
  for (let i = 0; i < WARMUP_PAIRS; i++) {
    const { d, s } = await pair(i);
    warmup.push(s / d);
  }
  if (k === 1) firstWarmup = warmup;
  const session = { direct: [], server: [], ratios: [] };
  for (let i = 0; i < PAIRS; i++) {
    const { d, s } = await pair(i);
    for (const into of [session, all]) {
      into.direct.push(d);
      into.server.push(s);
      into.ratios.push(s / d);
    }
  }
  rows.push({
    session: k,
    'model-provider direct (median ms/turn)': median(session.direct).toFixed(2),
    'through app-server (median ms/turn)': median(session.server).toFixed(2),
    'median pair ratio': median(session.ratios).toFixed(3),
  });
}
console.table(rows);
const ratio = median(all.ratios);
if (firstWarmup.length > 0) {
  console.log(
    `the first ${firstWarmup.length} pairs of the process (code not yet optimized; reported, no goal): ` +
      `${median(firstWarmup).toFixed(3)}×`,
  );
}
console.log(
  `turn through the app-server: ${ratio.toFixed(3)}× model-provider direct over ${all.ratios.length} pairs ` +
    `(${SESSIONS} sessions of ${PAIRS}, after each session's ${WARMUP_PAIRS} warm-up pairs; goal ≤ ${GOAL}×); ` +
    `summed times ${(sum(all.server) / sum(all.direct)).toFixed(3)}×`,
);
input.end();
await done;
await server.close();
await backend.close();
if (ratio > GOAL) {
  console.error(`MISS: ${ratio.toFixed(3)}× > ${GOAL}×`);
  process.exit(1);
}
