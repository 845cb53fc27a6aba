// Client-side cost of a warm turn signed with a fresh AgentAssertion against the same turn with a bearer token:
// CPU time of this process (the server runs in a child process), on loopback, for a recorded 1,000-event turn
// (the goal, ≤ 1.05×) and, reported only, a short 300-event turn, where one Ed25519 signature weighs more.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { AgentKey, createAgentSigner } from '@codex-ts/agent-identity';
import { bearerAuthProvider } from '@codex-ts/auth-provider';
import { createModelSession, parseModelProviderInfo } from '../dist/index.js';
import { median, recordStream } from './recorded-stream.mjs';

const GOAL = 1.05;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 31);
const TURNS = Number(process.env.BENCH_TURNS ?? 30);

async function serveInChild(body) {
  const child = fork(new URL('./stream-server-child.mjs', import.meta.url), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  child.send(body.toString('base64'));
  const [url] = await once(child, 'message');
  return { child, url };
}

const signer = createAgentSigner({ agentRuntimeId: 'agent_bench', key: AgentKey.generate() });
const assertion = {
  specificationVersion: 'v1',
  describe: () => ({ scheme: 'agent-assertion', accountId: 'acct-bench' }),
  headers: async (request) => {
    request.signal?.throwIfAborted();
    return { Authorization: signer.authorizationHeader('task_bench'), 'ChatGPT-Account-ID': 'acct-bench' };
  },
};
const bearer = bearerAuthProvider({ token: 'bench-access-token-0123456789', accountId: 'acct-bench' });
const request = { model: 'dev-echo', instructions: '', input: [{ role: 'user', content: 'go' }] };

async function turns(session) {
  const before = process.cpuUsage();
  for (let i = 0; i < TURNS; i++) {
    for await (const _ of session.stream(request));
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / TURNS;
}

const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function compare(events) {
  const body = await recordStream(events - 6);
  const { child, url } = await serveInChild(body);
  const provider = parseModelProviderInfo({ name: 'Bench', baseUrl: url });
  const sessions = {
    bearer: createModelSession({ provider, auth: bearer, threadId: 'bench' }),
    assertion: createModelSession({ provider, auth: assertion, threadId: 'bench' }),
  };
  await turns(sessions.bearer);
  await turns(sessions.assertion);
  // Rounds go in pairs, one each way, the order alternating, so both sides of a pair see the same moment of a busy
  // machine (and a garbage collection lands in one pair, not in one side's median); the figure is the median of
  // the pairs' ratios.
  const results = { bearer: [], assertion: [], ratios: [] };
  for (let r = 0; r < ROUNDS; r++) {
    const pair = {};
    for (const name of r % 2 === 0 ? ['bearer', 'assertion'] : ['assertion', 'bearer']) {
      pair[name] = await turns(sessions[name]);
      results[name].push(pair[name]);
    }
    results.ratios.push(pair.assertion / pair.bearer);
  }
  child.kill();
  const ratio = med(results.ratios);
  console.log(`${events}-event turn (${body.length} bytes), ${TURNS} turns × ${ROUNDS} pairs of rounds:`);
  console.log(`  bearer          ${med(results.bearer).toFixed(0)} µs client CPU per turn (median round)`);
  console.log(`  AgentAssertion  ${med(results.assertion).toFixed(0)} µs client CPU per turn (median round)`);
  console.log(`  median pair ratio ${ratio.toFixed(3)}`);
  return ratio;
}

const short = await compare(300);
const ratio = await compare(1_000);
console.log(
  `goal: the 1,000-event turn ≤ ${GOAL}× (got ${ratio.toFixed(3)}; the 300-event turn, reported only: ${short.toFixed(3)})`,
);
void median;
if (ratio > GOAL) {
  console.error(`assertion turn cost missed its goal: ${ratio.toFixed(3)} > ${GOAL}`);
  process.exit(1);
}
