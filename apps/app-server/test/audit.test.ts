import { afterEach, describe, expect, it } from 'vitest';
import { auditRow, isBootstrap } from './support/audit.js';
import {
  backendEnv,
  type DevBackend,
  type Harness,
  harness,
  tempHome,
  uniqueEmail,
  useDevBackend,
  writeChatgptAuth,
  writeConfig,
} from './support/fixture.js';

let backend: DevBackend;
useDevBackend((b) => {
  backend = b;
});

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

/**
 * The scripted session of the audit: initialize, account/read, app/list, thread/start, then thread/resume in a new
 * server process on the same CODEX_HOME. Returns the backend's log of it.
 */
async function session(home: string): Promise<void> {
  const env = backendEnv(backend, home);
  const a = await harness(home, env);
  open.push(a);
  await a.client.initialize();
  await a.client.result('account/read', {});
  await a.client.result('app/list', {});
  const { thread } = await a.client.result<{ thread: { id: string } }>('thread/start', {});
  await a.close();
  open.splice(open.indexOf(a), 1);

  const b = await harness(home, env);
  open.push(b);
  await b.client.initialize();
  await b.client.result('thread/resume', { threadId: thread.id });
  await b.client.result('app/list', {});
  await b.close();
  open.splice(open.indexOf(b), 1);
}

describe('audit: what the backend saw over a whole session', () => {
  it('flag on: an accepted AgentAssertion on every call except bootstrap (the background task here)', async () => {
    const home = tempHome();
    writeConfig(home, backend, true);
    writeChatgptAuth(home, await backend.issueTokens({ email: uniqueEmail() }));
    await session(home);
    const calls = backend.requests().filter((r) => !isBootstrap(r));
    expect(calls.length).toBeGreaterThan(4);
    const unsigned = calls.filter((r) => r.authScheme !== 'assertion' || r.status >= 400);
    expect(unsigned.map(auditRow)).toEqual([]);
    expect(calls.filter((r) => r.taskKind !== 'background').map(auditRow)).toEqual([]);
    // Bootstrap, each once: the biscuit (bearer), the identity (biscuit), the background and the thread task
    // (signature); the resumed thread reused its persisted task.
    const bootstrap = backend.requests().filter(isBootstrap);
    expect(
      bootstrap
        .map((r) => `${r.method} ${r.path.replace(/agent_[0-9a-f]+/, 'R')} ${r.authScheme} ${r.status}`)
        .sort(),
    ).toEqual([
      'GET /backend-api/authenticate_app_v2 bearer 200',
      'POST /backend-api/v1/agent/R/task/register signature 200',
      'POST /backend-api/v1/agent/R/task/register signature 200',
      'POST /backend-api/v1/agent/register biscuit 200',
    ]);
  });

  it('flag off: bearer on every call, nothing registered', async () => {
    const home = tempHome();
    writeConfig(home, backend, false);
    writeChatgptAuth(home, await backend.issueTokens({ email: uniqueEmail() }));
    await session(home);
    const calls = backend.requests();
    expect(calls.length).toBeGreaterThan(4);
    expect(calls.filter((r) => r.authScheme !== 'bearer' || r.status >= 400).map(auditRow)).toEqual([]);
    expect(calls.filter(isBootstrap)).toEqual([]);
  });

  it('API key: no ChatGPT credential anywhere (the ChatGPT backend is not called at all)', async () => {
    const home = tempHome();
    writeConfig(home, backend, true);
    const h = await harness(home, backendEnv(backend, home));
    await h.client.initialize();
    await h.client.result('account/login/start', { type: 'apiKey', apiKey: 'sk-audit' });
    await h.close();
    await session(home);
    expect(backend.requests().map(auditRow)).toEqual([]);
  });
});
