import { readFileSync } from 'node:fs';
import { hostname, platform } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Harness, harness, tempHome } from './support/fixture.js';
import { upstreamSchema } from './support/upstream-schema.js';

let h: Harness | undefined;

async function start(): Promise<Harness> {
  h = await harness(tempHome());
  return h;
}

describe('initialize', () => {
  it('answers with the user agent, CODEX_HOME and the platform, without a jsonrpc member', async () => {
    const { client, server } = await start();
    const reply = await client.call('initialize', {
      clientInfo: { name: 'my_client', version: '2.0.0' },
    });
    expect(reply.error).toBeUndefined();
    expect(reply.result).toEqual({
      userAgent: expect.stringMatching(/^my_client\/0\.1\.0 \(.+\) .+ \(my_client; 2\.0\.0\)$/),
      codexHome: server.config.codexHome,
      platformFamily: 'unix',
      platformOs: platform() === 'darwin' ? 'macos' : platform(),
    });
    expect(client.raw[0]).toEqual({ id: 1, result: reply.result });
  });

  it('refuses requests before initialize and a second initialize', async () => {
    const { client } = await start();
    expect(await client.call('account/read', {})).toEqual({
      id: 1,
      error: { code: -32600, message: 'Not initialized' },
    });
    await client.initialize();
    const again = await client.call('initialize', { clientInfo: { name: 'x', version: '1' } });
    expect(again.error).toEqual({ code: -32600, message: 'Already initialized' });
  });

  it('accepts a jsonrpc member and echoes string ids verbatim', async () => {
    const { client } = await start();
    await client.initialize();
    const reply = await client.callRaw({ jsonrpc: '2.0', id: 'req-α', method: 'thread/list', params: {} });
    expect(reply).toEqual({
      id: 'req-α',
      result: { data: [], readStates: {}, nextCursor: null, backwardsCursor: null },
    });
  });
});

describe('upstream schema check', () => {
  it('is live when the upstream binary is here: a response missing a required key fails it', () => {
    const schema = upstreamSchema();
    if (!schema) return; // no upstream binary on this machine: the checks in TestClient are skipped too
    expect(schema.response('account/read', { account: null })).toEqual([
      " must have required property 'requiresOpenaiAuth'",
    ]);
    expect(
      schema.notification({ method: 'account/updated', params: { authMode: 'bogus' } }).length,
    ).toBeGreaterThan(0);
  });
});

describe('bad requests', () => {
  it('an unknown method is -32600 unknown variant, naming the methods served', async () => {
    const { client } = await start();
    await client.initialize();
    const reply = await client.call('thread/fly', {});
    expect(reply.error?.code).toBe(-32600);
    expect(reply.error?.message).toMatch(
      /^Invalid request: unknown variant `thread\/fly`, expected one of `initialize`, `account\/read`, /,
    );
  });

  it('missing params, wrong types and a bad tag get serde-shaped messages', async () => {
    const { client } = await start();
    await client.initialize();
    expect((await client.call('thread/list')).error).toEqual({
      code: -32600,
      message: 'Invalid request: missing field `params`',
    });
    expect((await client.call('thread/list', null)).error?.message).toBe(
      'Invalid request: missing field `params`',
    );
    expect((await client.call('thread/read', { threadId: 5 })).error?.message).toBe(
      'Invalid request: invalid type: integer `5`, expected a string',
    );
    expect((await client.call('thread/read', {})).error?.message).toBe(
      'Invalid request: missing field `threadId`',
    );
    expect((await client.call('account/login/start', { type: 'password' })).error?.message).toBe(
      'Invalid request: unknown variant `password`, expected one of `apiKey`, `chatgpt`, `chatgptDeviceCode`, `chatgptAuthTokens`',
    );
    expect((await client.call('thread/list', { archived: 'yes' })).error?.message).toBe(
      'Invalid request: invalid type: string "yes", expected a boolean',
    );
  });

  it('null-typed params may be absent, null or {}', async () => {
    const { client } = await start();
    await client.initialize();
    for (const params of [undefined, null, {}]) {
      expect((await client.call('account/logout', params)).result).toEqual({});
    }
  });

  it('malformed lines, batches, null ids and stray responses get no reply; the server keeps going', async () => {
    const { client } = await start();
    client.send('{not json');
    client.send([{ id: 1, method: 'initialize', params: {} }]);
    client.send({ id: null, method: 'initialize', params: {} });
    client.send({ id: 1.5, method: 'initialize', params: {} });
    client.send({ id: 7 });
    client.send({ id: 99, result: {} });
    await client.initialize();
    expect(client.raw).toHaveLength(1);
    expect(
      h!.logs.filter((l) => l.includes('dropped a message') || l.includes('unknown request id')),
    ).toHaveLength(6);
  });

  it('experimental methods need capabilities.experimentalApi', async () => {
    const { client } = await start();
    await client.initialize();
    expect((await client.call('account/agentIdentity/read')).error).toEqual({
      code: -32600,
      message: 'account/agentIdentity/read requires experimentalApi capability',
    });
  });
});

