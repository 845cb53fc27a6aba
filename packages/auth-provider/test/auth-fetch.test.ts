import { afterEach, describe, expect, it } from 'vitest';
import { createAuthFetch, fetchWithAuth, isReplayableBody } from '../src/index.js';
import {
  recordingAuthProvider,
  type ScriptedReply,
  type ScriptedServer,
  startScriptedServer,
} from '../src/testing/index.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const denied: ScriptedReply = {
  status: 401,
  headers: { 'x-openai-authorization-error': 'unknown_task', 'content-type': 'application/json' },
  body: '{"error":{"code":"unknown_task"}}',
};

describe('createAuthFetch', () => {
  it('sends the provider headers next to the caller headers, the provider owning Authorization', async () => {
    server = await startScriptedServer([{ status: 200, body: 'ok' }]);
    const provider = recordingAuthProvider({ accountId: 'account-1', retryOnUnauthorized: undefined });
    const authFetch = createAuthFetch(provider);
    const response = await authFetch(`${server.url}/wham/usage?x=1`, {
      headers: { Authorization: 'Bearer caller', 'X-Caller': 'yes' },
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ok');
    expect(provider.requests).toEqual([{ url: new URL(`${server.url}/wham/usage?x=1`), method: 'GET' }]);
    const [seen] = server.seen;
    expect(seen?.headers.authorization).toBe('Bearer test-token-1');
    expect(seen?.headers['chatgpt-account-id']).toBe('account-1');
    expect(seen?.headers['x-caller']).toBe('yes');
  });

  it('takes a Request as fetch does: URL, method, headers and body', async () => {
    server = await startScriptedServer([{ status: 201 }]);
    const provider = recordingAuthProvider();
    const request = new Request(`${server.url}/files`, {
      method: 'PUT',
      headers: { 'content-type': 'text/plain' },
      body: 'bytes',
    });
    const response = await createAuthFetch(provider)(request);
    expect(response.status).toBe(201);
    expect(server.seen.map((r) => [r.method, r.url, r.headers['content-type'], r.body])).toEqual([
      ['PUT', '/files', 'text/plain', 'bytes'],
    ]);
    expect(provider.requests.map((r) => [r.method, r.url.pathname])).toEqual([['PUT', '/files']]);
  });

  it('resolves the global fetch when called, not when created', async () => {
    server = await startScriptedServer([{ status: 204 }]);
    const authFetch = createAuthFetch(recordingAuthProvider());
    const original = globalThis.fetch;
    const calls: string[] = [];
    globalThis.fetch = (input, init) => {
      calls.push(String(input));
      return original(input, init);
    };
    try {
      expect((await authFetch(`${server.url}/late`)).status).toBe(204);
    } finally {
      globalThis.fetch = original;
    }
    expect(calls).toEqual([`${server.url}/late`]);
  });

  it('retries once with fresh headers when the provider says a retry may succeed', async () => {
    server = await startScriptedServer([denied, { status: 200, body: 'second' }]);
    const provider = recordingAuthProvider({ accountId: 'account-1' });
    const response = await fetchWithAuth(provider, `${server.url}/codex/responses`, {
      method: 'post',
      body: '{"input":"hi"}',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('second');
    expect(server.seen.map((r) => [r.method, r.headers.authorization, r.body])).toEqual([
      ['POST', 'Bearer test-token-1', '{"input":"hi"}'],
      ['POST', 'Bearer test-token-2', '{"input":"hi"}'],
    ]);
    expect(provider.unauthorized).toHaveLength(1);
    const [context] = provider.unauthorized;
    expect(context?.request).toEqual({ url: new URL(`${server.url}/codex/responses`), method: 'POST' });
    expect(context?.sentHeaders.get('authorization')).toBe('Bearer test-token-1');
    expect(context?.sentHeaders.get('CHATGPT-ACCOUNT-ID')).toBe('account-1');
    expect(context?.response.status).toBe(401);
    expect(context?.response.headers.get('x-openai-authorization-error')).toBe('unknown_task');
    expect(context?.response.body).toBe('{"error":{"code":"unknown_task"}}');
  });

  it('retries at most once', async () => {
    server = await startScriptedServer([denied]);
    const provider = recordingAuthProvider();
    const response = await fetchWithAuth(provider, `${server.url}/wham/usage`);
    expect(response.status).toBe(401);
    expect(await response.text()).toBe('{"error":{"code":"unknown_task"}}');
    expect(server.seen).toHaveLength(2);
    expect(provider.unauthorized).toHaveLength(1);
  });

  it('does not retry when the provider cannot recover, and leaves the body readable', async () => {
    server = await startScriptedServer([denied, { status: 200 }]);
    const provider = recordingAuthProvider({ retryOnUnauthorized: false });
    const response = await fetchWithAuth(provider, `${server.url}/wham/usage`);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: { code: 'unknown_task' } });
    expect(server.seen).toHaveLength(1);
    expect(provider.unauthorized).toHaveLength(1);
  });

  it('returns a 401 untouched when the provider has no recovery', async () => {
    server = await startScriptedServer([denied, { status: 200 }]);
    const provider = recordingAuthProvider({ retryOnUnauthorized: undefined });
    expect((await fetchWithAuth(provider, `${server.url}/wham/usage`)).status).toBe(401);
    expect(server.seen).toHaveLength(1);
  });

  it('tells the provider but never retries a streamed body', async () => {
    server = await startScriptedServer([denied, { status: 200 }]);
    const provider = recordingAuthProvider();
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('streamed'));
        controller.close();
      },
    });
    const response = await fetchWithAuth(provider, `${server.url}/files`, { method: 'POST', body });
    expect(response.status).toBe(401);
    expect(server.seen.map((r) => r.body)).toEqual(['streamed']);
    expect(provider.unauthorized).toHaveLength(1);
  });

  it('does not consult the provider on other statuses, but lets it observe every response', async () => {
    server = await startScriptedServer([{ status: 403, headers: { date: 'Tue, 21 Apr 2026 00:00:00 GMT' } }]);
    const provider = recordingAuthProvider();
    const response = await fetchWithAuth(provider, `${server.url}/wham/usage`);
    expect(response.status).toBe(403);
    expect(provider.unauthorized).toHaveLength(0);
    expect(provider.observed.map((o) => [o.request.url.pathname, o.status])).toEqual([['/wham/usage', 403]]);
  });

  it('passes the signal to the provider, and an aborted call rejects without sending', async () => {
    server = await startScriptedServer([{ status: 200 }]);
    const provider = recordingAuthProvider();
    const controller = new AbortController();
    await fetchWithAuth(provider, `${server.url}/a`, { signal: controller.signal });
    expect(provider.requests[0]?.signal).toBe(controller.signal);
    controller.abort(new Error('stop'));
    await expect(fetchWithAuth(provider, `${server.url}/b`, { signal: controller.signal })).rejects.toThrow(
      'stop',
    );
    expect(server.seen.map((r) => r.url)).toEqual(['/a']);
  });

  it('uses the fetch it is given', async () => {
    server = await startScriptedServer([{ status: 204 }]);
    const calls: string[] = [];
    const authFetch = createAuthFetch(recordingAuthProvider(), {
      fetch: (input, init) => {
        calls.push(input);
        return fetch(input, init as RequestInit);
      },
    });
    expect((await authFetch(new URL(`${server.url}/x`))).status).toBe(204);
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
