#!/usr/bin/env node
// The main job: the dev backend (a local ChatGPT backend) and codex-ts-app-server with agent identity on, driven
// through a full session as an editor drives it (sign in, account, rate limits, models, a thread, a streamed turn,
// resume in a second process), printing what the backend saw per step. Then the backend and an app-server on a
// websocket keep running, with the commands to try (Ctrl-C stops all). `--once` stops after the walkthrough.
// Its CODEX_HOME (tokens, the agent's private key, the threads) is a temp directory removed on every exit.
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const APP_SERVER_CLI = join(repoRoot, 'apps', 'app-server', 'dist', 'cli.js');

const USAGE = `usage: npx -y pnpm@10 start [--port <n>] [--once]

Runs the dev backend and codex-ts-app-server with agent identity on, walks a full session (sign in, account,
rate limits, models, a thread, a streamed turn, resume), shows what the backend saw, then keeps the backend and
an app-server on a websocket running until Ctrl-C.
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
/** The app-servers running, each with the promise of its exit. */
const children = new Map();
function track(child, exited) {
  children.set(child, exited);
  exited.then(() => children.delete(child));
}
/** SIGTERM to every app-server, then waits for them (SIGKILL after 3 s): none writes to CODEX_HOME after this. */
async function stopChildren() {
  for (const child of children.keys()) child.kill('SIGTERM');
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(resolve, 3000);
  });
  await Promise.race([Promise.all(children.values()), late]);
  clearTimeout(timer);
  for (const child of children.keys()) child.kill('SIGKILL');
}
/** The last word on every exit: nothing left running, CODEX_HOME removed. */
function cleanup() {
  for (const child of children.keys()) child.kill('SIGKILL');
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

let startDevBackend, walkSession, appServerSpawner, startWebsocketServer, seedCloudTask, tryThese;
try {
  ({ startDevBackend } = await import('../apps/dev-backend/dist/index.js'));
  await import('../apps/app-server/dist/index.js');
  ({ walkSession, appServerSpawner } = await import('./start/session.mjs'));
  ({ startWebsocketServer, seedCloudTask, tryThese } = await import('./start/keep-running.mjs'));
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
// Ctrl-C: the app-servers first (they may be writing to CODEX_HOME), then CODEX_HOME, then the backend.
let stopping = false;
const stop = async () => {
  stopping = true;
  await stopChildren();
  cleanup();
  await backend.close().catch(() => {});
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

try {
  await main();
} catch (err) {
  // Stopped by Ctrl-C mid-walk: the requests in flight fail, and stop() finishes the exit.
  if (stopping) await new Promise(() => {});
  await stopChildren();
  cleanup();
  await backend.close().catch(() => {});
  fail(
    `the walkthrough failed: ${err.message}${typeof err.code === 'string' ? ` [${err.code}]` : ''}`,
    1,
    '',
  );
}

async function main() {
  console.log(`dev-backend listening on ${backend.url}`);
  console.log(`chatgpt base url: ${backend.chatgptBaseUrl}`);

  codexHome = await mkdtemp(join(tmpdir(), 'codex-ts-home-'));
  console.log(`CODEX_HOME: ${codexHome} (removed when this stops)`);
  // Every URL on the dev backend: the ChatGPT backend, the sign-in issuer, token refresh and revocation (never
  // the real auth server).
  await writeFile(
    join(codexHome, 'config.toml'),
    [
      `chatgpt_base_url = "${backend.chatgptBaseUrl}"`,
      `openai_base_url = "${backend.chatgptBaseUrl}/codex"`,
      '',
      '[features]',
      'use_agent_identity = true',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  // The app-servers log warnings and errors only (CODEX_TS_LOG=debug in the environment says more).
  const env = {
    CODEX_TS_LOG: 'warn',
    ...process.env,
    CODEX_HOME: codexHome,
    CODEX_REFRESH_TOKEN_URL_OVERRIDE: backend.tokenUrl,
    CODEX_REVOKE_TOKEN_URL_OVERRIDE: `${backend.url}/oauth/revoke`,
    CODEX_APP_SERVER_LOGIN_ISSUER: backend.issuer,
  };
  console.log(`app-server: codex-ts-app-server over stdio, features.use_agent_identity = true`);

  // The thread's working directory, inside CODEX_HOME so it goes with it.
  const cwd = join(codexHome, 'workspace');
  await mkdir(cwd);
  const spawn = appServerSpawner(APP_SERVER_CLI, env);
  const threadId = await walkSession({
    backend,
    spawnServer: () => {
      const client = spawn();
      track(client, client.exited);
      return client;
    },
    cwd,
    out: (line) => console.log(line),
  });

  if (values.once) {
    await stopChildren();
    cleanup();
    await backend.close();
    return;
  }
  const ws = await startWebsocketServer(APP_SERVER_CLI, env, 0);
  track(ws.child, ws.exited);
  ws.exited.then(() => {
    if (!stopping) console.error('start: the websocket app-server stopped');
  });
  const cloudTaskId = seedCloudTask(backend);
  console.log(tryThese({ repoRoot, backend, codexHome, wsUrl: ws.url, threadId, cloudTaskId }));
}
