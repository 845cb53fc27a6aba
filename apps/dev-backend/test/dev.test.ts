import { describe, expect, it } from 'vitest';
import { assertionHeader, backend, json, postJson } from './helpers.js';

describe('/dev helpers', () => {
  it('injects a status for a count of matching requests, by glob and method, and clears faults', async () => {
    const b = await backend();
    const t = await b.issueTokens();
    const headers = { authorization: `Bearer ${t.access_token}` };
    const add = await postJson(`${b.url}/dev/faults`, {
      path: '/backend-api/wham/*',
      method: 'get',
      status: 503,
      count: 2,
    });
    expect(add.status).toBe(201);
    expect(await json(await fetch(`${b.url}/dev/faults`))).toEqual([
      { path: '/backend-api/wham/*', method: 'GET', status: 503, count: 2, remaining: 2 },
    ]);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await fetch(`${b.chatgptBaseUrl}/wham/usage`, { headers })).status);
    expect(statuses).toEqual([503, 503, 200]);

    b.injectFault({
      path: '/backend-api/codex/models',
      status: 429,
      body: { error: { code: 'rate_limited' } },
    });
    const limited = await fetch(`${b.chatgptBaseUrl}/codex/models`, { headers });
    expect([limited.status, await json(limited)]).toEqual([429, { error: { code: 'rate_limited' } }]);

    await postJson(`${b.url}/dev/faults`, { path: '/backend-api/wham/usage', status: 500, count: 5 });
    expect((await fetch(`${b.url}/dev/faults`, { method: 'DELETE' })).status).toBe(200);
    expect((await fetch(`${b.chatgptBaseUrl}/wham/usage`, { headers })).status).toBe(200);
    b.injectFault({ path: '/backend-api/wham/usage', method: 'POST', status: 500 });
    expect((await fetch(`${b.chatgptBaseUrl}/wham/usage`, { headers })).status).toBe(200);
    b.clearFaults();

    for (const bad of [
      { path: 'no-slash', status: 500 },
      { path: '/x' },
      { path: '/x', status: 42 },
      { path: '/x', drop: 'yes' },
    ]) {
      const res = await postJson(`${b.url}/dev/faults`, bad);
      expect([res.status, (await json(res)).error.code]).toEqual([400, 'invalid_body']);
    }
  });

  it('delays a response past a client timeout, then answers normally', async () => {
    const b = await backend();
    const headers = { authorization: await assertionHeader(b) };
    b.injectFault({ path: '/backend-api/wham/usage', delayMs: 60_000 });
    const timedOut = await fetch(`${b.chatgptBaseUrl}/wham/usage`, {
      headers,
      signal: AbortSignal.timeout(100),
    }).catch((e: Error) => e.name);
    expect(timedOut).toBe('TimeoutError');
    expect((await fetch(`${b.chatgptBaseUrl}/wham/usage`, { headers })).status).toBe(200);
    b.injectFault({ path: '/backend-api/wham/usage', delayMs: 1, status: 502 });
    expect((await fetch(`${b.chatgptBaseUrl}/wham/usage`, { headers })).status).toBe(502);
  });

  it('drops the connection without an answer', async () => {
    const b = await backend();
    b.injectFault({ path: '/backend-api/v1/agent/register', drop: true });
    const error = await postJson(`${b.chatgptBaseUrl}/v1/agent/register`, {}).catch((e: Error) => e);
    expect(error).toBeInstanceOf(TypeError);
    const [record] = b.requests({ path: '/backend-api/v1/agent/register' });
    expect(record).toMatchObject({ status: 0, reason: 'fault_drop' });
  });

  it('lists requests newest last with filters, caps them, and clears them', async () => {
    const b = await backend({ maxRequestRecords: 3 });
    for (let i = 0; i < 5; i++) await fetch(`${b.chatgptBaseUrl}/wham/usage`);
    await fetch(`${b.chatgptBaseUrl}/codex/models`, { method: 'POST' });
    const all = await json(await fetch(`${b.url}/dev/requests`));
    expect(all.map((r: { id: number }) => r.id)).toEqual([4, 5, 6]);
    expect(all.at(-1)).toMatchObject({ method: 'POST', path: '/backend-api/codex/models', status: 405 });
    const filtered = await json(await fetch(`${b.url}/dev/requests?path=/backend-api/wham/usage&method=get`));
    expect(filtered.map((r: { reason: string }) => r.reason)).toEqual([
      'missing_authorization',
      'missing_authorization',
    ]);
    expect((await fetch(`${b.url}/dev/requests`, { method: 'DELETE' })).status).toBe(200);
    expect(b.requests()).toEqual([]);
    await fetch(`${b.url}/dev/state`);
    expect(b.requests()).toEqual([]);
  });

  it('shows state as JSON and an escaped HTML page', async () => {
    const b = await backend();
    const evil = '<img src=x onerror=alert(1)>@example.com';
    await postJson(`${b.url}/dev/tokens`, { email: evil, plan: '<b>pro</b>' });
    await assertionHeader(b);
    await fetch(`${b.chatgptBaseUrl}/wham/<script>`);
    const res = await fetch(`${b.url}/dev/`);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>pro');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;@example.com');
    expect(html).toContain(b.identities()[0]!.agentRuntimeId);
    expect(html).toContain(b.tasks()[0]!.taskId);
    const state = await json(await fetch(`${b.url}/dev/state`));
    expect(state.users.map((u: { email: string }) => u.email)).toContain(evil);
    expect(state.identities).toEqual(b.identities());
    expect(state.tasks).toEqual(b.tasks());
  });

  it('moves the clock and forgets identities and tasks over HTTP', async () => {
    const b = await backend();
    const clock = await postJson(`${b.url}/dev/clock`, { offsetSeconds: 120 });
    expect(await json(clock)).toEqual({ offsetSeconds: 120 });
    const date = Date.parse((await fetch(`${b.url}/dev/state`)).headers.get('date')!);
    expect(date - Date.now()).toBeGreaterThan(100_000);
    await postJson(`${b.url}/dev/clock`, { offsetSeconds: 0 });
    await assertionHeader(b);
    const task = b.tasks()[0]!;
    expect((await fetch(`${b.url}/dev/tasks/${task.taskId}`, { method: 'DELETE' })).status).toBe(200);
    expect(b.tasks()).toEqual([]);
    await fetch(`${b.url}/dev/identities/${task.agentRuntimeId}`, { method: 'DELETE' });
    expect(b.identities()).toEqual([]);
  });
});

