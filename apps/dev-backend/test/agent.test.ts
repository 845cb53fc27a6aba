import {
  fetchAgentBiscuit,
  formatAgentTimestamp,
  openSealedTaskId,
  RegistrationError,
  registerAgentIdentity,
} from '@codex-ts/agent-identity';
import { describe, expect, it } from 'vitest';
import { GOLDEN } from './golden-vector.js';
import { ABOM, backend, json, postJson, registerAgent, registerTask } from './helpers.js';

describe('agent identity registration', () => {
  it('registers an identity through the biscuit and records it', async () => {
    const b = await backend();
    const agent = await registerAgent(b);
    expect(agent.signer.agentRuntimeId).toMatch(/^agent_[0-9a-f]{32}$/);
    const [identity] = b.identities();
    expect(identity).toEqual({
      agentRuntimeId: agent.signer.agentRuntimeId,
      publicKeySsh: agent.key.publicKeySsh,
      userId: b.users()[0]!.userId,
      accountId: agent.tokens.account_id,
      registeredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    });
    const log = b.requests();
    expect(log.map((r) => [r.path, r.authScheme, r.status])).toEqual([
      ['/backend-api/authenticate_app_v2', 'bearer', 200],
      ['/backend-api/v1/agent/register', 'biscuit', 200],
    ]);
    expect(log[1]!.agentRuntimeId).toBe(agent.signer.agentRuntimeId);
  });

  it('returns the biscuit in x-openai-authorization and needs the original method and url', async () => {
    const b = await backend();
    const t = await b.issueTokens();
    const ok = await fetch(`${b.chatgptBaseUrl}/authenticate_app_v2`, {
      headers: {
        authorization: `Bearer ${t.access_token}`,
        'x-original-method': 'POST',
        'x-original-url': `${b.chatgptBaseUrl}/v1/agent/register`,
      },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-openai-authorization')).toMatch(/^bsc_[A-Za-z0-9_-]{43}$/);
    const missing = await fetch(`${b.chatgptBaseUrl}/authenticate_app_v2`, {
      headers: { authorization: `Bearer ${t.access_token}` },
    });
    expect(missing.status).toBe(400);
    expect((await json(missing)).error.code).toBe('missing_original_request');
    const noBearer = await fetch(`${b.chatgptBaseUrl}/authenticate_app_v2`, {
      headers: { 'x-original-method': 'POST', 'x-original-url': `${b.chatgptBaseUrl}/v1/agent/register` },
    });
    expect(noBearer.status).toBe(401);
    expect(noBearer.headers.get('x-openai-authorization-error')).toBe('missing_authorization');
  });

  async function mint(b: Awaited<ReturnType<typeof backend>>, o: { method?: string; url?: string } = {}) {
    const t = await b.issueTokens();
    const biscuit = await fetchAgentBiscuit({
      chatgptBaseUrl: b.chatgptBaseUrl,
      accessToken: t.access_token,
      originalMethod: o.method ?? 'POST',
      originalUrl: o.url ?? `${b.chatgptBaseUrl}/v1/agent/register`,
    });
    return { t, biscuit };
  }

  async function register(b: Awaited<ReturnType<typeof backend>>, biscuit: string, extra = {}) {
    return postJson(
      `${b.chatgptBaseUrl}/v1/agent/register`,
      {
        abom: ABOM,
        agent_public_key: GOLDEN.publicKeySsh,
        capabilities: [],
      },
      { 'x-openai-authorization': biscuit, ...extra },
    );
  }

  it.each<[string, { url?: string; method?: string }]>([
    ['another URL', { url: 'http://127.0.0.1:1/backend-api/v1/agent/register' }],
    ['another path', { url: 'PLACEHOLDER/v1/agent/other' }],
    ['another method', { method: 'GET' }],
  ])('rejects a biscuit minted for %s with biscuit_mismatch', async (_name, o) => {
    const b = await backend();
    const url = o.url?.replace('PLACEHOLDER', b.chatgptBaseUrl);
    const { biscuit } = await mint(b, { ...o, ...(url ? { url } : {}) });
    const res = await register(b, biscuit);
    expect(res.status).toBe(401);
    expect(res.headers.get('x-openai-authorization-error')).toBe('biscuit_mismatch');
    expect(await json(res)).toEqual({ error: { code: 'biscuit_mismatch', message: expect.any(String) } });
    expect(b.identities()).toEqual([]);
  });

  it('rejects a biscuit presented alongside another user bearer token', async () => {
    const b = await backend();
    const { biscuit } = await mint(b);
    const other = await b.issueTokens({ email: 'other@example.com' });
    const res = await register(b, biscuit, { authorization: `Bearer ${other.access_token}` });
    expect(res.headers.get('x-openai-authorization-error')).toBe('biscuit_mismatch');
  });

  it('rejects a ChatGPT-Account-ID other than the biscuit owner account', async () => {
    const b = await backend();
    const { biscuit } = await mint(b);
    const res = await register(b, biscuit, { 'chatgpt-account-id': 'acct-other' });
    expect(res.status).toBe(403);
    expect((await json(res)).error.code).toBe('account_mismatch');
  });

  it('rejects expired, unknown, reused and missing biscuits', async () => {
    const b = await backend();
    const { biscuit } = await mint(b);
    b.setClockOffset(301);
    const expired = await register(b, biscuit);
    expect(expired.headers.get('x-openai-authorization-error')).toBe('invalid_biscuit');
    b.setClockOffset(0);

    const unknown = await register(b, 'bsc_not-a-real-biscuit');
    expect(unknown.headers.get('x-openai-authorization-error')).toBe('invalid_biscuit');

    const fresh = await mint(b);
    expect((await register(b, fresh.biscuit)).status).toBe(200);
    const reused = await register(b, fresh.biscuit);
    expect(reused.headers.get('x-openai-authorization-error')).toBe('invalid_biscuit');

    const missing = await postJson(`${b.chatgptBaseUrl}/v1/agent/register`, {});
    expect(missing.headers.get('x-openai-authorization-error')).toBe('missing_authorization');
  });

  it('validates the registration body and the ssh-ed25519 key', async () => {
    const b = await backend();
    const cases: Array<[unknown, string]> = [
      [{ abom: ABOM, agent_public_key: 'ssh-rsa AAAAB3NzaC1yc2E=', capabilities: [] }, 'invalid_public_key'],
      [{ abom: ABOM, agent_public_key: 'ssh-ed25519 !!!not-base64', capabilities: [] }, 'invalid_public_key'],
      [{ abom: { agent_version: '1' }, agent_public_key: 'x', capabilities: [] }, 'invalid_body'],
      [{ abom: ABOM, agent_public_key: 'x' }, 'invalid_body'],
    ];
    for (const [body, code] of cases) {
      const { biscuit } = await mint(b);
      const res = await postJson(`${b.chatgptBaseUrl}/v1/agent/register`, body, {
        'x-openai-authorization': biscuit,
      });
      expect(res.status).toBe(400);
      expect((await json(res)).error.code).toBe(code);
    }
    expect(b.identities()).toEqual([]);
  });

  it('surfaces a 503 fault to the real client as a retryable RegistrationError', async () => {
    const b = await backend();
    const { biscuit } = await mint(b);
    b.injectFault({ path: '/backend-api/v1/agent/register', status: 503, count: 3 });
    for (let i = 0; i < 3; i++) {
      const error = await registerAgentIdentity({
        chatgptBaseUrl: b.chatgptBaseUrl,
        biscuit,
        publicKeySsh: GOLDEN.publicKeySsh,
        abom: ABOM,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RegistrationError);
      expect((error as RegistrationError).status).toBe(503);
      expect((error as RegistrationError).retryable).toBe(true);
    }
    const runtime = await registerAgentIdentity({
      chatgptBaseUrl: b.chatgptBaseUrl,
      biscuit,
      publicKeySsh: GOLDEN.publicKeySsh,
      abom: ABOM,
    });
    expect(runtime).toMatch(/^agent_/);
    expect(b.requests({ path: '/backend-api/v1/agent/register' }).map((r) => [r.status, r.reason])).toEqual([
      [503, 'injected_fault'],
      [503, 'injected_fault'],
      [503, 'injected_fault'],
      [200, undefined],
    ]);
  });
});

describe('task registration', () => {
  it('answers with a task id sealed to the runtime key, opened by the agent-identity package', async () => {
    const b = await backend();
    const agent = await registerAgent(b);
    const body = agent.signer.taskRegistrationBody();
    const res = await postJson(
      `${b.chatgptBaseUrl}/v1/agent/${agent.signer.agentRuntimeId}/task/register`,
      body,
    );
    expect(res.status).toBe(200);
    const reply = await json(res);
    expect(Object.keys(reply)).toEqual(['encrypted_task_id']);
    const taskId = await openSealedTaskId(reply.encrypted_task_id, agent.key);
    expect(b.tasks()).toEqual([{ agentRuntimeId: agent.signer.agentRuntimeId, taskId, kind: 'background' }]);
    const [record] = b.requests({
      path: `/backend-api/v1/agent/${agent.signer.agentRuntimeId}/task/register`,
    });
    expect(record).toMatchObject({ authScheme: 'signature', taskId, taskKind: 'background', status: 200 });
  });

  it('answers with a plain task_id when configured', async () => {
    const b = await backend({ taskIdResponse: 'plain' });
    const agent = await registerAgent(b);
    const res = await postJson(
      `${b.chatgptBaseUrl}/v1/agent/${agent.signer.agentRuntimeId}/task/register`,
      agent.signer.taskRegistrationBody(),
    );
    const reply = await json(res);
    expect(reply).toEqual({ task_id: b.tasks()[0]!.taskId });
    expect(await registerTask(b, agent)).toMatch(/^task_/);
  });

  it('returns the same thread task for a repeated external_task_ref and a new background task each time', async () => {
    const b = await backend();
    const agent = await registerAgent(b);
    const t1 = await registerTask(b, agent, 'thread-1');
    const t2 = await registerTask(b, agent, 'thread-1');
    const t3 = await registerTask(b, agent, 'thread-2');
    const bg1 = await registerTask(b, agent);
    const bg2 = await registerTask(b, agent);
    expect(t2).toBe(t1);
    expect(new Set([t1, t3, bg1, bg2]).size).toBe(4);
    expect(b.tasks().find((t) => t.taskId === t1)).toEqual({
      agentRuntimeId: agent.signer.agentRuntimeId,
      taskId: t1,
      kind: 'thread',
      externalTaskRef: 'thread-1',
    });
    const other = await registerAgent(b);
    expect(await registerTask(b, other, 'thread-1')).not.toBe(t1);
  });

  it('checks the signature and the ±300 s window against the server clock', async () => {
    const b = await backend();
    const agent = await registerAgent(b);
    const url = `${b.chatgptBaseUrl}/v1/agent/${agent.signer.agentRuntimeId}/task/register`;
    // Timestamps are whole seconds and requests take time: stay 10 s outside the ±300 s window, not 1 s.
    const now = Date.now();
    const reasonFor = async (body: unknown) => {
      const res = await postJson(url, body);
      return [res.status, res.headers.get('x-openai-authorization-error')];
    };
    expect(await reasonFor(agent.signer.taskRegistrationBody({ now: new Date(now - 310_000) }))).toEqual([
      401,
      'stale_timestamp',
    ]);
    expect(await reasonFor(agent.signer.taskRegistrationBody({ now: new Date(now + 310_000) }))).toEqual([
      401,
      'future_timestamp',
    ]);
    const other = await registerAgent(b);
    expect(await reasonFor(other.signer.taskRegistrationBody())).toEqual([401, 'bad_signature']);
    const body = agent.signer.taskRegistrationBody();
    expect(await reasonFor({ ...body, signature: '%%%not base64%%%' })).toEqual([
      400,
      'malformed_registration',
    ]);
    expect(await reasonFor({ ...body, timestamp: '2026-04-23 00:00:00' })).toEqual([
      400,
      'malformed_registration',
    ]);
    expect((await postJson(url, { ...body, extra: 1 })).status).toBe(400);
    // A skewed server clock moves the window: a client timestamp 400 s ahead is fine when the server is too.
    b.setClockOffset(400);
    expect(
      (await postJson(url, agent.signer.taskRegistrationBody({ now: new Date(now + 400_000) }))).status,
    ).toBe(200);
    expect(await reasonFor(agent.signer.taskRegistrationBody({ now: new Date(now) }))).toEqual([
      401,
      'stale_timestamp',
    ]);
  });

  it('refuses a registration body or an assertion that names a key twice', async () => {
    const b = await backend();
    const agent = await registerAgent(b);
    const url = `${b.chatgptBaseUrl}/v1/agent/${agent.signer.agentRuntimeId}/task/register`;
    const body = agent.signer.taskRegistrationBody({ externalTaskRef: 'thread-a' });
    const twice = `${JSON.stringify(body).slice(0, -1)},"external_task_ref":"thread-b"}`;
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: twice,
    });
    expect([res.status, await json(res)]).toEqual([
      400,
      { error: { code: 'invalid_json', message: 'request body names the key "external_task_ref" twice' } },
    ]);
    const taskId = await registerTask(b, agent);
    const claims = JSON.parse(
      Buffer.from(
        agent.signer.authorizationHeader(taskId).slice('AgentAssertion '.length),
        'base64url',
      ).toString(),
    );
    const forged = `AgentAssertion ${Buffer.from(`{"task_id":"task_other",${JSON.stringify(claims).slice(1)}`).toString('base64url')}`;
    const usage = await fetch(`${b.chatgptBaseUrl}/wham/usage`, { headers: { authorization: forged } });
    expect([usage.status, usage.headers.get('x-openai-authorization-error')]).toEqual([
      401,
      'malformed_assertion',
    ]);
    expect(b.requests().at(-1)?.reason).toBe('malformed_assertion');
  });

  it('rejects an unknown runtime with 401 unknown_runtime', async () => {
    const b = await backend();
    const agent = await registerAgent(b);
    b.forgetIdentity(agent.signer.agentRuntimeId);
    const res = await postJson(
      `${b.chatgptBaseUrl}/v1/agent/${agent.signer.agentRuntimeId}/task/register`,
      agent.signer.taskRegistrationBody({ now: new Date() }),
    );
    expect(res.status).toBe(401);
    expect(res.headers.get('x-openai-authorization-error')).toBe('unknown_runtime');
    expect(formatAgentTimestamp(new Date(0))).toBe('1970-01-01T00:00:00Z');
  });
});
