// Benchmarks for the dev backend (run after `build`):
//  1. AgentAssertion verification (verifyAgentAssertion with a cached KeyObject) against raw Ed25519
//     crypto.verify of the same messages, in the same process. Goal: ≥ 0.8 of raw.
//  2. Requests/s for an authenticated GET /backend-api/wham/usage with an AgentAssertion against the
//     same GET with a bearer token, over keep-alive loopback connections. Bounded loops only.
import { verify } from 'node:crypto';
import {
  AgentKey,
  buildAbom,
  createAgentSigner,
  ed25519PublicKeyObject,
  fetchAgentBiscuit,
  registerAgentIdentity,
  registerAgentTask,
  verifyAgentAssertion,
} from '@codex-ts/agent-identity';
import { Pool } from 'undici';
import { startDevBackend } from '../dist/index.js';

const VERIFY_ITERATIONS = Number(process.env.BENCH_VERIFY_ITERATIONS ?? 20_000);
const HTTP_REQUESTS = Number(process.env.BENCH_HTTP_REQUESTS ?? 5_000);
const HTTP_CONCURRENCY = 16;
const ROUNDS = 3;

function rate(count, ns) {
  return count / (Number(ns) / 1e9);
}

function fmt(n) {
  return Math.round(n).toLocaleString('en-US');
}

function benchVerify() {
  const key = AgentKey.generate();
  const signer = createAgentSigner({ agentRuntimeId: 'agent_bench', key });
  const keyObject = ed25519PublicKeyObject(key.publicKey);
  const now = new Date();
  const headers = Array.from({ length: 256 }, (_, i) => signer.authorizationHeader(`task_${i}`, now));
  const raw = headers.map((h) => {
    const claims = JSON.parse(Buffer.from(h.slice('AgentAssertion '.length), 'base64url').toString());
    return {
      message: Buffer.from(`${claims.agent_runtime_id}:${claims.task_id}:${claims.timestamp}`),
      signature: Buffer.from(claims.signature, 'base64'),
    };
  });
  const options = { publicKeyFor: () => keyObject, isKnownTask: () => true, now };

  const runAssertion = () => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < VERIFY_ITERATIONS; i++) {
      const result = verifyAgentAssertion(headers[i & 255], options);
      if (!result.ok) throw new Error(`verification failed: ${result.reason}`);
    }
    return rate(VERIFY_ITERATIONS, process.hrtime.bigint() - start);
  };
  const runRaw = () => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < VERIFY_ITERATIONS; i++) {
      const r = raw[i & 255];
      if (!verify(null, r.message, keyObject, r.signature)) throw new Error('raw verification failed');
    }
    return rate(VERIFY_ITERATIONS, process.hrtime.bigint() - start);
  };
  runAssertion();
  runRaw();
  let best = { assertion: 0, raw: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    best = { assertion: Math.max(best.assertion, runAssertion()), raw: Math.max(best.raw, runRaw()) };
  }
  return best;
}

async function benchHttp() {
  const backend = await startDevBackend({ maxRequestRecords: 100 });
  try {
    const tokens = await backend.issueTokens();
    const key = AgentKey.generate();
    const biscuit = await fetchAgentBiscuit({
      chatgptBaseUrl: backend.chatgptBaseUrl,
      accessToken: tokens.access_token,
      originalUrl: `${backend.chatgptBaseUrl}/v1/agent/register`,
    });
    const runtime = await registerAgentIdentity({
      chatgptBaseUrl: backend.chatgptBaseUrl,
      biscuit,
      publicKeySsh: key.publicKeySsh,
      abom: buildAbom({ sessionSource: 'exec', version: 'bench' }),
    });
    const signer = createAgentSigner({ agentRuntimeId: runtime, key });
    const task = await registerAgentTask({
      authapiBaseUrl: backend.chatgptBaseUrl,
      signer,
      kind: 'background',
    });
    const assertions = Array.from({ length: 64 }, () => signer.authorizationHeader(task.taskId));
    const bearer = `Bearer ${tokens.access_token}`;
    const pool = new Pool(backend.url, { connections: HTTP_CONCURRENCY, pipelining: 1 });

    const run = async (authorizationFor) => {
      let next = 0;
      const start = process.hrtime.bigint();
      const worker = async () => {
        while (next < HTTP_REQUESTS) {
          const i = next++;
          const res = await pool.request({
            path: '/backend-api/wham/usage',
            method: 'GET',
            headers: { authorization: authorizationFor(i), 'chatgpt-account-id': tokens.account_id },
          });
          await res.body.dump();
          if (res.statusCode !== 200) throw new Error(`unexpected status ${res.statusCode}`);
        }
      };
      await Promise.all(Array.from({ length: HTTP_CONCURRENCY }, worker));
      return rate(HTTP_REQUESTS, process.hrtime.bigint() - start);
    };
    const viaAssertion = (i) => assertions[i & 63];
    const viaBearer = () => bearer;
    await run(viaAssertion);
    await run(viaBearer);
    let best = { assertion: 0, bearer: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      best = {
        assertion: Math.max(best.assertion, await run(viaAssertion)),
        bearer: Math.max(best.bearer, await run(viaBearer)),
      };
    }
    await pool.close();
    return best;
  } finally {
    await backend.close();
  }
}

const verifyResult = benchVerify();
const verifyRatio = verifyResult.assertion / verifyResult.raw;
console.log(`verifyAgentAssertion: ${fmt(verifyResult.assertion)} /s`);
console.log(`raw Ed25519 verify:   ${fmt(verifyResult.raw)} /s`);
console.log(`ratio: ${verifyRatio.toFixed(2)} (goal >= 0.80) ${verifyRatio >= 0.8 ? 'ok' : 'BELOW GOAL'}`);

const httpResult = await benchHttp();
console.log(`GET wham/usage with AgentAssertion: ${fmt(httpResult.assertion)} req/s`);
console.log(`GET wham/usage with Bearer:         ${fmt(httpResult.bearer)} req/s`);
console.log(`ratio assertion/bearer: ${(httpResult.assertion / httpResult.bearer).toFixed(2)}`);
if (verifyRatio < 0.8) {
  console.error('dev-backend verify benchmark: goal missed (verifyAgentAssertion below 0.80× raw verify)');
  process.exitCode = 1;
}
