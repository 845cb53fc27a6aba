// A warm websocket turn against a warm HTTP turn, against the dev backend on loopback (in process), bearer auth,
// the echo model answering a 20-word prompt. Reported, no goal: the websocket saves the request and response
// headers and the SSE framing of every turn.
import { bearerAuthProvider } from '@codex-ts/auth-provider';
import { startDevBackend } from '@codex-ts/dev-backend';
import { createModelSession, openAiProvider } from '../dist/index.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const TURNS = Number(process.env.BENCH_TURNS ?? 100);

const backend = await startDevBackend({});
const tokens = await backend.issueTokens({ email: 'bench@example.com' });
const provider = openAiProvider({ authMode: 'chatgpt', chatgptBaseUrl: backend.chatgptBaseUrl });
const auth = bearerAuthProvider({ token: tokens.access_token, accountId: tokens.account_id });
const sessions = {
  http: createModelSession({ provider, auth, threadId: 'bench-http' }),
  websocket: createModelSession({ provider, auth, threadId: 'bench-ws', websocket: true }),
};
const text = Array.from({ length: 20 }, (_, i) => `word${i}`).join(' ');
const request = { model: 'dev-echo', instructions: '', input: [{ role: 'user', content: text }] };

async function turns(session) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < TURNS; i++) {
    for await (const event of session.stream(request)) {
      if (event.type === 'retry' || event.type === 'transport_fallback')
        throw new Error(`unexpected ${event.type}`);
    }
  }
  return Number(process.hrtime.bigint() - t0) / 1e3 / TURNS;
}

await turns(sessions.http);
await turns(sessions.websocket);
const results = { http: [], websocket: [] };
for (let r = 0; r < ROUNDS; r++) {
  for (const name of r % 2 === 0 ? ['http', 'websocket'] : ['websocket', 'http']) {
    results[name].push(await turns(sessions[name]));
  }
}
sessions.websocket.close();
await backend.close();
if (sessions.websocket.websocketHandshakes !== 1) throw new Error('the websocket was not reused');
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const h = med(results.http);
const w = med(results.websocket);
console.log(`HTTP turn:      ${h.toFixed(0)} µs per turn (${TURNS} turns × ${ROUNDS} rounds)`);
console.log(`websocket turn: ${w.toFixed(0)} µs per turn (one handshake for all of them)`);
console.log(`websocket / HTTP time ratio ${(w / h).toFixed(2)} (reported; below 1 means the websocket wins)`);
