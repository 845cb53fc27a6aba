#!/usr/bin/env node
// The main job: a local ChatGPT backend, and an agent that talks to it with agent identity on.
// It registers an identity and tasks, makes real backend calls, shows what the server saw, and keeps the
// backend running (Ctrl-C stops it). `--once` stops after the walkthrough; `--port N` picks the port.
// Its CODEX_HOME (tokens, the agent's private key) is a temp directory removed on every exit, Ctrl-C included.
import { rmSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const USAGE = `usage: npx -y pnpm@10 start [--port <n>] [--once]

Runs the dev backend and an agent with agent identity on, shows what the backend saw, then keeps the backend
running until Ctrl-C.
  --port <n>   port for the dev backend (default: any free port)
  --once       stop after the walkthrough
`;

/** One line, a hint, an exit code: 2 for usage, 1 for everything else. Never a stack trace. */
function fail(message, code, hint = 'run `npx -y pnpm@10 start --help` for usage') {
  process.stderr.write(`start: ${message}\n${hint ? `hint: ${hint}\n` : ''}`);
  cleanup();
  process.exit(code);
}

let codexHome;
function cleanup() {
  if (codexHome) rmSync(codexHome, { recursive: true, force: true });
  codexHome = undefined;
}
process.on('exit', cleanup);

let values;
try {
  ({ values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      once: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (err) {
  fail(String(err.message).split(/\n|\. To specify/)[0], 2);
}
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const port = Number(values.port);
if (!/^\d+$/.test(values.port) || port > 65535)
  fail(`--port must be a port number, got ${JSON.stringify(values.port)}`, 2);

let startDevBackend, fetchWithAuth, redactAuthorization, AuthManager;
try {
  ({ startDevBackend } = await import('../apps/dev-backend/dist/index.js'));
  ({ fetchWithAuth, redactAuthorization } = await import('../packages/auth-provider/dist/index.js'));
  ({ AuthManager } = await import('../packages/login/dist/index.js'));
} catch (err) {
  fail(
    `the packages are not built (${err.code ?? err.message})`,
    1,
    'run `npx -y pnpm@10 build`, or start with `npx -y pnpm@10 start`',
  );
}

let backend;
try {
  backend = await startDevBackend({ port });
} catch (err) {
  if (err.code === 'EADDRINUSE')
    fail(`port ${port} is in use`, 1, 'pick another with --port <n>, or --port 0 for any free port');
  if (err.code === 'EACCES')
    fail(`port ${port} needs privileges`, 1, 'pick a port above 1023 with --port <n>');
  fail(`the dev backend did not start: ${err.message}`, 1, '');
}
const stop = async () => {
  await backend.close().catch(() => {});
  cleanup();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

try {
  await walkthrough();
} catch (err) {
  await backend.close().catch(() => {});
  fail(`the walkthrough failed: ${err.message}${err.code ? ` [${err.code}]` : ''}`, 1, '');
}

async function walkthrough() {
  console.log(`dev-backend listening on ${backend.url}`);
  console.log(`chatgpt base url: ${backend.chatgptBaseUrl}\n`);

  // A dev user signs in; the agent's CODEX_HOME points at the dev backend with the feature on.
  codexHome = await mkdtemp(join(tmpdir(), 'codex-ts-home-'));
  // Token refresh goes to the dev backend, never to the real auth server.
  const env = { ...process.env, CODEX_HOME: codexHome, CODEX_REFRESH_TOKEN_URL_OVERRIDE: backend.tokenUrl };
  console.log(`CODEX_HOME: ${codexHome} (removed when this stops)`);
  await writeFile(
    join(codexHome, 'config.toml'),
    `chatgpt_base_url = "${backend.chatgptBaseUrl}"\n\n[features]\nuse_agent_identity = true\n`,
  );
  const tokens = await backend.issueTokens({ email: 'dev@example.com', plan: 'plus' });
  const manager = await AuthManager.create({ codexHome, env });
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
  const header = (await thread.headers({ url: new URL(backend.chatgptBaseUrl), method: 'GET' }))
    .Authorization;
  console.log(`\na header for the thread now: ${redactAuthorization(header)}`);

  if (values.once) {
    await backend.close();
  } else {
    const vars = `CODEX_HOME=${codexHome} CODEX_REFRESH_TOKEN_URL_OVERRIDE=${backend.tokenUrl}`;
    const login = 'npx -y pnpm@10 exec codex-ts-login';
    console.log(`
The backend keeps running. Try, in another shell (in this repository):
  ${vars} ${login} status
  ${vars} ${login} print-authorization --thread thread-demo-1
  npx -y pnpm@10 exec codex-ts-agent-identity inspect --private-key-file ${join(codexHome, 'auth.json')} "$(${vars} ${login} print-authorization)"
and open ${backend.url}/dev/ in a browser. Ctrl-C stops it (and removes ${codexHome}).`);
  }
}
