import { afterEach, describe, expect, it } from 'vitest';
import {
  type AuthProvider,
  type AuthRequest,
  fetchWithAuth,
  isReplayableBody,
  type UnauthorizedContext,
} from '../src/index.js';
import { type Reply, scriptedServer } from './server.js';

type Server = Awaited<ReturnType<typeof scriptedServer>>;
let server: Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A provider whose credential changes on every call and that records what it is told. */
function countingProvider(answer: boolean | undefined) {
  const requests: AuthRequest[] = [];
  const unauthorized: UnauthorizedContext[] = [];
  const provider: AuthProvider = {
    async headers(request) {
      requests.push(request);
      return { Authorization: `Bearer token-${requests.length}`, 'ChatGPT-Account-ID': 'account-1' };
    },
    describe: () => ({ scheme: 'bearer' }),
  };
  if (answer !== undefined) {
    provider.onUnauthorized = async (context) => {
      unauthorized.push(context);
      return answer;
    };
  }
  return { provider, requests, unauthorized };
}

const denied: Reply = {
  status: 401,
  headers: { 'x-openai-authorization-error': 'unknown_task', 'content-type': 'application/json' },
  body: '{"error":{"code":"unknown_task"}}',
};

describe('fetchWithAuth', () => {
  it('sends the provider headers next to the caller headers, the provider winning on Authorization', async () => {
    server = await scriptedServer([{ status: 200, body: 'ok' }]);
    const { provider, requests } = countingProvider(undefined);
    const response = await fetchWithAuth(provider, `${server.url}/wham/usage?x=1`, {
      headers: { Authorization: 'Bearer caller', 'X-Caller': 'yes' },
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ok');
    expect(requests).toEqual([{ url: new URL(`${server.url}/wham/usage?x=1`), method: 'GET' }]);
    const [seen] = server.seen;
    expect(seen?.headers.authorization).toBe('Bearer token-1');
    expect(seen?.headers['chatgpt-account-id']).toBe('account-1');
    expect(seen?.headers['x-caller']).toBe('yes');
  });

  it('retries once with fresh headers when the provider says a retry may succeed', async () => {
    server = await scriptedServer([denied, { status: 200, body: 'second' }]);
    const { provider, requests, unauthorized } = countingProvider(true);
    const response = await fetchWithAuth(provider, `${server.url}/codex/responses`, {
      method: 'post',
      body: '{"input":"hi"}',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('second');
    expect(server.seen.map((r) => [r.method, r.headers.authorization, r.body])).toEqual([
      ['POST', 'Bearer token-1', '{"input":"hi"}'],
      ['POST', 'Bearer token-2', '{"input":"hi"}'],
    ]);
    expect(requests).toHaveLength(2);
    expect(unauthorized).toHaveLength(1);
    const [context] = unauthorized;
    expect(context?.request).toEqual({ url: new URL(`${server.url}/codex/responses`), method: 'POST' });
    expect(context?.sentHeaders).toEqual({
      Authorization: 'Bearer token-1',
      'ChatGPT-Account-ID': 'account-1',
    });
    expect(context?.response.status).toBe(401);
    expect(context?.response.headers.get('x-openai-authorization-error')).toBe('unknown_task');
    expect(context?.response.body).toBe('{"error":{"code":"unknown_task"}}');
  });

  it('retries at most once', async () => {
    server = await scriptedServer([denied]);
    const { provider, unauthorized } = countingProvider(true);
    const response = await fetchWithAuth(provider, `${server.url}/wham/usage`);
    expect(response.status).toBe(401);
    expect(await response.text()).toBe('{"error":{"code":"unknown_task"}}');
    expect(server.seen).toHaveLength(2);
    expect(unauthorized).toHaveLength(1);
  });

  it('does not retry when the provider cannot recover, and leaves the body readable', async () => {
    server = await scriptedServer([denied, { status: 200 }]);
    const { provider, unauthorized } = countingProvider(false);
    const response = await fetchWithAuth(provider, `${server.url}/wham/usage`);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: { code: 'unknown_task' } });
    expect(server.seen).toHaveLength(1);
    expect(unauthorized).toHaveLength(1);
  });

  it('returns a 401 untouched when the provider has no recovery', async () => {
    server = await scriptedServer([denied, { status: 200 }]);
    const { provider } = countingProvider(undefined);
    const response = await fetchWithAuth(provider, `${server.url}/wham/usage`);
    expect(response.status).toBe(401);
    expect(server.seen).toHaveLength(1);
  });

  it('tells the provider but never retries a streamed body', async () => {
    server = await scriptedServer([denied, { status: 200 }]);
    const { provider, unauthorized } = countingProvider(true);
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('streamed'));
        controller.close();
      },
    });
    const response = await fetchWithAuth(provider, `${server.url}/files`, {
      method: 'POST',
      body,
      duplex: 'half',
    });
    expect(response.status).toBe(401);
    expect(server.seen.map((r) => r.body)).toEqual(['streamed']);
    expect(unauthorized).toHaveLength(1);
  });

  it('does not consult the provider on other statuses', async () => {
    server = await scriptedServer([{ status: 403 }]);
    const { provider, unauthorized } = countingProvider(true);
    const response = await fetchWithAuth(provider, `${server.url}/wham/usage`);
    expect(response.status).toBe(403);
    expect(unauthorized).toHaveLength(0);
  });

  it('uses the fetch it is given', async () => {
    server = await scriptedServer([{ status: 204 }]);
    const { provider } = countingProvider(undefined);
    const calls: string[] = [];
    const response = await fetchWithAuth(
      provider,
      `${server.url}/x`,
      {},
      {
        fetch: (input, init) => {
          calls.push(String(input));
          return fetch(input, init as RequestInit);
        },
      },
    );
    expect(response.status).toBe(204);
    expect(calls).toEqual([`${server.url}/x`]);
  });
});

describe('isReplayableBody', () => {
  it('accepts bodies fetch can send again', () => {
    for (const body of [
      undefined,
      null,
      'text',
      new Uint8Array(2),
      new ArrayBuffer(2),
      new URLSearchParams('a=1'),
      new Blob(['x']),
      new FormData(),
    ]) {
      expect(isReplayableBody(body)).toBe(true);
    }
  });

  it('rejects streams and iterables', () => {
    expect(isReplayableBody(new ReadableStream())).toBe(false);
    expect(isReplayableBody((async function* () {})())).toBe(false);
  });
});
