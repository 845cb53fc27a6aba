// Warm default authorization (AuthManager, identity + background task cached) vs the bare signer, and the bearer path.
// Starts the dev backend in process to register, closes it, then measures with no network at all.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentKey, createAgentSigner } from '@codex-ts/agent-identity';
import { startDevBackend } from '@codex-ts/dev-backend';
import { pino } from 'pino';
import { AuthManager } from '../dist/index.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 20_000);

const backend = await startDevBackend();
const home = mkdtempSync(join(tmpdir(), 'codex-ts-login-bench-'));
writeFileSync(
  join(home, 'config.toml'),
  `chatgpt_base_url = "${backend.chatgptBaseUrl}"\n[features]\nuse_agent_identity = true\n`,
);
const t = await backend.issueTokens({ email: 'bench@example.com' });
writeFileSync(
  join(home, 'auth.json'),
  JSON.stringify({ OPENAI_API_KEY: null, tokens: t, last_refresh: new Date().toISOString() }),
  { mode: 0o600 },
);
const logger = pino({ level: 'silent' });
const manager = await AuthManager.create({
  codexHome: home,
  env: { CODEX_REFRESH_TOKEN_URL_OVERRIDE: backend.tokenUrl },
  logger,
});
const bearerManager = await AuthManager.create({
  codexHome: home,
  env: {},
  logger,
  config: { useAgentIdentity: false },
});
const request = { url: new URL(`${backend.chatgptBaseUrl}/wham/usage`), method: 'GET' };
const provider = manager.defaultProvider();
const bearer = bearerManager.defaultProvider();
const first = await provider.headers(request); // registers identity + background task
if (!first.Authorization?.startsWith('AgentAssertion '))
  throw new Error('warm-up did not produce an assertion');
await bearer.headers(request);
const thread = manager.threadProvider('bench-thread');
await thread.headers(request); // registers the thread task
await backend.close(); // from here on, any network use would fail

const record = JSON.parse(readFileSync(join(home, 'auth.json'), 'utf8')).codex_ts_agent_identity;
const signer = createAgentSigner({
  agentRuntimeId: record.agent_runtime_id,
  key: AgentKey.fromPkcs8Base64(record.agent_private_key),
});
const target = { agentRuntimeId: record.agent_runtime_id, taskId: record.background_task_id };

let sink = 0;
const cases = {
  'signer.authorizationHeader': async () => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < ITERATIONS; i++) sink += signer.authorizationHeader(target).length;
    return Number(process.hrtime.bigint() - t0) / ITERATIONS;
  },
  'AuthManager default (assertion)': async () => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < ITERATIONS; i++) sink += (await provider.headers(request)).Authorization.length;
    return Number(process.hrtime.bigint() - t0) / ITERATIONS;
  },
  'AuthManager thread provider (assertion)': async () => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < ITERATIONS; i++) sink += (await thread.headers(request)).Authorization.length;
    return Number(process.hrtime.bigint() - t0) / ITERATIONS;
  },
  'AuthManager default (bearer, flag off)': async () => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < ITERATIONS; i++) sink += (await bearer.headers(request)).Authorization.length;
    return Number(process.hrtime.bigint() - t0) / ITERATIONS;
  },
};

const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (const fn of Object.values(cases)) await fn(); // JIT warm-up
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, fn] of Object.entries(cases)) samples[name].push(await fn());
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(samples['signer.authorizationHeader']);
console.log(
  `node ${process.version}, ${ROUNDS} rounds × ${ITERATIONS} iterations, median ns/op (no network)`,
);
for (const [name, xs] of Object.entries(samples)) {
  const m = median(xs);
  console.log(`${name.padEnd(40)} ${m.toFixed(0).padStart(8)} ns/op   ${(m / base).toFixed(3)}× signer`);
}
const ratio = median(samples['AuthManager default (assertion)']) / base;
console.log(`warm default / signer ratio: ${ratio.toFixed(3)} (goal ≤ 1.2) ${ratio <= 1.2 ? 'OK' : 'OVER'}`);
if (sink === 0) console.log('');
