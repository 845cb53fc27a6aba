import { type ClientRequest, type IncomingMessage, request } from 'node:http';
import { fetchAgentBiscuit } from '@codex-ts/agent-identity';
import { describe, expect, it } from 'vitest';
import { GOLDEN } from './golden-vector.js';
import { ABOM, backend } from './helpers.js';

const N = 12;

/**
 * Opens a registration whose headers reach the server now and whose body is written later: with
 * `Expect: 100-continue` the server answers `100 Continue` in the same turn it runs the route's synchronous checks,
 * so once every request has seen `continue`, every one of them has checked the biscuit and none has a body yet.
 */
function openRegistration(url: URL, biscuit: string, body: string) {
  let req!: ClientRequest;
  const continued = new Promise<void>((resolve, reject) => {
    req = request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'x-openai-authorization': biscuit,
        expect: '100-continue',
      },
    });
    req.once('continue', () => resolve());
    req.once('error', reject);
    req.once('response', () => resolve());
    req.flushHeaders();
  });
  const response = new Promise<number>((resolve, reject) => {
    req.once('response', (res: IncomingMessage) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
    });
    req.once('error', reject);
  });
  return { continued, sendBody: () => req.end(body), response };
}

describe('a single-use biscuit', () => {
  it('registers exactly one identity when bodies arrive after every request has been checked', async () => {
    const b = await backend();
    const tokens = await b.issueTokens();
    const target = `${b.chatgptBaseUrl}/v1/agent/register`;
    const biscuit = await fetchAgentBiscuit({
      chatgptBaseUrl: b.chatgptBaseUrl,
      accessToken: tokens.access_token,
      originalUrl: target,
    });
    const body = JSON.stringify({ abom: ABOM, agent_public_key: GOLDEN.publicKeySsh, capabilities: [] });
    const requests = Array.from({ length: N }, () => openRegistration(new URL(target), biscuit, body));
    await Promise.all(requests.map((r) => r.continued));
    for (const r of requests) r.sendBody();
    const statuses = await Promise.all(requests.map((r) => r.response));

    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 401)).toHaveLength(N - 1);
    expect(b.identities()).toHaveLength(1);
    expect(
      b
        .requests({ path: '/backend-api/v1/agent/register' })
        .filter((r) => r.status === 401)
        .map((r) => r.reason),
    ).toEqual(Array(N - 1).fill('invalid_biscuit'));
  });

  it('is given back when its request fails, so a corrected retry can use it', async () => {
    const b = await backend();
    const tokens = await b.issueTokens();
    const target = `${b.chatgptBaseUrl}/v1/agent/register`;
    const biscuit = await fetchAgentBiscuit({
      chatgptBaseUrl: b.chatgptBaseUrl,
      accessToken: tokens.access_token,
      originalUrl: target,
    });
    const post = (body: unknown) =>
      fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-openai-authorization': biscuit },
        body: JSON.stringify(body),
      });
    expect((await post({ abom: ABOM, agent_public_key: 'ssh-rsa AAAA', capabilities: [] })).status).toBe(400);
    expect((await post({ abom: ABOM, agent_public_key: GOLDEN.publicKeySsh, capabilities: [] })).status).toBe(
      200,
    );
    expect((await post({ abom: ABOM, agent_public_key: GOLDEN.publicKeySsh, capabilities: [] })).status).toBe(
      401,
    );
    expect(b.identities()).toHaveLength(1);
  });
});
