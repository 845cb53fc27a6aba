#!/usr/bin/env node
// The main job: a local ChatGPT backend and the codex-ts app-server, driven over JSON-RPC the way an editor drives
// upstream's `codex app-server`, with agent identity on. It signs in (the browser flow against the dev sign-in
// page), walks a session, resumes the thread in a new app-server process, and prints what the backend saw per
// request. Then it keeps the backend and a websocket app-server running (Ctrl-C stops them).
// Its CODEX_HOME (tokens, the agent's private key) is a temp directory removed on every exit, Ctrl-C included.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const USAGE = `usage: npx -y pnpm@10 start [--port <n>] [--ws-port <n>] [--once]

Runs the dev backend and the codex-ts app-server with agent identity on, walks a JSON-RPC session, shows what
the backend saw, then keeps both running until Ctrl-C.
  --port <n>      port for the dev backend (default: any free port)
  --ws-port <n>   port for the app-server's websocket (default 4500)
  --once          stop after the walkthrough
`;

/** One line, a hint, an exit code: 2 for usage, 1 for everything else. Never a stack trace. */
function fail(message, code, hint = 'run `npx -y pnpm@10 start --help` for usage') {
  process.stderr.write(`start: ${message}\n${hint ? `hint: ${hint}\n` : ''}`);
  cleanup();
  process.exit(code);
}

let codexHome;
let env;
const children = new Set();
function cleanup() {
  for (const child of children) child.kill('SIGTERM');
  children.clear();
  if (codexHome) rmSync(codexHome, { recursive: true, force: true });
  codexHome = undefined;
}
process.on('exit', cleanup);

let values;
try {
  ({ values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      'ws-port': { type: 'string', default: '4500' },
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
for (const key of ['port', 'ws-port']) {
  if (!/^\d+$/.test(values[key]) || Number(values[key]) > 65535)
    fail(`--${key} must be a port number, got ${JSON.stringify(values[key])}`, 2);
}
const port = Number(values.port);

const APP_SERVER = join(import.meta.dirname, '..', 'apps', 'app-server', 'dist', 'cli.js');
let startDevBackend;
try {
  ({ startDevBackend } = await import('../apps/dev-backend/dist/index.js'));
  await import('../apps/app-server/dist/index.js');
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

async function walkthrough() {
  console.log(`dev-backend listening on ${backend.url}`);
  // CODEX_HOME points every URL at the dev backend, with the feature on.
  codexHome = await mkdtemp(join(tmpdir(), 'codex-ts-home-'));
  console.log(`CODEX_HOME: ${codexHome} (removed when this stops)`);
  await writeFile(
    join(codexHome, 'config.toml'),
    `chatgpt_base_url = "${backend.chatgptBaseUrl}"\n\n[features]\nuse_agent_identity = true\n`,
  );
  env = {
    ...process.env,
    CODEX_HOME: codexHome,
    CODEX_REFRESH_TOKEN_URL_OVERRIDE: backend.tokenUrl,
    CODEX_REVOKE_TOKEN_URL_OVERRIDE: `${backend.issuer}/oauth/revoke`,
    CODEX_APP_SERVER_LOGIN_ISSUER: backend.issuer,
  };
  await session();
  if (values.once) {
    await backend.close();
    return;
  }
  const ws = spawn(process.execPath, [APP_SERVER, '--listen', `ws://127.0.0.1:${values['ws-port']}`], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.add(ws);
  const vars = `CODEX_HOME=${codexHome} CODEX_REFRESH_TOKEN_URL_OVERRIDE=${backend.tokenUrl}`;
  console.log(`
The backend and an app-server keep running:
  editor / script websocket:  ws://127.0.0.1:${values['ws-port']}   (GET /readyz; one JSON-RPC message per text frame)
  the dev backend's page:     ${backend.url}/dev/
Try, in another shell (in this repository):
  printf '%s\\n' '{"id":1,"method":"initialize","params":{"clientInfo":{"name":"me","version":"1"}}}' \\
    '{"id":2,"method":"account/read","params":{}}' '{"id":3,"method":"thread/list","params":{}}' \\
    | ${vars} npx -y pnpm@10 exec codex-ts-app-server
  ${vars} npx -y pnpm@10 exec codex-ts-login status
Ctrl-C stops both (and removes ${codexHome}).`);
}