describe('notifications', () => {
  it('remoteControl/status/changed follows initialize (disabled: this server does not enroll); status/read says the same', async () => {
    const { client, server } = await start();
    await client.initialize({ experimentalApi: true });
    const installationId = readFileSync(join(server.codexHome, 'installation_id'), 'utf8');
    const expected = { status: 'disabled', serverName: hostname(), installationId, environmentId: null };
    expect((await client.next('remoteControl/status/changed')).params).toEqual(expected);
    expect(await client.result('remoteControl/status/read')).toEqual(expected);
  });

  it('carry emittedAtMs and honour optOutNotificationMethods', async () => {
    const { client } = await start();
    await client.initialize({ optOutNotificationMethods: ['thread/started'] });
    const before = Date.now();
    await client.result('thread/start', {});
    await client.result('account/login/start', { type: 'apiKey', apiKey: 'sk-test-1' });
    const updated = await client.next('account/updated');
    expect(updated).toEqual({
      method: 'account/updated',
      params: { authMode: 'apikey', planType: null },
      emittedAtMs: expect.any(Number),
    });
    expect(updated.emittedAtMs).toBeGreaterThanOrEqual(before);
    expect(client.raw.some((m) => (m as { method?: string }).method === 'thread/started')).toBe(false);
  });
});

describe('limits', () => {
  it('a request over the in-flight limit gets -32001 Server overloaded; retry later.', async () => {
    h = await harness(tempHome(), undefined, { maxInflightPerConnection: 2 });
    const { client } = h;
    await client.initialize();
    const replies = await Promise.all(Array.from({ length: 5 }, () => client.call('thread/list', {})));
    const overloaded = replies.filter((r) => r.error);
    expect(overloaded.length).toBeGreaterThan(0);
    for (const r of overloaded)
      expect(r.error).toEqual({ code: -32001, message: 'Server overloaded; retry later.' });
    expect((await client.call('thread/list', {})).result).toEqual({
      data: [],
      readStates: {},
      nextCursor: null,
      backwardsCursor: null,
    });
  });

  it('1,000 requests in flight from one client are all answered', async () => {
    const { client } = await start();
    await client.initialize();
    const replies = await Promise.all(Array.from({ length: 1000 }, () => client.call('account/read', {})));
    expect(replies.every((r) => r.result !== undefined)).toBe(true);
  });

  it('a message over the size limit is refused with a log line; the server stays up', async () => {
    h = await harness(tempHome(), undefined, { maxMessageBytes: 1024 * 1024 });
    const { client } = h;
    client.send({
      id: 1,
      method: 'initialize',
      params: { clientInfo: { name: 'x'.repeat(10 * 1024 * 1024), version: '1' } },
    });
    await client.initialize();
    expect(client.raw.filter((m) => 'id' in (m as object))).toHaveLength(1);
    expect(h.logs.some((l) => l.includes('refused a message over the size limit'))).toBe(true);
  });
});
