// Warm default authorization (AuthManager, identity + background task cached) vs the bare signer, and the bearer path.
// Starts the dev backend in process to register, closes it, then measures with no network at all.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentKey, createAgentSigner } from '@codex-ts/agent-identity';
import { startDevBackend } from '@codex-ts/dev-backend';
import { chatgptAuthJson } from '@codex-ts/dev-backend/testing';
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
writeFileSync(join(home, 'auth.json'), JSON.stringify(chatgptAuthJson(t)), { mode: 0o600 });
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
// Each case runs `n` iterations and returns the nanoseconds they took.
const cases = {
  'signer.authorizationHeader': async (n) => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) sink += signer.authorizationHeader(target).length;
    return Number(process.hrtime.bigint() - t0);
  },
  'AuthManager default (assertion)': async (n) => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) sink += (await provider.headers(request)).Authorization.length;
    return Number(process.hrtime.bigint() - t0);
  },
  'AuthManager thread provider (assertion)': async (n) => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) sink += (await thread.headers(request)).Authorization.length;
    return Number(process.hrtime.bigint() - t0);
  },
  'AuthManager default (bearer, flag off)': async (n) => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) sink += (await bearer.headers(request)).Authorization.length;
    return Number(process.hrtime.bigint() - t0);
  },
};

// Interleaved blocks: within a round every case runs in turn, block after block, so a change in machine load
// hits all cases alike; the ratio is taken per round (against the signer measured in that round), then the median.
const BLOCKS = 20;
const names = Object.keys(cases);
const samples = Object.fromEntries(names.map((k) => [k, []]));
const ratios = Object.fromEntries(names.map((k) => [k, []]));
for (const fn of Object.values(cases)) await fn(ITERATIONS / 4); // JIT warm-up
for (let r = 0; r < ROUNDS; r++) {
  const total = Object.fromEntries(names.map((k) => [k, 0]));
  for (let b = 0; b < BLOCKS; b++) {
    for (const name of names) total[name] += await cases[name](ITERATIONS / BLOCKS);
  }
  for (const name of names) {
    samples[name].push(total[name] / ITERATIONS);
    ratios[name].push(total[name] / total['signer.authorizationHeader']);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  `node ${process.version}, ${ROUNDS} rounds × ${ITERATIONS} iterations (interleaved in ${BLOCKS} blocks), medians (no network)`,
);
for (const name of names) {
  console.log(
    `${name.padEnd(40)} ${median(samples[name]).toFixed(0).padStart(8)} ns/op   ${median(ratios[name]).toFixed(3)}× signer`,
  );
}
const ratio = median(ratios['AuthManager default (assertion)']);
const ok = ratio <= 1.2;
console.log(`warm default / signer ratio: ${ratio.toFixed(3)} (goal ≤ 1.2) ${ok ? 'OK' : 'MISSED'}`);
if (sink === 0) console.log('');
if (!ok) process.exitCode = 1;
