import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { assertionHeader, backend, json, postJson } from './helpers.js';

type Backend = Awaited<ReturnType<typeof backend>>;
// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON messages
type Json = any;

async function bearer(b: Backend) {
  const t = await b.issueTokens();
  return { authorization: `Bearer ${t.access_token}`, 'ChatGPT-Account-ID': t.account_id };
}

function parseSse(text: string): Array<{ event: string; data: Json }> {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? '';
      const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null');
      return { event, data };
    });
}

function openSocket(url: string, headers: Record<string, string>) {
  const ws = new WebSocket(url, { headers });
  const upgrade = new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve) => {
      ws.on('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (c: Buffer) => {
          body += c.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      let upgradeHeaders: Record<string, unknown> = {};
      ws.on('upgrade', (res) => {
        upgradeHeaders = res.headers;
      });
      ws.on('open', () => resolve({ status: 101, headers: upgradeHeaders, body: '' }));
    },
  );
  ws.on('error', () => {});
  return { ws, upgrade };
}

function collect(ws: WebSocket, until: (m: Json) => boolean): Promise<Json[]> {
  const messages: Json[] = [];
  return new Promise((resolve) => {
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString());
      messages.push(m);
      if (until(m)) resolve(messages);
    });
  });
}

describe('wham', () => {
  it('serves usage, config requirements and environments', async () => {
    const b = await backend();
    const headers = { authorization: await assertionHeader(b) };
    const usage = await json(await fetch(`${b.chatgptBaseUrl}/wham/usage`, { headers }));
    expect(usage).toMatchObject({
      plan_type: 'plus',
      rate_limit: {
        allowed: true,
        limit_reached: false,
        primary_window: { used_percent: 0, limit_window_seconds: 18000, reset_after_seconds: 18000 },
        secondary_window: { limit_window_seconds: 604800 },
      },
      credits: { has_credits: false, unlimited: false, balance: '0' },
    });
    const req = await json(await fetch(`${b.chatgptBaseUrl}/wham/config/requirements`, { headers }));
    expect(req).toMatchObject({
      contents: expect.any(String),
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const envs = await json(await fetch(`${b.chatgptBaseUrl}/wham/environments`, { headers }));
    expect(envs).toEqual([{ id: 'env_dev', label: 'dev-backend', is_pinned: true, task_count: 0 }]);
    const byRepo = await json(
      await fetch(`${b.chatgptBaseUrl}/wham/environments/by-repo/github/openai/codex`, { headers }),
    );
    expect(byRepo).toEqual([
      {
        id: 'env_gh_openai_codex',
        label: 'openai/codex',
        is_pinned: false,
        task_count: 0,
        repo_map: { 'github.com/openai/codex': 'env_gh_openai_codex' },
      },
    ]);
    const bad = await fetch(`${b.chatgptBaseUrl}/wham/environments/by-repo/github/a%20b/c`, { headers });
    expect(bad.status).toBe(400);
  });

  it('creates, lists and reads cloud tasks with sibling turns', async () => {
    const b = await backend();
    const headers = await bearer(b);
    const create = await postJson(
      `${b.chatgptBaseUrl}/wham/tasks`,
      {
        new_task: { environment_id: 'env_dev', branch: 'main', run_environment_in_qa_mode: false },
        input_items: [
          { type: 'message', role: 'user', content: [{ content_type: 'text', text: 'Fix the bug' }] },
        ],
        metadata: { best_of_n: 2 },
      },
      headers,
    );
    expect(create.status).toBe(200);
    const { task } = await json(create);
    expect(task).toMatchObject({
      id: expect.stringMatching(/^task_e_/),
      title: 'Fix the bug',
      archived: false,
    });

    const list = await json(
      await fetch(`${b.chatgptBaseUrl}/wham/tasks/list?limit=10&task_filter=current`, { headers }),
    );
    expect(list.items.map((i: { id: string }) => i.id)).toEqual([task.id]);
    expect(list.cursor).toBeNull();
    expect(list.items[0].task_status_display.latest_turn_status_display.diff_stats).toEqual({
      files_modified: 1,
      lines_added: 2,
      lines_removed: 0,
    });

    const details = await json(await fetch(`${b.chatgptBaseUrl}/wham/tasks/${task.id}`, { headers }));
    expect(details.current_user_turn.input_items[0].content[0].text).toBe('Fix the bug');
    expect(details.current_diff_task_turn.output_items[0]).toEqual({
      type: 'output_diff',
      diff: expect.stringContaining('+++ b/DEV_BACKEND.md'),
    });
    const turn = details.current_assistant_turn;
    expect(turn.sibling_turn_ids).toHaveLength(1);
    const siblings = await json(
      await fetch(`${b.chatgptBaseUrl}/wham/tasks/${task.id}/turns/${turn.id}/sibling_turns`, { headers }),
    );
    expect(siblings.sibling_turns.map((t: { id: string }) => t.id)).toEqual(turn.sibling_turn_ids);

    const others = await bearer(b);
    const hidden = await fetch(`${b.chatgptBaseUrl}/wham/tasks/${task.id}`, {
      headers: {
        authorization: (await b.issueTokens({ email: 'x@example.com' })).access_token.replace(/^/, 'Bearer '),
      },
    });
    expect(hidden.status).toBe(404);
    expect(others.authorization).toMatch(/^Bearer /);
    const invalid = await postJson(`${b.chatgptBaseUrl}/wham/tasks`, { new_task: {} }, headers);
    expect([invalid.status, (await json(invalid)).error.code]).toEqual([400, 'invalid_body']);
    const badLimit = await fetch(`${b.chatgptBaseUrl}/wham/tasks/list?limit=0`, { headers });
    expect(badLimit.status).toBe(400);
  });
});

describe('codex, files and connectors', () => {
  it('lists models and accepts analytics events', async () => {
    const b = await backend();
    const headers = { authorization: await assertionHeader(b) };
    const res = await fetch(`${b.chatgptBaseUrl}/codex/models?client_version=0.1.0`, { headers });
    expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]{16}"$/);
    const { models } = await json(res);
    expect(models[0]).toMatchObject({ slug: 'dev-echo', display_name: 'Dev echo', supported_in_api: true });
    const events = await postJson(
      `${b.chatgptBaseUrl}/codex/analytics-events/events`,
      { events: [{ event_type: 'codex_thread_initialized', event_params: { thread_id: 't1' } }] },
      headers,
    );
    expect([events.status, await json(events)]).toEqual([202, { accepted: 1 }]);
    const bad = await postJson(
      `${b.chatgptBaseUrl}/codex/analytics-events/events`,
      { events: [{}] },
      headers,
    );
    expect(bad.status).toBe(400);
  });

  it('uploads a file through the signed upload URL and confirms it', async () => {
    const b = await backend();
    const headers = await bearer(b);
    const content = Buffer.from('hello, dev backend');
    const created = await json(
      await postJson(
        `${b.chatgptBaseUrl}/files`,
        { file_name: 'notes.txt', file_size: content.length, use_case: 'codex' },
        headers,
      ),
    );
    expect(created).toEqual({
      file_id: expect.stringMatching(/^file-/),
      upload_url: expect.stringContaining('sig='),
    });
    const early = await fetch(`${b.chatgptBaseUrl}/files/${created.file_id}/uploaded`, {
      method: 'POST',
      headers,
    });
    expect([early.status, (await json(early)).error.code]).toEqual([409, 'upload_incomplete']);
    const put = await fetch(created.upload_url, {
      method: 'PUT',
      headers: { 'x-ms-blob-type': 'BlockBlob' },
      body: content,
    });
    expect(put.status).toBe(201);
    const forged = await fetch(created.upload_url.replace(/sig=.*/, 'sig=forged'), {
      method: 'PUT',
      body: content,
    });
    expect(forged.status).toBe(404);
    const done = await json(
      await fetch(`${b.chatgptBaseUrl}/files/${created.file_id}/uploaded`, { method: 'POST', headers }),
    );
    expect(done).toEqual({
      status: 'success',
      download_url: created.upload_url,
      file_name: 'notes.txt',
      mime_type: 'text/plain',
      file_size: content.length,
    });
    expect(Buffer.from(await (await fetch(done.download_url)).arrayBuffer()).equals(content)).toBe(true);
  });

  it('pages through the connector directory', async () => {
    const b = await backend();
    const headers = await bearer(b);
    const first = await json(
      await fetch(`${b.chatgptBaseUrl}/connectors/directory/list?tier=categorized&external_logos=true`, {
        headers,
      }),
    );
    expect(first.apps).toHaveLength(2);
    expect(first.apps[0]).toMatchObject({ id: 'connector_dev_github', name: 'GitHub (dev)' });
    const second = await json(
      await fetch(`${b.chatgptBaseUrl}/connectors/directory/list?token=${first.next_token}`, { headers }),
    );
    expect([second.apps.length, second.next_token]).toEqual([1, null]);
    const ws = await json(
      await fetch(`${b.chatgptBaseUrl}/connectors/directory/list_workspace`, { headers }),
    );
    expect(ws).toEqual({ apps: [], next_token: null });
  });
});

describe('responses', () => {
  const request = {
    model: 'dev-echo',
    instructions: 'be brief',
    input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hello there world' }] }],
    stream: true,
  };

  it('streams a deterministic echo over SSE', async () => {
    const b = await backend();
    const headers = { authorization: await assertionHeader(b) };
    const res = await postJson(`${b.chatgptBaseUrl}/codex/responses`, request, headers);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = parseSse(await res.text());
    expect(events[0]!.event).toBe('response.created');
    const deltas = events.filter((e) => e.event === 'response.output_text.delta').map((e) => e.data.delta);
    expect(deltas.join('')).toBe('Echo: hello there world');
    const completed = events.at(-1)!;
    expect(completed.event).toBe('response.completed');
    expect(completed.data.response).toMatchObject({
      status: 'completed',
      output: [
        {
          type: 'message',
          role: 'assistant',
          content: [{ type: 'output_text', text: 'Echo: hello there world' }],
        },
      ],
      usage: { output_tokens: 4 },
    });
    expect(events.every((e) => e.data.type === e.event)).toBe(true);
    const failed = parseSse(
      await (
        await postJson(`${b.chatgptBaseUrl}/codex/responses`, { ...request, model: 'dev-fail' }, headers)
      ).text(),
    );
    expect(failed.map((e) => e.event)).toEqual(['response.created', 'response.failed']);
    const cut = parseSse(
      await (
        await postJson(
          `${b.chatgptBaseUrl}/codex/responses`,
          { ...request, model: 'dev-incomplete' },
          headers,
        )
      ).text(),
    );
    expect(cut.map((e) => e.data.delta ?? '').join('')).toBe('Echo: hello there world');
    expect(cut.at(-1)!.event).toBe('response.incomplete');
    expect(cut.at(-1)!.data.response).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
    });
    const unauth = await postJson(`${b.chatgptBaseUrl}/codex/responses`, request);
    expect(unauth.status).toBe(401);
  });

  it('streams the same events over a websocket authenticated at the upgrade', async () => {
    const b = await backend();
    const header = await assertionHeader(b);
    const wsUrl = `${b.chatgptBaseUrl.replace('http', 'ws')}/codex/responses`;
    const { ws, upgrade } = openSocket(wsUrl, { authorization: header });
    expect((await upgrade).status).toBe(101);
    const done = collect(ws, (m) => m.type === 'response.completed' || m.type === 'error');
    ws.send(JSON.stringify({ type: 'response.create', ...request }));
    const messages = await done;
    expect(messages.map((m) => m.type).filter((t) => t === 'response.output_text.delta')).toHaveLength(4);
    expect(messages.at(-1).response.output[0].content[0].text).toBe('Echo: hello there world');
    expect(b.modelRequests()).toEqual([{ type: 'response.create', ...request }]);
    const err = collect(ws, (m) => m.type === 'error');
    ws.send('not json');
    expect((await err).at(-1)).toEqual({
      type: 'error',
      status: 400,
      error: { code: 'invalid_json', message: expect.any(String) },
    });
    ws.close();
    const record = b.requests({ path: '/backend-api/codex/responses' }).at(-1)!;
    expect(record).toMatchObject({ method: 'GET', authScheme: 'assertion', status: 101 });

    const denied = openSocket(wsUrl, { authorization: 'Bearer nope' });
    const rejected = await denied.upgrade;
    expect([rejected.status, rejected.headers['x-openai-authorization-error']]).toEqual([
      401,
      'invalid_bearer',
    ]);
    expect(JSON.parse(rejected.body).error.code).toBe('invalid_bearer');
    expect(rejected.headers.date).toEqual(expect.any(String));
  });
});