/** An app-server child over stdio, with a tiny JSON-RPC client. */
function appServer() {
  const child = spawn(process.execPath, [APP_SERVER], { env, stdio: ['pipe', 'pipe', 'ignore'] });
  children.add(child);
  const waiting = new Map();
  const listeners = [];
  let buf = '';
  let nextId = 1;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d) => {
    buf += d;
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      const m = JSON.parse(buf.slice(0, i));
      buf = buf.slice(i + 1);
      if (m.id !== undefined) waiting.get(m.id)?.(m);
      else for (const l of [...listeners]) l(m);
    }
  });
  return {
    async call(method, params) {
      const id = nextId++;
      const reply = await new Promise((resolve) => {
        waiting.set(id, resolve);
        child.stdin.write(`${JSON.stringify({ id, method, ...(params === undefined ? {} : { params }) })}\n`);
      });
      if (reply.error) throw new Error(`${method}: ${reply.error.message}`);
      return reply.result;
    },
    next(method, test = () => true) {
      return new Promise((resolve) => {
        const l = (m) => {
          if (m.method === method && test(m.params)) {
            listeners.splice(listeners.indexOf(l), 1);
            resolve(m.params);
          }
        };
        listeners.push(l);
      });
    },
    stop() {
      return new Promise((resolve) => {
        child.once('exit', () => {
          children.delete(child);
          resolve();
        });
        child.stdin.end();
      });
    },
  };
}

let seen = 0;
function backendSaw() {
  for (const r of backend.requests().slice(seen)) {
    const who = [r.agentRuntimeId && `runtime=${r.agentRuntimeId}`, r.taskKind && `${r.taskKind} task`];
    console.log(
      `      ${r.status} ${r.method.padEnd(4)} ${r.path}  [${[r.authScheme, ...who].filter(Boolean).join(' ')}]`,
    );
  }
  seen = backend.requests().length;
}
async function step(title, fn) {
  const result = await fn();
  console.log(`  ${title}`);
  backendSaw();
  return result;
}

async function session() {
  console.log(`\nA session over stdio (codex-ts-app-server, CODEX_HOME=${codexHome}):`);
  const a = appServer();
  await step('initialize', () =>
    a.call('initialize', {
      clientInfo: { name: 'codex_ts_start', version: '1' },
      capabilities: { experimentalApi: true },
    }),
  );
  const login = await step(
    'account/login/start {type: "chatgpt"} → the browser flow (PKCE, loopback callback)',
    () => a.call('account/login/start', { type: 'chatgpt' }),
  );
  // The person on the dev sign-in page: submit it, follow the redirect to the app-server's loopback callback.
  const completed = a.next('account/login/completed');
  const form = new URLSearchParams(new URL(login.authUrl).searchParams);
  form.set('email', 'dev@example.com');
  form.set('plan', 'plus');
  const signIn = await fetch(`${backend.issuer}/oauth/authorize`, {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
  await (await fetch(signIn.headers.get('location'))).text();
  await step(`signed in: account/login/completed ${JSON.stringify((await completed).success)}`, () => {});
  const account = await step('account/read', () => a.call('account/read', {}));
  console.log(`      → ${JSON.stringify(account.account)}`);
  const { thread } = await step('thread/start (prewarms the thread task)', () => a.call('thread/start', {}));
  const identity = await step('account/agentIdentity/read', () => a.call('account/agentIdentity/read'));
  console.log(`      → ${JSON.stringify(identity)}`);
  await step('stdin closed → the app-server persists the thread task in flight, then exits', () => a.stop());

  console.log('\nA new app-server process resumes the thread:');
  const b = appServer();
  await b.call('initialize', { clientInfo: { name: 'codex_ts_start', version: '1' } });
  await step(`thread/resume ${thread.id} (the persisted task is reused: no registration)`, () =>
    b.call('thread/resume', { threadId: thread.id }),
  );
  await b.stop();

  const assertions = backend.requests().filter((r) => r.authScheme === 'assertion').length;
  console.log(`\n${backend.requests().length} backend requests, ${assertions} with an AgentAssertion.`);
}

try {
  await walkthrough();
} catch (err) {
  await backend.close().catch(() => {});
  fail(`the walkthrough failed: ${err.message}${err.code ? ` [${err.code}]` : ''}`, 1, '');
}
