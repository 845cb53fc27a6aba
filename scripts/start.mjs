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

const USAGE = `usage: npx -y pnpm@10 start [--port <n>] [--once]

Runs the dev backend and the codex-ts app-server with agent identity on, walks a JSON-RPC session (sign-in,
account, rate limits, models, a thread, a streamed turn, resume in a new process), shows what the backend saw per
request, then keeps both running (the app-server on a websocket) until Ctrl-C.
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
if (!/^\d+$/.test(values.port) || Number(values.port) > 65535)
  fail(`--port must be a port number, got ${JSON.stringify(values.port)}`, 2);
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
  const ws = spawn(process.execPath, [APP_SERVER, '--listen', 'ws://127.0.0.1:0'], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.add(ws);
  // The app-server prints where it listens on stderr.
  const wsUrl = await new Promise((resolve, reject) => {
    let err = '';
    ws.stderr.setEncoding('utf8');
    ws.stderr.on('data', (d) => {
      err += d;
      const m = /listening on (ws:\/\/\S+)/.exec(err);
      if (m) resolve(m[1]);
    });
    ws.once('exit', (code) => reject(new Error(`the websocket app-server exited (${code})`)));
  });
  const vars = `CODEX_HOME=${codexHome} CODEX_REFRESH_TOKEN_URL_OVERRIDE=${backend.tokenUrl}`;
  console.log(`
The backend and an app-server keep running:
  editor / script websocket:  ${wsUrl}   (GET /readyz; one JSON-RPC message per text frame)
  the dev backend's page:     ${backend.url}/dev/
Try, in another shell (in this repository):
  printf '%s\\n' '{"id":1,"method":"initialize","params":{"clientInfo":{"name":"me","version":"1"}}}' \\
    '{"id":2,"method":"account/read","params":{}}' '{"id":3,"method":"thread/list","params":{}}' \\
    | ${vars} npx -y pnpm@10 exec codex-ts-app-server
  ${vars} npx -y pnpm@10 exec codex-ts-login status
Ctrl-C stops it (the backend and the app-server; and removes ${codexHome}).`);
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
    on(method, fn) {
      const l = (m) => {
        if (m.method === method) fn(m.params);
      };
      listeners.push(l);
      return () => listeners.splice(listeners.indexOf(l), 1);
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
const SCHEMES = {
  assertion: 'agent-assertion',
  bearer: 'bearer',
  biscuit: 'biscuit',
  signature: 'signature',
};
/** What the backend saw since the last step, one line per request: `GET  /wham/usage        -> 200 (agent-assertion) background task`. */
function backendSaw() {
  for (const r of backend.requests().slice(seen)) {
    const path = r.path.replace(/^\/backend-api/, '');
    const task = r.taskKind ? ` ${r.taskKind} task` : '';
    const column = path.length >= 19 ? `${path} ` : path.padEnd(19);
    console.log(
      `    ${r.method.padEnd(4)} ${column}-> ${r.status} (${SCHEMES[r.authScheme] ?? r.authScheme})${task}`,
    );
  }
  seen = backend.requests().length;
}
async function step(title, fn) {
  console.log(`  ${title}`);
  const result = await fn();
  backendSaw();
  return result;
}

/** turn/start, the deltas as they stream, until turn/completed. */
async function turn(client, threadId, text) {
  const deltas = [];
  const stop = client.on('item/agentMessage/delta', (p) => deltas.push(p.delta));
  const completed = client.next('turn/completed');
  await client.call('turn/start', { threadId, input: [{ type: 'text', text, text_elements: [] }] });
  const done = await completed;
  stop();
  console.log(`      → ${done.turn.status}: "${deltas.join('')}" (${deltas.length} deltas)`);
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
  const limits = await step('account/rateLimits/read', () => a.call('account/rateLimits/read'));
  console.log(
    `      → primary ${limits.rateLimits.primary?.usedPercent ?? 0}% used, plan ${limits.rateLimits.planType}`,
  );
  const models = await step('model/list', () => a.call('model/list', {}));
  console.log(`      → ${models.data.map((m) => m.id).join(', ')}`);
  const apps = await step('app/list', () => a.call('app/list', {}));
  console.log(`      → ${apps.data.map((x) => x.name).join(', ')}`);
  const { thread } = await step('thread/start (prewarms the thread task)', () =>
    a.call('thread/start', { model: models.data[0]?.id }),
  );
  await step('a streamed turn: turn/start', () => turn(a, thread.id, 'hello from codex-ts'));
  const identity = await step('account/agentIdentity/read', () => a.call('account/agentIdentity/read'));
  console.log(`      → ${JSON.stringify(identity)}`);
  await step('stdin closed → the app-server flushes analytics and exits', () => a.stop());

  console.log('\nA new app-server process resumes the thread:');
  const b = appServer();
  await b.call('initialize', { clientInfo: { name: 'codex_ts_start', version: '1' } });
  const resumed = await step(
    `thread/resume ${thread.id} (its persisted task is reused: no registration)`,
    () => b.call('thread/resume', { threadId: thread.id }),
  );
  console.log(`      → ${resumed.thread.turns.length} turn(s) restored from the rollout`);
  await step('another turn (the history goes with it)', () => turn(b, thread.id, 'and once more'));
  await b.stop();
  backendSaw();

  const assertions = backend.requests().filter((r) => r.authScheme === 'assertion').length;
  console.log(`\n${backend.requests().length} backend requests, ${assertions} with an AgentAssertion.`);
}

try {
  await walkthrough();
} catch (err) {
  await backend.close().catch(() => {});
  fail(`the walkthrough failed: ${err.message}${err.code ? ` [${err.code}]` : ''}`, 1, '');
}
