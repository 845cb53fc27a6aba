import { AgentKey, createAgentSigner } from '@codex-ts/agent-identity';
import { describe, expect, it } from 'vitest';
import { assertionHeader, backend, json, registerAgent, registerTask } from './helpers.js';

/** Changes one character in the middle of a JWT's signature (the last one may only carry ignored bits). */
function tamperSignature(jwt: string): string {
  const at = jwt.lastIndexOf('.') + 10;
  return `${jwt.slice(0, at)}${jwt[at] === 'A' ? 'B' : 'A'}${jwt.slice(at + 1)}`;
}

async function usage(url: string, headers: Record<string, string>) {
  const res = await fetch(`${url}/wham/usage`, { headers });
  const reason = res.headers.get('x-openai-authorization-error');
  return { status: res.status, reason, body: await json(res), date: res.headers.get('date') };
}

describe('protected endpoints', () => {
  it('accept a bearer access token and an AgentAssertion, and log both without secrets', async () => {
    const b = await backend();
    const agent = await registerAgent(b);
    const taskId = await registerTask(b, agent, 'thread-9');
    const header = agent.signer.authorizationHeader(taskId);
    expect(
      (await usage(b.chatgptBaseUrl, { authorization: `Bearer ${agent.tokens.access_token}` })).status,
    ).toBe(200);
    const viaAssertion = await usage(b.chatgptBaseUrl, {
      authorization: header,
      'ChatGPT-Account-ID': agent.tokens.account_id,
    });
    expect(viaAssertion.status).toBe(200);
    expect(viaAssertion.body.plan_type).toBe('plus');
    const records = b.requests({ path: '/backend-api/wham/usage' });
    expect(records.map((r) => ({ ...r, id: 0, at: '' }))).toEqual([
      { id: 0, at: '', method: 'GET', path: '/backend-api/wham/usage', authScheme: 'bearer', status: 200 },
      {
        id: 0,
        at: '',
        method: 'GET',
        path: '/backend-api/wham/usage',
        authScheme: 'assertion',
        agentRuntimeId: agent.signer.agentRuntimeId,
        taskId,
        taskKind: 'thread',
        status: 200,
        sentAccountId: agent.tokens.account_id,
      },
    ]);
    const page = await (await fetch(`${b.url}/dev/requests`)).text();
    const everything = page + JSON.stringify(b.requests());
    expect(everything).not.toContain(agent.tokens.access_token);
    expect(everything).not.toContain(header.slice('AgentAssertion '.length));
  });

  it('answer each failure with a 401 reason header and a JSON body', async () => {
    const b = await backend();
    const agent = await registerAgent(b);
    const taskId = await registerTask(b, agent);
    const expired = await b.issueTokens({ expiresIn: -10 });
    const stranger = createAgentSigner({
      agentRuntimeId: agent.signer.agentRuntimeId,
      key: AgentKey.generate(),
    });
    // Timestamps are whole seconds and requests take time: stay 10 s outside the ±300 s window, not 1 s.
    const now = Date.now();
    const cases: Array<[Record<string, string>, string]> = [
      [{}, 'missing_authorization'],
      [{ authorization: 'Basic dXNlcjpwYXNz' }, 'unsupported_scheme'],
      [{ authorization: 'agentassertion abc' }, 'unsupported_scheme'],
      [{ authorization: 'Bearer not-a-jwt' }, 'invalid_bearer'],
      [{ authorization: `Bearer ${tamperSignature(agent.tokens.access_token)}` }, 'invalid_bearer'],
      [{ authorization: `Bearer ${expired.access_token}` }, 'expired_bearer'],
      [{ authorization: 'AgentAssertion !!!' }, 'malformed_assertion'],
      [{ authorization: 'AgentAssertion eyJub3QiOiJhbiBhc3NlcnRpb24ifQ' }, 'malformed_assertion'],
      [{ authorization: agent.signer.authorizationHeader('task_unknown') }, 'unknown_task'],
      [{ authorization: stranger.authorizationHeader(taskId) }, 'bad_signature'],
      [
        { authorization: agent.signer.authorizationHeader(taskId, new Date(now - 310_000)) },
        'stale_timestamp',
      ],
      [
        { authorization: agent.signer.authorizationHeader(taskId, new Date(now + 310_000)) },
        'future_timestamp',
      ],
    ];
    for (const [headers, reason] of cases) {
      const r = await usage(b.chatgptBaseUrl, headers);
      expect([r.status, r.reason, r.body.error.code]).toEqual([401, reason, reason]);
      expect(r.body.error.message).toEqual(expect.any(String));
    }
    const other = await registerAgent(b);
    const otherTask = await registerTask(b, other);
    const crossed = await usage(b.chatgptBaseUrl, {
      authorization: agent.signer.authorizationHeader(otherTask),
    });
    expect(crossed.reason).toBe('unknown_task');
    const reasons = b.requests({ path: '/backend-api/wham/usage' }).map((r) => r.reason);
    expect(reasons).toEqual([...cases.map(([, reason]) => reason), 'unknown_task']);
  });

  it('says unknown_runtime and unknown_task after the server forgets them', async () => {
    const b = await backend();
    const agent = await registerAgent(b);
    const taskId = await registerTask(b, agent);
    b.forgetTask(taskId);
    expect(
      (await usage(b.chatgptBaseUrl, { authorization: agent.signer.authorizationHeader(taskId) })).reason,
    ).toBe('unknown_task');
    const again = await registerTask(b, agent);
    b.forgetIdentity(agent.signer.agentRuntimeId);
    expect(
      (await usage(b.chatgptBaseUrl, { authorization: agent.signer.authorizationHeader(again) })).reason,
    ).toBe('unknown_runtime');
    expect(b.tasks()).toEqual([]);
  });

  it('answers 403 account_mismatch for a ChatGPT-Account-ID that is not the caller account', async () => {
    const b = await backend();
    const t = await b.issueTokens({ accountId: 'acct-1' });
    const header = await assertionHeader(b, await registerAgent(b, t));
    for (const authorization of [`Bearer ${t.access_token}`, header]) {
      const r = await usage(b.chatgptBaseUrl, { authorization, 'ChatGPT-Account-ID': 'acct-2' });
      expect([r.status, r.body.error.code, r.reason]).toEqual([403, 'account_mismatch', 'account_mismatch']);
      const ok = await usage(b.chatgptBaseUrl, { authorization, 'chatgpt-account-id': 'acct-1' });
      expect(ok.status).toBe(200);
    }
  });

  it('sends a Date header that follows the server clock offset, and judges assertions by it', async () => {
    const b = await backend({ clockOffsetSeconds: 3600 });
    const agent = await registerAgent(b);
    const skewedNow = new Date(Date.now() + 3600_000);
    const res = await fetch(`${b.chatgptBaseUrl}/v1/agent/${agent.signer.agentRuntimeId}/task/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(agent.signer.taskRegistrationBody({ now: skewedNow })),
    });
    expect(res.status).toBe(200);
    const taskId = b.tasks()[0]!.taskId;
    const stale = await usage(b.chatgptBaseUrl, { authorization: agent.signer.authorizationHeader(taskId) });
    expect(stale.reason).toBe('stale_timestamp');
    const serverDate = Date.parse(stale.date!);
    expect(Math.abs(serverDate - skewedNow.getTime())).toBeLessThan(5_000);
    const corrected = await usage(b.chatgptBaseUrl, {
      authorization: agent.signer.authorizationHeader(taskId, new Date(serverDate)),
    });
    expect(corrected.status).toBe(200);
    b.setClockOffset(0);
    const notFound = await fetch(`${b.url}/nowhere`);
    expect(Math.abs(Date.parse(notFound.headers.get('date')!) - Date.now())).toBeLessThan(5_000);
  });

  it('expires bearer tokens on the server clock', async () => {
    const b = await backend({ accessTokenTtlSeconds: 60 });
    const t = await b.issueTokens();
    expect((await usage(b.chatgptBaseUrl, { authorization: `Bearer ${t.access_token}` })).status).toBe(200);
    b.setClockOffset(61);
    expect((await usage(b.chatgptBaseUrl, { authorization: `Bearer ${t.access_token}` })).reason).toBe(
      'expired_bearer',
    );
  });

  it('logs the routing headers and mirrors the error in x-error-json', async () => {
    const b = await backend();
    const t = await b.issueTokens({ fedramp: true });
    await fetch(`${b.chatgptBaseUrl}/wham/usage`, {
      headers: {
        authorization: `Bearer ${t.access_token}`,
        'ChatGPT-Account-Id': t.account_id,
        'X-OpenAI-Fedramp': 'true',
      },
    });
    expect(b.requests().at(-1)).toMatchObject({
      status: 200,
      sentAccountId: t.account_id,
      sentFedramp: true,
    });
    const denied = await fetch(`${b.chatgptBaseUrl}/wham/usage`);
    const mirrored = JSON.parse(Buffer.from(denied.headers.get('x-error-json')!, 'base64').toString());
    expect(mirrored).toEqual(await json(denied));
    expect(b.requests().at(-1)!.sentFedramp).toBeUndefined();
  });

  it('accepts only a bearer token at authenticate_app_v2', async () => {
    const b = await backend();
    const header = await assertionHeader(b);
    const res = await fetch(`${b.chatgptBaseUrl}/authenticate_app_v2`, {
      headers: { authorization: header, 'x-original-method': 'POST', 'x-original-url': `${b.url}/x` },
    });
    expect([res.status, res.headers.get('x-openai-authorization-error')]).toEqual([
      401,
      'unsupported_scheme',
    ]);
  });
});
