// MCP tools/call round trip on loopback against the dev backend's apps MCP server: the background task's
// AgentAssertion (signed per request, verified by the server) against bearer. Goal: assertion / bearer ≤ 1.10
// (median of per-round ratios). Exits 1 on a miss.

import { startDevBackend } from '@codex-ts/dev-backend';
import { agentTestAccount } from '@codex-ts/dev-backend/testing';
import { CodexAppsConnection } from '../dist/index.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 31);
const CALLS = Number(process.env.BENCH_CALLS ?? 60);

const backend = await startDevBackend();
const base = backend.chatgptBaseUrl;
const { background: assertion, bearer } = await agentTestAccount(backend, { email: 'mcp-bench@example.com' });
await assertion.register();

const connections = {
  assertion: new CodexAppsConnection({ chatgptBaseUrl: base, provider: assertion, env: {} }),
  bearer: new CodexAppsConnection({ chatgptBaseUrl: base, provider: bearer, env: {} }),
};
for (const c of Object.values(connections)) await c.start();

async function round(connection) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) {
    const result = await connection.callTool('mcp__codex_apps__github_echo', { text: `call ${i}` });
    if (result.isError) throw new Error('the echo tool failed');
  }
  return Number(process.hrtime.bigint() - t0) / CALLS / 1_000;
}

await round(connections.assertion); // warm-up
await round(connections.bearer);
const ratios = [];
const times = { assertion: [], bearer: [] };
for (let r = 0; r < ROUNDS; r++) {
  // Alternate which goes first, so drift in machine load falls on both sides.
  const first = r % 2 === 0 ? 'bearer' : 'assertion';
  const one = await round(connections[first]);
  const other = await round(connections[first === 'bearer' ? 'assertion' : 'bearer']);
  const [b, a] = first === 'bearer' ? [one, other] : [other, one];
  times.bearer.push(b);
  times.assertion.push(a);
  ratios.push(a / b);
}
for (const c of Object.values(connections)) await c.close();
const scheme = new Set(backend.requests({ path: '/backend-api/wham/apps' }).map((r) => r.authScheme));
await backend.close();

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ratio = median(ratios);
console.log(`node ${process.version}, ${ROUNDS} rounds × ${CALLS} tools/call, dev backend on loopback`);
console.log(`bearer     ${median(times.bearer).toFixed(0).padStart(6)} µs/call   1.000×`);
console.log(
  `assertion  ${median(times.assertion).toFixed(0).padStart(6)} µs/call   ${ratio.toFixed(3)}× bearer`,
);
console.log(`schemes seen by the server: ${[...scheme].sort().join(', ')}`);
const ok = ratio <= 1.1 && scheme.has('assertion') && scheme.has('bearer');
console.log(`tools/call assertion / bearer: ${ratio.toFixed(3)} (goal ≤ 1.10) ${ok ? 'OK' : 'OVER'}`);
if (!ok) process.exitCode = 1;
