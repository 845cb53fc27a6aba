// The walkthrough: a full app-server session as an editor runs it, one step at a time, each followed by what the
// dev backend saw while it ran. A method this app-server does not serve yet is said so, and the walk goes on.
import { printRequests } from './backend-table.mjs';
import { AppServerClient, isUnknownMethod } from './rpc-client.mjs';

const CLIENT_INFO = { name: 'codex_ts_start', title: 'npx pnpm start', version: '0.0.0' };
const PROMPT = 'hello agent';

/**
 * Runs the session against `backend` with app-servers started by `spawnServer()`, the thread working in `cwd`;
 * returns the thread id.
 */
export async function walkSession({ backend, spawnServer, cwd, out }) {
  const table = printRequests(backend, out);
  let lastSeen = [];
  const step = async (title, run) => {
    out(`\n> ${title}`);
    let result;
    try {
      result = await run();
    } catch (err) {
      if (!isUnknownMethod(err)) throw err;
      out(`  not served by this app-server yet (${err.rpcMessage.split(',')[0]})`);
    }
    lastSeen = table.flush();
    return result;
  };

  let threadId;
  const first = spawnServer();
  try {
    await step('initialize', async () => {
      const r = await first.request('initialize', {
        clientInfo: CLIENT_INFO,
        capabilities: { experimentalApi: true },
      });
      first.notify('initialized');
      out(`  userAgent ${r.userAgent}`);
    });
    await step('account/login/start {type: "chatgptDeviceCode"}, approved as the user would', async () => {
      const login = await first.request('account/login/start', { type: 'chatgptDeviceCode' });
      out(`  code ${login.userCode} at ${login.verificationUrl}`);
      const completed = first.next('account/login/completed', (p) => p.loginId === login.loginId);
      await approveDeviceCode(backend, login.userCode);
      out('  approved (POST /dev/device/approve); the app-server polls the issuer for the tokens…');
      const done = await completed;
      if (!done.success) throw new Error(`sign-in failed: ${done.error}`);
      out('  account/login/completed: success');
    });
    await step('account/read', async () => {
      const { account } = await first.request('account/read', { refreshToken: false });
      out(`  ${account ? `${account.type} ${account.email} (plan ${account.planType})` : 'signed out'}`);
    });
    await step('account/rateLimits/read', async () => {
      const { rateLimits: l } = await first.request('account/rateLimits/read');
      const window = (w) => (w ? `${w.usedPercent}% of ${w.windowDurationMins} min` : '-');
      out(`  primary ${window(l.primary)}, secondary ${window(l.secondary)}, plan ${l.planType}`);
    });
    await step('model/list', async () => {
      const { data } = await first.request('model/list', {});
      out(`  ${data.map((m) => m.id).join(', ')}`);
    });
    await step('app/list', async () => {
      const { data } = await first.request('app/list', {});
      out(`  ${data.length} app(s)${data.length ? `: ${data.map((a) => a.name).join(', ')}` : ''}`);
    });
    await step('thread/start', async () => {
      const r = await first.request('thread/start', { cwd });
      threadId = r.thread.id;
      out(`  thread ${threadId} (its task registers in the background)`);
    });
    if (threadId) await step(`turn/start "${PROMPT}", streamed`, () => streamTurn(first, threadId, out));
    await step('account/agentIdentity/read (experimental, beyond upstream)', async () => {
      const r = await first.request('account/agentIdentity/read', {});
      out(
        `  ${r.state}, runtime ${r.agentRuntimeId ?? '-'}, background task ${r.backgroundTask ? 'held' : 'none'}`,
      );
    });
  } finally {
    await first.close();
    table.flush('and while the app-server finished its work and exited (stdin closed)', { quiet: true });
  }

  if (threadId) {
    const second = spawnServer();
    try {
      const resumed = await step('thread/resume in a second app-server process', async () => {
        await second.request('initialize', {
          clientInfo: CLIENT_INFO,
          capabilities: { experimentalApi: true },
        });
        second.notify('initialized');
        const r = await second.request('thread/resume', { threadId });
        out(`  thread ${r.thread.id} loaded from its rollout with ${r.thread.turns?.length ?? 0} turn(s)`);
        return r;
      });
      if (resumed) {
        const registered = lastSeen.some((x) => x.path.endsWith('/task/register') && x.taskKind === 'thread');
        out(
          registered
            ? '  its persisted task was not usable: a new thread task was registered'
            : '  its persisted thread task was restored: no new registration',
        );
        await step(`turn/start "${PROMPT} again" on the resumed thread`, () =>
          streamTurn(second, threadId, out, `${PROMPT} again`),
        );
      }
    } finally {
      await second.close();
      table.flush('and while the second app-server exited', { quiet: true });
    }
  }
  out(`\n${table.summary()}`);
  out(
    '  none: sign-in at the issuer; bearer, biscuit, signature: identity and task registration (bootstrap)',
  );
  return threadId;
}

/** Starts a turn and prints the agent message deltas as they arrive, until `turn/completed`. */
async function streamTurn(client, threadId, out, text = PROMPT) {
  let line = '';
  const off = client.onNotification((method, params) => {
    if (method !== 'item/agentMessage/delta' || params.threadId !== threadId) return;
    if (line === '') process.stdout.write('  agent: ');
    line += params.delta;
    process.stdout.write(params.delta);
  });
  try {
    const completed = client.next('turn/completed', (p) => p.threadId === threadId);
    await client.request('turn/start', { threadId, input: [{ type: 'text', text, text_elements: [] }] });
    const { turn } = await completed;
    if (line !== '') process.stdout.write('\n');
    out(`  turn/completed: ${turn.status}`);
  } finally {
    off();
  }
}

async function approveDeviceCode(backend, userCode) {
  const res = await fetch(`${backend.url}/dev/device/approve`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user_code: userCode, email: 'dev@example.com' }),
  });
  if (!res.ok) throw new Error(`the dev backend refused the device code: ${res.status} ${await res.text()}`);
}

/** `node apps/app-server/dist/cli.js` over stdio with `env`. */
export const appServerSpawner = (cli, env) => () => new AppServerClient(cli, [], env);
