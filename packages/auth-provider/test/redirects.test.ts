import { afterEach, describe, expect, it } from 'vitest';
import { createAuthFetch } from '../src/index.js';
import { recordingAuthProvider, type ScriptedServer, startScriptedServer } from '../src/testing/index.js';

const servers: ScriptedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(...args: Parameters<typeof startScriptedServer>) {
  const server = await startScriptedServer(...args);
  servers.push(server);
  return server;
}

describe('redirects', () => {
  it('asks the provider again for each hop: a host it does not authorize gets none of its headers', async () => {
    const elsewhere = await start([{ status: 200, body: 'landed' }]);
    const home = await start([{ status: 302, headers: { location: `${elsewhere.url}/upload?sig=1` } }]);
    const homeOrigin = new URL(home.url).origin;
    const provider = recordingAuthProvider({
      accountId: 'account-1',
      authorizes: (request) => request.url.origin === homeOrigin,
    });
    const response = await createAuthFetch(provider)(`${home.url}/files`, {
      headers: { 'ChatGPT-Account-ID': 'caller-account', 'X-Trace': 't' },
    });
    expect(await response.text()).toBe('landed');
    expect(home.seen[0]?.headers.authorization).toBe('Bearer test-token-1');
    expect(home.seen[0]?.headers['chatgpt-account-id']).toBe('account-1');
    const hop = elsewhere.seen[0]!;
    expect(hop.url).toBe('/upload?sig=1');
    expect(hop.headers.authorization).toBeUndefined();
    expect(hop.headers['chatgpt-account-id']).toBeUndefined();
    expect(hop.headers['x-trace']).toBe('t');
    expect(provider.requests.map((r) => r.url.href)).toEqual([
      `${home.url}/files`,
      `${elsewhere.url}/upload?sig=1`,
    ]);
  });

  it('turns a POST into a body-less GET on 303, and keeps method and body on 307', async () => {
    const target = await start([{ status: 200 }]);
    const see = await start([{ status: 303, headers: { location: `${target.url}/see` } }]);
    const temp = await start([{ status: 307, headers: { location: `${target.url}/temp` } }]);
    const authFetch = createAuthFetch(recordingAuthProvider());
    const init = { method: 'POST', body: 'payload', headers: { 'content-type': 'text/plain' } };
    await authFetch(`${see.url}/a`, init);
    await authFetch(`${temp.url}/b`, init);
    expect(target.seen.map((r) => [r.method, r.url, r.body, r.headers['content-type']])).toEqual([
      ['GET', '/see', '', undefined],
      ['POST', '/temp', 'payload', 'text/plain'],
    ]);
  });

  it('hands the redirect back with redirect: manual, and fails with redirect: error', async () => {
    const home = await start([{ status: 301, headers: { location: '/moved' } }]);
    const authFetch = createAuthFetch(recordingAuthProvider());
    const manual = await authFetch(`${home.url}/a`, { redirect: 'manual' });
    expect([manual.status, manual.headers.get('location')]).toEqual([301, '/moved']);
    await expect(authFetch(`${home.url}/a`, { redirect: 'error' })).rejects.toThrow(
      "fetch failed: redirect to /moved with redirect: 'error'",
    );
  });

  it('stops after 20 hops', async () => {
    const loop = await start([{ status: 302, headers: { location: '/again' } }]);
    await expect(createAuthFetch(recordingAuthProvider())(`${loop.url}/`)).rejects.toThrow(
      'fetch failed: more than 20 redirects',
    );
    expect(loop.seen).toHaveLength(21);
  });

  it('refuses to follow a 307 with a streamed body', async () => {
    const home = await start([{ status: 307, headers: { location: '/again' } }]);
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('x'));
        controller.close();
      },
    });
    await expect(
      createAuthFetch(recordingAuthProvider())(`${home.url}/`, { method: 'POST', body }),
    ).rejects.toThrow('fetch failed: cannot follow a redirect with a streamed body');
  });
});
