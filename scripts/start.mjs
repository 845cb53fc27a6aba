#!/usr/bin/env node
// The main job: a local ChatGPT backend, and an agent that talks to it with agent identity on.
// It registers an identity and tasks, makes real backend calls, shows what the server saw, and keeps the
// backend running (Ctrl-C stops it). `--once` stops after the walkthrough; `--port N` picks the port.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { startDevBackend } from '../apps/dev-backend/dist/index.js';
import { fetchWithAuth, redactAuthorization } from '../packages/auth-provider/dist/index.js';
import { AuthManager } from '../packages/login/dist/index.js';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '0' }, once: { type: 'boolean', default: false } },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number, got ${JSON.stringify(values.port)}`);
  process.exit(2);
}

const backend = await startDevBackend({ port });
console.log(`dev-backend listening on ${backend.url}`);
console.log(`chatgpt base url: ${backend.chatgptBaseUrl}\n`);

// A dev user signs in; the agent's CODEX_HOME points at the dev backend with the feature on.
const codexHome = await mkdtemp(join(tmpdir(), 'codex-ts-home-'));
await writeFile(
  join(codexHome, 'config.toml'),
  `chatgpt_base_url = "${backend.chatgptBaseUrl}"\n\n[features]\nuse_agent_identity = true\n`,
);
const tokens = await backend.issueTokens({ email: 'dev@example.com', plan: 'plus' });
const manager = await AuthManager.create({ codexHome, env: { ...process.env, CODEX_HOME: codexHome } });
await manager.saveChatgptTokens({
  idToken: tokens.id_token,
  accessToken: tokens.access_token,
  refreshToken: tokens.refresh_token,
  accountId: tokens.account_id,
});

// Control-plane call (background task) and a conversation turn (thread task), each with a fresh assertion.
const usage = await fetchWithAuth(manager.defaultProvider(), `${backend.chatgptBaseUrl}/wham/usage`);
console.log(
  `GET  /wham/usage        -> ${usage.status} (${manager.defaultProvider().describe({ url: new URL(`${backend.chatgptBaseUrl}/wham/usage`), method: 'GET' }).scheme})`,
);
await usage.body?.cancel();

const thread = manager.threadProvider('thread-demo-1');
const turn = await fetchWithAuth(thread, `${backend.chatgptBaseUrl}/codex/responses`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
  body: JSON.stringify({
    model: 'gpt-5-codex',
    stream: true,
    input: [{ role: 'user', content: 'hello agent' }],
  }),
});
const events = (await turn.text()).split('\n').filter((line) => line.startsWith('event: '));
console.log(
  `POST /codex/responses   -> ${turn.status}, ${events.length} SSE events (${thread.describe({ url: new URL(`${backend.chatgptBaseUrl}/codex/responses`), method: 'POST' }).scheme})`,
);

const status = await manager.status();
console.log(
  `\nagent identity: ${status.agentIdentity.state}, runtime ${status.agentIdentity.agentRuntimeId}`,
);
console.log('\nwhat the backend saw (GET /dev/requests):');
for (const r of backend.requests()) {
  const who = [
    r.agentRuntimeId && `runtime=${r.agentRuntimeId}`,
    r.taskId && `task=${r.taskId} (${r.taskKind})`,
  ];
  console.log(
    `  ${r.status} ${r.method.padEnd(4)} ${r.path}\n      auth: ${[r.authScheme, ...who].filter(Boolean).join(' ')}`,
  );
}
const header = (await thread.headers({ url: new URL(backend.chatgptBaseUrl), method: 'GET' })).Authorization;
console.log(`\na header for the thread now: ${redactAuthorization(header)}`);

if (values.once) {
  await backend.close();
} else {
  const cli = (pkg) => relative(process.cwd(), join(import.meta.dirname, '..', pkg, 'dist', 'cli.js'));
  console.log(`
The backend keeps running. Try, in another shell:
  CODEX_HOME=${codexHome} node ${cli('packages/login')} status
  CODEX_HOME=${codexHome} node ${cli('packages/login')} print-authorization --thread thread-demo-1
  node ${cli('packages/agent-identity')} inspect --private-key-file ${join(codexHome, 'auth.json')} "$(CODEX_HOME=${codexHome} node ${cli('packages/login')} print-authorization)"
and open ${backend.url}/dev/ in a browser. Ctrl-C stops it.`);
  const stop = async () => {
    await backend.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
