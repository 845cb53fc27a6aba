import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { assertionHeader, backend, postJson, registerAgent } from './helpers.js';

// What upstream Codex 0.169 needs from the dev backend (issue 8 §2); tests/upstream-interop drives the real binary.

describe('/dev/requests records what the client meant', () => {
  it('records the scheme a client sent on an unknown route (404) and a wrong method (405)', async () => {
    const b = await backend();
    const tokens = await b.issueTokens();
    await fetch(`${b.chatgptBaseUrl}/no/such/route`, {
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
      { method: 'POST', path: '/backend-api/no/such/route', authScheme: 'bearer', status: 404 },
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