describe('remote control', () => {
  it('enrolls a server and runs the websocket with its token', async () => {
    const b = await backend();
    const headers = { authorization: await assertionHeader(b) };
    const body = {
      name: 'laptop',
      os: 'linux',
      arch: 'x86_64',
      app_server_version: '0.1.0',
      installation_id: 'inst-1',
    };
    const enrolled = await json(
      await postJson(`${b.chatgptBaseUrl}/wham/remote/control/server/enroll`, body, headers),
    );
    expect(enrolled).toEqual({
      server_id: expect.stringMatching(/^srv_/),
      environment_id: expect.stringMatching(/^env_rc_/),
      remote_control_token: expect.stringMatching(/^rct_/),
      expires_at: expect.stringMatching(/Z$/),
    });
    const again = await json(
      await postJson(`${b.chatgptBaseUrl}/wham/remote/control/server/enroll`, body, headers),
    );
    expect(again.server_id).toBe(enrolled.server_id);

    const wsUrl = `${b.chatgptBaseUrl.replace('http', 'ws')}/wham/remote/control/server`;
    const missing = openSocket(wsUrl, {
      authorization: `Bearer ${again.remote_control_token}`,
      'x-codex-server-id': 'srv_x',
    });
    const notFound = await missing.upgrade;
    expect([notFound.status, JSON.parse(notFound.body)]).toEqual([
      404,
      { detail: 'Remote app server not found' },
    ]);
    const stale = openSocket(wsUrl, {
      authorization: `Bearer ${enrolled.remote_control_token}`,
      'x-codex-server-id': again.server_id,
    });
    expect((await stale.upgrade).status).toBe(401);

    const { ws, upgrade } = openSocket(wsUrl, {
      authorization: `Bearer ${again.remote_control_token}`,
      'x-codex-server-id': again.server_id,
      'x-codex-protocol-version': '3',
    });
    expect((await upgrade).status).toBe(101);
    const incoming = collect(ws, (m) => m.type === 'client_message');
    const sent = await json(
      await postJson(`${b.url}/dev/remote-control/send`, {
        server_id: again.server_id,
        client_id: 'c1',
        message: { id: 1, method: 'initialize', params: {} },
      }),
    );
    expect(sent).toEqual({ sent: 1 });
    expect((await incoming).at(-1)).toEqual({
      type: 'client_message',
      client_id: 'c1',
      seq_id: 1,
      message: { id: 1, method: 'initialize', params: {} },
    });
    const ack = collect(ws, (m) => m.type === 'ack');
    ws.send(
      JSON.stringify({ type: 'server_message', client_id: 'c1', seq_id: 7, message: { id: 1, result: {} } }),
    );
    expect((await ack).at(-1)).toEqual({ type: 'ack', client_id: 'c1', seq_id: 7 });
    const state = await json(await fetch(`${b.url}/dev/remote-control`));
    expect(state[0]).toMatchObject({ server_id: again.server_id, connected: 1 });
    expect(state[0].received.at(-1)).toMatchObject({ type: 'server_message', seq_id: 7 });
    ws.close();
  });
});
