import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Agent, fetch as undiciFetch } from 'undici';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MODELS } from '../src/index.js';
import { assertionHeader, backend, json, postJson, registerAgent } from './helpers.js';

// What upstream Codex 0.169 needs from the dev backend (issue 8 §2); tests/upstream-interop drives the real binary.

const RATE_LIMIT_HEADERS = [
  'x-codex-active-limit',
  'x-codex-credits-balance',
  'x-codex-credits-has-credits',
  'x-codex-credits-unlimited',
  'x-codex-primary-reset-at',
  'x-codex-primary-used-percent',
  'x-codex-primary-window-minutes',
  'x-codex-secondary-reset-at',
  'x-codex-secondary-used-percent',
  'x-codex-secondary-window-minutes',
];

function rateLimitHeadersOf(headers: Headers | Record<string, string | string[] | undefined>) {
  const entries =
    headers instanceof Headers
      ? [...headers.entries()]
      : Object.entries(headers).map(([k, v]) => [k, String(v)]);
  return Object.fromEntries(entries.filter(([name]) => name!.startsWith('x-codex-')));
}

function expectedRateLimitHeaders(nowSeconds: number) {
  return {
    'x-codex-primary-used-percent': '0',
    'x-codex-primary-window-minutes': '300',
    'x-codex-primary-reset-at': String(nowSeconds + 5 * 3600),
    'x-codex-secondary-used-percent': '0',
    'x-codex-secondary-window-minutes': '10080',
    'x-codex-secondary-reset-at': String(nowSeconds + 7 * 86400),
    'x-codex-credits-has-credits': 'false',
    'x-codex-credits-unlimited': 'false',
    'x-codex-credits-balance': '0',
    'x-codex-active-limit': 'codex',
  };
}

