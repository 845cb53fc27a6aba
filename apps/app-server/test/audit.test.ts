import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { auditRow, isBootstrap } from './support/audit.js';
import { useDevWorld, type WorldServer } from './support/dev-world.js';

const world = useDevWorld();

/** A stand-in for the OpenAI API's `POST /responses`: records the Authorization header, answers one short turn. */
async function fakeResponsesApi(): Promise<{
  url: string;
  authorizations: string[];
  close(): Promise<void>;
}> {
  const authorizations: string[] = [];
  const events = [
    { type: 'response.created', response: { id: 'resp_1' } },
    {
      type: 'response.output_item.added',
      output_index: 0,
      item: { type: 'message', id: 'msg_1', role: 'assistant', content: [] },
    },
    { type: 'response.output_text.delta', item_id: 'msg_1', delta: 'ok' },
    {
      type: 'response.output_item.done',
      output_index: 0,
      item: {
        type: 'message',
        id: 'msg_1',
        role: 'assistant',
        content: [{ type: 'output_text', text: 'ok' }],
      },
    },
    { type: 'response.completed', response: { id: 'resp_1' } },
  ];
  const server = createServer((req, res) => {
    authorizations.push(req.headers.authorization ?? '');
    req.resume();
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(events.map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`).join(''));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    authorizations,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const input = (text: string) => [{ type: 'text', text, text_elements: [] }];

async function turn(h: WorldServer, threadId: string, text: string): Promise<void> {
  const done = h.client.next('turn/completed');
  await h.client.result('turn/start', { threadId, input: input(text) });
  const { params } = await done;
  expect(params).toMatchObject({ turn: { status: 'completed' } });
}

/**
 * The scripted session of the audit: initialize, account/read, account/rateLimits/read (ChatGPT), model/list, app/list, thread/start, two turns, then
 * thread/resume in a new server process on the same CODEX_HOME and another turn.
 */
async function session(home: string, chatgpt = true): Promise<void> {
  const a = await world.server({ home });
  await a.client.result('account/read', {});
  if (chatgpt) await a.client.result('account/rateLimits/read');
  await a.client.result('configRequirements/read');
  await a.client.result('model/list', {});
  await a.client.result('app/list', {});
  const { thread } = await a.client.result<{ thread: { id: string } }>('thread/start', {});
  await turn(a, thread.id, 'first turn');
  await turn(a, thread.id, 'second turn');
  await a.close();

  const b = await world.server({ home });
  await b.client.result('thread/resume', { threadId: thread.id });
  await b.client.result('app/list', {});
  await turn(b, thread.id, 'after resume');
  await b.close();
}

describe('audit: what the backend saw over a whole session', () => {
  it('flag on: an accepted AgentAssertion on every call except bootstrap: turns with the thread task, the rest with the background task', async () => {
    await session(await world.home({ flag: true }));
    const calls = world.backend.requests().filter((r) => !isBootstrap(r));
    expect(calls.length).toBeGreaterThan(4);
    const unsigned = calls.filter((r) => r.authScheme !== 'assertion' || r.status >= 400);
    expect(unsigned.map(auditRow)).toEqual([]);
    const turns = calls.filter((r) => r.path === '/backend-api/codex/responses');
    expect(turns.map((r) => r.taskKind)).toEqual(['thread', 'thread', 'thread']);
    expect(new Set(turns.map((r) => r.taskId)).size).toBe(1);
    const rest = calls.filter((r) => r.path !== '/backend-api/codex/responses');
    expect(rest.filter((r) => r.taskKind !== 'background').map(auditRow)).toEqual([]);
    expect(new Set(rest.map((r) => r.path))).toEqual(
      new Set([
        '/backend-api/wham/usage',
        '/backend-api/wham/rate-limit-reset-credits',
        '/backend-api/wham/config/requirements',
        '/backend-api/codex/models',
        '/backend-api/connectors/directory/list',
        '/backend-api/wham/apps',
        '/backend-api/codex/analytics-events/events',
      ]),
    );
    // Bootstrap, each once: the biscuit (bearer), the identity (biscuit), the background and the thread task
    // (signature); the resumed thread reused its persisted task.
    const bootstrap = world.backend.requests().filter(isBootstrap);
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
    await session(await world.home());
    const calls = world.backend.requests();
    expect(calls.length).toBeGreaterThan(4);
    expect(calls.filter((r) => r.authScheme !== 'bearer' || r.status >= 400).map(auditRow)).toEqual([]);
    expect(calls.filter(isBootstrap)).toEqual([]);
  });

  it('API key: no ChatGPT credential anywhere (turns carry the key to the API; the ChatGPT backend is not called)', async () => {
    const api = await fakeResponsesApi();
    try {
      const h = await world.server({ flag: true, extra: `openai_base_url = "${api.url}"`, signedIn: false });
      await h.client.result('account/login/start', { type: 'apiKey', apiKey: 'sk-audit' });
      await h.close();
      await session(h.home, false);
      expect(api.authorizations).toEqual(['Bearer sk-audit', 'Bearer sk-audit', 'Bearer sk-audit']);
      expect(world.backend.requests().map(auditRow)).toEqual([]);
    } finally {
      await api.close();
    }
  });
});
