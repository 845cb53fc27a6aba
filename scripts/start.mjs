#!/usr/bin/env node
// The main job: a local ChatGPT backend and the codex-ts app-server, driven over JSON-RPC the way an editor drives
// upstream's `codex app-server`, with agent identity on. It signs in (the browser flow against the dev sign-in
// page), walks a session, resumes the thread in a new app-server process, and prints what the backend saw per
// request. Then it keeps the backend and a websocket app-server running (Ctrl-C stops them).
// `--once` stops after the walkthrough; `--port N` picks the backend's port, `--ws-port N` the app-server's.
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { startDevBackend } from '../apps/dev-backend/dist/index.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'ws-port': { type: 'string', default: '4500' },
    once: { type: 'boolean', default: false },
  },
});
for (const key of ['port', 'ws-port']) {
  const n = Number(values[key]);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    console.error(`--${key} must be a port number, got ${JSON.stringify(values[key])}`);
    process.exit(2);
  }
}

const APP_SERVER = join(import.meta.dirname, '..', 'apps', 'app-server', 'dist', 'cli.js');
const backend = await startDevBackend({ port: Number(values.port) });
console.log(`dev-backend listening on ${backend.url}`);

// CODEX_HOME points every URL at the dev backend, with the feature on.
const codexHome = await mkdtemp(join(tmpdir(), 'codex-ts-home-'));
await writeFile(
  join(codexHome, 'config.toml'),
  `chatgpt_base_url = "${backend.chatgptBaseUrl}"\n\n[features]\nuse_agent_identity = true\n`,
);
const env = {
  ...process.env,
  CODEX_HOME: codexHome,
  CODEX_REFRESH_TOKEN_URL_OVERRIDE: backend.tokenUrl,
  CODEX_REVOKE_TOKEN_URL_OVERRIDE: `${backend.issuer}/oauth/revoke`,
  CODEX_APP_SERVER_LOGIN_ISSUER: backend.issuer,
};

/** An app-server child over stdio, with a tiny JSON-RPC client. */
function appServer() {
  const child = spawn(process.execPath, [APP_SERVER], { env, stdio: ['pipe', 'pipe', 'ignore'] });
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
        child.once('exit', resolve);
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

if (values.once) {
  await backend.close();
} else {
  const ws = spawn(process.execPath, [APP_SERVER, '--listen', `ws://127.0.0.1:${values['ws-port']}`], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const cli = relative(process.cwd(), APP_SERVER);
  console.log(`
The backend and an app-server keep running:
  editor / script websocket:  ws://127.0.0.1:${values['ws-port']}   (GET /readyz, one JSON-RPC message per text frame)
  the dev backend's page:     ${backend.url}/dev/
Try, in another shell:
  printf '%s\\n' '{"id":1,"method":"initialize","params":{"clientInfo":{"name":"me","version":"1"}}}' \\
    '{"id":2,"method":"account/read","params":{}}' '{"id":3,"method":"thread/list","params":{}}' \\
    | CODEX_HOME=${codexHome} node ${cli}
Ctrl-C stops both.`);
  const stop = async () => {
    ws.kill('SIGTERM');
    await backend.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
