// Measures signer.authorizationHeader against the floor (raw crypto.sign with a cached KeyObject, same message)
// and the naive port (PKCS#8 parsed on every call). Run after `build`: node bench/sign.bench.mjs
import { createPrivateKey, sign } from 'node:crypto';
import { AgentKey, createAgentSigner, verifyAgentAssertion } from '../dist/index.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 250);
const WARMUP_MS = 300;

const RUNTIME = 'agent-runtime-6f1c2a3b-94d5-4e8f-a7b1-0c2d3e4f5a6b';
const TASK = 'task-2b7e151628aed2a6abf7158809cf4f3c';

const key = AgentKey.generate();
const pkcs8 = key.toPkcs8Base64();
const signer = createAgentSigner({ agentRuntimeId: RUNTIME, privateKeyPkcs8Base64: pkcs8 });
// node:crypto (OpenSSL) does not import the v2 form with the [1] public key, so the floor and the naive port use
// the equivalent v1 document (same seed).
const v1Der = Buffer.concat([
  Buffer.from('302e020100300506032b657004220420', 'hex'),
  Buffer.from(pkcs8, 'base64').subarray(16, 48),
]);
const pkcs8V1 = v1Der.toString('base64');
const cachedKeyObject = createPrivateKey({ key: v1Der, format: 'der', type: 'pkcs8' });

const timestamp = () => `${new Date().toISOString().slice(0, 19)}Z`;

function buildHeader(signature, ts) {
  const json = `{"agent_runtime_id":${JSON.stringify(RUNTIME)},"signature":"${signature}","task_id":${JSON.stringify(TASK)},"timestamp":"${ts}"}`;
  return `AgentAssertion ${Buffer.from(json).toString('base64url')}`;
}

let sink = 0;
const cases = {
  floor() {
    const signature = sign(null, Buffer.from(`${RUNTIME}:${TASK}:${timestamp()}`), cachedKeyObject);
    sink += signature[0];
  },
  signer() {
    sink += signer.authorizationHeader(TASK).length;
  },
  naive() {
    const keyObject = createPrivateKey({ key: Buffer.from(pkcs8V1, 'base64'), format: 'der', type: 'pkcs8' });
    const ts = timestamp();
    const signature = sign(null, Buffer.from(`${RUNTIME}:${TASK}:${ts}`), keyObject).toString('base64');
    sink += buildHeader(signature, ts).length;
  },
};

function opsPerSecond(fn, ms) {
  let ops = 0;
  const start = process.hrtime.bigint();
  const limit = BigInt(ms) * 1_000_000n;
  let elapsed = 0n;
  while (elapsed < limit) {
    for (let i = 0; i < 200; i++) fn();
    ops += 200;
    elapsed = process.hrtime.bigint() - start;
  }
  return (ops * 1e9) / Number(elapsed);
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

// Sanity: the benchmarked header is a valid assertion.
const check = verifyAgentAssertion(signer.authorizationHeader(TASK), { publicKeyFor: () => key.publicKey });
if (!check.ok) throw new Error(`benchmark header does not verify: ${check.message}`);

for (const fn of Object.values(cases)) opsPerSecond(fn, WARMUP_MS);

const samples = { floor: [], signer: [], naive: [] };
const names = Object.keys(cases);
for (let round = 0; round < ROUNDS; round++) {
  // Rotate the order each round so no case always runs first (or right after GC-heavy naive).
  for (let i = 0; i < names.length; i++) {
    const name = names[(round + i) % names.length];
    samples[name].push(opsPerSecond(cases[name], ROUND_MS));
  }
}

const result = Object.fromEntries(names.map((name) => [name, median(samples[name])]));
const fmt = (ops) =>
  `${Math.round(ops).toLocaleString('en-US').padStart(9)} ops/s  ${(1e6 / ops).toFixed(2).padStart(7)} µs/op`;
console.log(
  `agent-identity sign benchmark — node ${process.version}, ${ROUNDS} rounds × ${ROUND_MS} ms, medians (ratios: median of per-round ratios)`,
);
console.log(`  floor  (crypto.sign, cached KeyObject)    ${fmt(result.floor)}`);
console.log(`  signer (signer.authorizationHeader)       ${fmt(result.signer)}`);
console.log(`  naive  (createPrivateKey per call + sign) ${fmt(result.naive)}`);
// Each round measures every case back to back, so a ratio within one round sees the same machine load; the
// median of those paired ratios is steadier on a shared machine than the ratio of the medians.
const pairedRatio = (name) => median(samples.floor.map((floor, round) => floor / samples[name][round]));
const signerRatio = pairedRatio('signer');
const naiveRatio = pairedRatio('naive');
console.log(
  `  signer/floor = ${signerRatio.toFixed(3)}×  (goal ≤ 1.10×: ${signerRatio <= 1.1 ? 'met' : 'NOT met'})`,
);
console.log(`  naive/floor  = ${naiveRatio.toFixed(3)}×`);
if (sink === 0) console.log('');
if (signerRatio > 1.1) {
  console.error('agent-identity sign benchmark: goal missed (signer/floor > 1.10×)');
  process.exitCode = 1;
}