describe('workspace routing and the small routes upstream calls', () => {
  it('GET wham/accounts/check lists the caller’s workspace; its origin is NO_CONSTRAINT over plain HTTP', async () => {
    const b = await backend();
    const tokens = await b.issueTokens({ email: 'dev@example.com', plan: 'plus' });
    const res = await fetch(`${b.chatgptBaseUrl}/wham/accounts/check`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(res.status).toBe(200);
    const userId = b.users()[0]!.userId;
    expect(await json(res)).toEqual({
      accounts: [
        {
          id: tokens.account_id,
          account_user_id: `${userId}__${tokens.account_id}`,
          account_user_role: 'account-owner',
          structure: 'personal',
          plan_type: 'plus',
          is_zdr: false,
          is_openai_internal: false,
          workspace_backend_origin: 'NO_CONSTRAINT',
          account_routing_override: 'NO_CONSTRAINT',
        },
      ],
      default_account_id: tokens.account_id,
      account_ordering: [tokens.account_id],
    });
  });

  it.each([
    ['/wham/settings/user', { commit_attribution_enabled: false }],
    ['/wham/rate-limit-reset-credits', { credits: [], available_count: 0, total_earned_count: 0 }],
    [
      '/ps/plugins/installed?includeExtensions=true&limit=200',
      { plugins: [], pagination: { next_page_token: null } },
    ],
    ['/ps/plugins/suggested/codex?scope=GLOBAL', { enabled: true, plugins: [] }],
  ])('GET %s answers a small valid body, with an assertion as with a bearer', async (path, body) => {
    const b = await backend();
    const tokens = await b.issueTokens();
    for (const authorization of [`Bearer ${tokens.access_token}`, await assertionHeader(b)]) {
      const res = await fetch(`${b.chatgptBaseUrl}${path}`, { headers: { authorization } });
      expect([res.status, await json(res)]).toEqual([200, body]);
    }
    const anonymous = await fetch(`${b.chatgptBaseUrl}${path}`);
    expect(anonymous.status).toBe(401);
  });

  it('every model carries model_messages.instructions_template', async () => {
    const b = await backend();
    const tokens = await b.issueTokens();
    const res = await fetch(`${b.chatgptBaseUrl}/codex/models?client_version=0.169.0`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    const { models } = await json(res);
    expect(models.map((m: { slug: string }) => m.slug)).toEqual(MODELS.map((m) => m.slug));
    for (const model of models) {
      expect(model.model_messages).toEqual({ instructions_template: expect.stringMatching(/\S/) });
    }
  });

  it('the device-code response names the user code once (`user_code`), as upstream rejects a duplicate', async () => {
    const b = await backend();
    const res = await postJson(`${b.url}/api/accounts/deviceauth/usercode`, { client_id: 'app_test' });
    expect(Object.keys(await json(res)).sort()).toEqual([
      'device_auth_id',
      'expires_at',
      'interval',
      'user_code',
      'verification_uri',
    ]);
  });
});

describe('rate limits on Responses', () => {
  it('an SSE response carries the x-codex-* rate-limit headers', async () => {
    const b = await backend({ clockOffsetSeconds: 0 });
    const tokens = await b.issueTokens();
    const before = Math.floor(Date.now() / 1000);
    const res = await postJson(
      `${b.chatgptBaseUrl}/codex/responses`,
      { model: 'dev-echo', stream: true, input: [{ role: 'user', content: 'hi' }] },
      { authorization: `Bearer ${tokens.access_token}` },
    );
    await res.text();
    const headers = rateLimitHeadersOf(res.headers);
    expect(Object.keys(headers).sort()).toEqual(RATE_LIMIT_HEADERS);
    const now = Number(headers['x-codex-primary-reset-at']) - 5 * 3600;
    expect(now - before).toBeGreaterThanOrEqual(0);
    expect(headers).toEqual(expectedRateLimitHeaders(now));
  });

  it('a websocket carries them on the upgrade and sends codex.rate_limits before each response', async () => {
    const b = await backend();
    const tokens = await b.issueTokens({ plan: 'pro' });
    const ws = new WebSocket(`${b.chatgptBaseUrl.replace('http', 'ws')}/codex/responses`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    let upgrade: Record<string, string | string[] | undefined> = {};
    ws.once('upgrade', (res) => {
      upgrade = res.headers;
    });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const frames: Record<string, unknown>[] = [];
    const completed = new Promise<void>((resolve) => {
      ws.on('message', (data) => {
        const event = JSON.parse(String(data)) as Record<string, unknown>;
        frames.push(event);
        if (event.type === 'response.completed') resolve();
      });
    });
    ws.send(
      JSON.stringify({
        type: 'response.create',
        model: 'dev-echo',
        input: [{ role: 'user', content: 'hi' }],
      }),
    );
    await completed;
    ws.close();
    const headers = rateLimitHeadersOf(upgrade);
    const now = Number(headers['x-codex-primary-reset-at']) - 5 * 3600;
    expect(headers).toEqual(expectedRateLimitHeaders(now));
    expect(frames.map((f) => f.type).slice(0, 2)).toEqual(['codex.rate_limits', 'response.created']);
    expect(frames[0]).toEqual({
      type: 'codex.rate_limits',
      plan_type: 'pro',
      metered_limit_name: 'codex',
      rate_limits: {
        allowed: true,
        limit_reached: false,
        primary: { used_percent: 0, window_minutes: 300, reset_at: now + 5 * 3600 },
        secondary: { used_percent: 0, window_minutes: 10080, reset_at: now + 7 * 86400 },
      },
      credits: { has_credits: false, unlimited: false, balance: '0' },
    });
  });
});

describe('/dev/requests records what the client meant', () => {
  it('records the scheme a client sent on an unknown route (404) and a wrong method (405)', async () => {
    const b = await backend();
    const tokens = await b.issueTokens();
    await fetch(`${b.chatgptBaseUrl}/ps/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    await fetch(`${b.chatgptBaseUrl}/plugins/featured`, {
      headers: { authorization: await assertionHeader(b) },
    });
    await fetch(`${b.chatgptBaseUrl}/wham/usage`, {
      method: 'DELETE',
      headers: { authorization: 'Bearer x' },
    });
    await fetch(`${b.chatgptBaseUrl}/nothing-here`);
    const records = b
      .requests()
      .filter((r) => r.status === 404 || r.status === 405)
      .map(({ method, path, authScheme, status }) => ({ method, path, authScheme, status }));
    expect(records).toEqual([
      { method: 'POST', path: '/backend-api/ps/mcp', authScheme: 'bearer', status: 404 },
      { method: 'GET', path: '/backend-api/plugins/featured', authScheme: 'assertion', status: 404 },
      { method: 'DELETE', path: '/backend-api/wham/usage', authScheme: 'bearer', status: 405 },
      { method: 'GET', path: '/backend-api/nothing-here', authScheme: 'none', status: 404 },
    ]);
  });

  it('records the scheme on a websocket to an unknown path', async () => {
    const b = await backend();
    const tokens = await b.issueTokens();
    const ws = new WebSocket(`${b.chatgptBaseUrl.replace('http', 'ws')}/nowhere`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    const status = await new Promise<number>((resolve) =>
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
    );
    ws.on('error', () => {});
    ws.terminate();
    expect(status).toBe(404);
    expect(b.requests({ path: '/backend-api/nowhere' }).map((r) => [r.authScheme, r.status])).toEqual([
      ['bearer', 404],
    ]);
  });

  it('records the task kind the registration asked for, even when it fails', async () => {
    const b = await backend();
    const agent = await registerAgent(b);
    const runtime = agent.signer.agentRuntimeId;
    // A well-formed registration whose signature is not the runtime's.
    const timestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const body = (extra: object) => ({ timestamp, signature: Buffer.alloc(64).toString('base64'), ...extra });
    await postJson(
      `${b.chatgptBaseUrl}/v1/agent/agent_unknown/task/register`,
      body({ external_task_ref: 'thread-1' }),
    );
    await postJson(`${b.chatgptBaseUrl}/v1/agent/${runtime}/task/register`, body({}));
    await postJson(
      `${b.chatgptBaseUrl}/v1/agent/${runtime}/task/register`,
      body({ external_task_ref: 'thread-2' }),
    );
    const records = b
      .requests()
      .filter((r) => r.path.endsWith('/task/register'))
      .map(({ authScheme, taskKind, status, reason }) => ({ authScheme, taskKind, status, reason }));
    expect(records).toEqual([
      { authScheme: 'signature', taskKind: 'thread', status: 401, reason: 'unknown_runtime' },
      { authScheme: 'signature', taskKind: 'background', status: 401, reason: 'bad_signature' },
      { authScheme: 'signature', taskKind: 'thread', status: 401, reason: 'bad_signature' },
    ]);
  });
});

describe('--tls: HTTPS and WSS under a throw-away CA', () => {
  it('serves HTTPS for 127.0.0.1 and localhost to clients that trust the CA file, and removes it on close', async () => {
    const b = await backend({ tls: true });
    expect(b.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(b.chatgptBaseUrl).toBe(`${b.url}/backend-api`);
    const ca = await readFile(b.caFile!, 'utf8');
    expect(ca).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\n$/);
    const dispatcher = new Agent({ connect: { ca } });
    try {
      const tokens = await b.issueTokens();
      for (const host of ['127.0.0.1', 'localhost']) {
        const url = `${b.chatgptBaseUrl.replace('127.0.0.1', host)}/wham/usage`;
        const res = await undiciFetch(url, {
          dispatcher,
          headers: { authorization: `Bearer ${tokens.access_token}` },
        });
        expect([host, res.status]).toEqual([host, 200]);
        await res.text();
      }
      const untrusted = await undiciFetch(`${b.url}/dev/state`).then(
        () => 'connected',
        (error: Error & { cause?: { code?: string } }) => error.cause?.code,
      );
      expect(untrusted).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    } finally {
      await dispatcher.close();
    }
    const caFile = b.caFile!;
    await b.close();
    await expect(access(caFile)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('serves WSS Responses and names the https origin in workspace routing', async () => {
    const b = await backend({ tls: true });
    const ca = await readFile(b.caFile!, 'utf8');
    const tokens = await b.issueTokens();
    const ws = new WebSocket(`${b.chatgptBaseUrl.replace('https', 'wss')}/codex/responses`, {
      ca,
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    const types: unknown[] = [];
    await new Promise<void>((resolve, reject) => {
      ws.once('error', reject);
      ws.once('open', () =>
        ws.send(
          JSON.stringify({
            type: 'response.create',
            model: 'dev-echo',
            input: [{ role: 'user', content: 'hi' }],
          }),
        ),
      );
      ws.on('message', (data) => {
        const type = (JSON.parse(String(data)) as { type: string }).type;
        types.push(type);
        if (type === 'response.completed') resolve();
      });
    });
    ws.close();
    expect(types.at(0)).toBe('codex.rate_limits');
    const dispatcher = new Agent({ connect: { ca } });
    try {
      const res = await undiciFetch(`${b.chatgptBaseUrl}/wham/accounts/check`, {
        dispatcher,
        headers: { authorization: `Bearer ${tokens.access_token}` },
      });
      const body = (await res.json()) as { accounts: { workspace_backend_origin: string }[] };
      expect(body.accounts[0]!.workspace_backend_origin).toBe(b.url);
    } finally {
      await dispatcher.close();
    }
  });

  it('the CLI: --tls prints the CA file, serves HTTPS with it, and removes it on SIGTERM', async () => {
    const cli = join(import.meta.dirname, '..', 'dist', 'cli.js');
    const child = spawn(process.execPath, [cli, '--port', '0', '--tls'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const printed = [];
    for (let i = 0; i < 3; i++) printed.push((await lines.next()).value as string);
    const url = /^dev-backend listening on (https:\/\/127\.0\.0\.1:\d+)$/.exec(printed[0]!)?.[1];
    const caFile =
      /^ca certificate: (\S+) \(trust it with CODEX_CA_CERTIFICATE or NODE_EXTRA_CA_CERTS\)$/.exec(
        printed[2]!,
      )?.[1];
    expect({ url, caFile, base: printed[1] }).toEqual({
      url: expect.any(String),
      caFile: expect.stringMatching(/ca\.pem$/),
      base: `chatgpt base url: ${url}/backend-api`,
    });
    const dispatcher = new Agent({ connect: { ca: await readFile(caFile!, 'utf8') } });
    try {
      const res = await undiciFetch(`${url}/dev/state`, { dispatcher });
      expect(res.status).toBe(200);
      await res.text();
    } finally {
      await dispatcher.close();
    }
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    await expect(access(caFile!)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