describe('secrets stay out of the log', () => {
  it('records biscuit and signature requests without the biscuit, signature or tokens', async () => {
    const b = await backend();
    const t = await b.issueTokens();
    const biscuitRes = await fetch(`${b.chatgptBaseUrl}/authenticate_app_v2`, {
      headers: {
        authorization: `Bearer ${t.access_token}`,
        'x-original-method': 'POST',
        'x-original-url': `${b.chatgptBaseUrl}/v1/agent/register`,
      },
    });
    const biscuit = biscuitRes.headers.get('x-openai-authorization')!;
    await postJson(
      `${b.chatgptBaseUrl}/v1/agent/register`,
      { bad: true },
      { 'x-openai-authorization': biscuit },
    );
    await postJson(b.tokenUrl, {
      client_id: 'c',
      grant_type: 'refresh_token',
      refresh_token: t.refresh_token,
    });
    const logged = JSON.stringify(await json(await fetch(`${b.url}/dev/requests`)));
    const page = await (await fetch(`${b.url}/dev/`)).text();
    for (const secret of [biscuit, t.access_token, t.refresh_token, t.id_token]) {
      expect(logged).not.toContain(secret);
      expect(page).not.toContain(secret);
    }
    expect(b.requests().map((r) => [r.path, r.authScheme, r.status, r.reason])).toEqual([
      ['/backend-api/authenticate_app_v2', 'bearer', 200, undefined],
      ['/backend-api/v1/agent/register', 'biscuit', 400, 'invalid_body'],
      ['/oauth/token', 'none', 200, undefined],
    ]);
  });

  it('keeps users apart by id, email and account, and answers HEAD like GET without a body', async () => {
    const b = await backend();
    const a = await b.issueTokens({
      userId: 'user-a',
      email: 'a@example.com',
      accountId: 'acct-a',
      fedramp: true,
    });
    await b.issueTokens({ userId: 'user-a', plan: 'pro' });
    await b.issueTokens({ email: 'a@example.com', accountId: 'acct-b' });
    expect(b.users()).toEqual([
      { userId: 'user-a', email: 'a@example.com', plan: 'pro', accountId: 'acct-a', fedramp: true },
      {
        userId: expect.stringMatching(/^user-/),
        email: 'a@example.com',
        plan: 'plus',
        accountId: 'acct-b',
        fedramp: false,
      },
    ]);
    const head = await fetch(`${b.chatgptBaseUrl}/wham/usage`, {
      method: 'HEAD',
      headers: { authorization: `Bearer ${a.access_token}` },
    });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});
