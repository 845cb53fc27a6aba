// Listing 1,000 cloud tasks over 10 pages through HttpCloudBackend → BackendClient, authorized with a fresh
// AgentAssertion per request (agent-identity's signer, key parsed once) against a bearer token, in one run.
// The page servers run in child processes, so the time measured is what the client waits for a listing.
//
// Two settings, each with listings alternating one by one (the order flipped every pair) so both schemes see
// the same machine load; each ratio is the median of the per-pair ratios:
//   - a 10 ms round trip per request (a conservative stand-in for chatgpt.com, which is slower): the GATE,
//     assertion / bearer ≤ 1.05;
//   - a zero-latency loopback server: reported only; there the ratio is one Ed25519 signature per request
//     against the client's parse of a 100-task page.
// Every listing must make exactly 10 requests (no page fetched twice).

import { fork } from 'node:child_process';
import { AgentKey, createAgentSigner } from '@codex-ts/agent-identity';
import { bearerAuthProvider } from '@codex-ts/auth-provider';
import { BackendClient } from '@codex-ts/backend-client';
import { HttpCloudBackend } from '../dist/index.js';

const GOAL = 1.05;
const TASKS = 1000;
const PAGE = 100;
const PAGES = TASKS / PAGE;

const signer = createAgentSigner({ agentRuntimeId: 'agent_bench', key: AgentKey.generate() });
const task = { agentRuntimeId: 'agent_bench', taskId: 'task_bench' };
const assertion = {
  specificationVersion: 'v1',
  async headers() {
    return { Authorization: signer.authorizationHeader(task), 'ChatGPT-Account-ID': 'acct_bench' };
  },
  describe: () => ({ scheme: 'agent-assertion', accountId: 'acct_bench' }),
};
const bearer = bearerAuthProvider({ token: `bench.${'x'.repeat(900)}`, accountId: 'acct_bench' });

async function startServer(delayMs) {
  const server = fork(new URL('./page-server.mjs', import.meta.url), [String(TASKS), String(delayMs)], {
    stdio: 'inherit',
  });
  const url = await new Promise((resolve) => server.once('message', (m) => resolve(m.url)));
  const count = () =>
    new Promise((resolve) => {
      server.once('message', (m) => resolve(m.count));
      server.send('count');
    });
  return { url, count, close: () => server.kill() };
}

async function listAll(backend) {
  let cursor;
  let total = 0;
  do {
    const page = await backend.listTasks({ limit: PAGE, cursor });
    total += page.tasks.length;
    cursor = page.cursor;
  } while (cursor);
  if (total !== TASKS) throw new Error(`listed ${total} tasks, expected ${TASKS}`);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function run(delayMs, pairs) {
  const server = await startServer(delayMs);
  const backends = {
    bearer: new HttpCloudBackend(new BackendClient({ baseUrl: server.url, auth: bearer })),
    assertion: new HttpCloudBackend(new BackendClient({ baseUrl: server.url, auth: assertion })),
  };
  const timeOne = async (name) => {
    const t0 = process.hrtime.bigint();
    await listAll(backends[name]);
    return Number(process.hrtime.bigint() - t0) / 1e6;
  };
  for (let i = 0; i < 3; i++) for (const name of Object.keys(backends)) await timeOne(name); // warm up
  const before = await server.count();
  const samples = { bearer: [], assertion: [] };
  const ratios = [];
  for (let pair = 0; pair < pairs; pair++) {
    const order = pair % 2 === 0 ? ['bearer', 'assertion'] : ['assertion', 'bearer'];
    const times = {};
    for (const name of order) times[name] = await timeOne(name);
    samples.bearer.push(times.bearer);
    samples.assertion.push(times.assertion);
    ratios.push(times.assertion / times.bearer);
  }
  const requests = (await server.count()) - before;
  server.close();
  if (requests !== pairs * 2 * PAGES) throw new Error(`${requests} requests for ${pairs * 2} listings`);
  const result = {
    bearerMs: median(samples.bearer),
    assertionMs: median(samples.assertion),
    ratio: median(ratios),
    requests,
  };
  console.log(
    `${delayMs} ms round trip: ${pairs * 2} listings of ${TASKS} tasks, ${requests} requests (${PAGES} per listing, no page fetched twice)`,
  );
  console.log(`  bearer    ${result.bearerMs.toFixed(2)} ms per listing`);
  console.log(`  assertion ${result.assertionMs.toFixed(2)} ms per listing`);
  console.log(`  ratio     ${result.ratio.toFixed(3)}`);
  return result;
}

const loopback = await run(0, Number(process.env.BENCH_PAIRS_LOOPBACK ?? 100));
const network = await run(10, Number(process.env.BENCH_PAIRS ?? 30));
console.log(
  `gate (10 ms round trip): ratio ${network.ratio.toFixed(3)} (goal ≤ ${GOAL}); zero-latency ratio ${loopback.ratio.toFixed(3)} (reported only)`,
);
if (network.ratio > GOAL) {
  console.error(`FAIL: an assertion listing takes ${network.ratio.toFixed(3)}× a bearer listing`);
  process.exit(1);
}
