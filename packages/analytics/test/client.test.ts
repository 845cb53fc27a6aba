import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthUnavailableError } from '@codex-ts/auth-provider';
import {
  recordingAuthProvider,
  type ScriptedServer,
  startScriptedServer,
} from '@codex-ts/auth-provider/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { BoundedKeySet } from '../src/dedupe-set.js';
import { type AnalyticsFact, createAnalyticsClient } from '../src/index.js';
import {
  appUsed,
  fingerprints,
  recordingLogger,
  runtime,
  threadInitialized,
  tracking,
} from './support/facts.js';

const PATH = '/backend-api/codex/analytics-events/events';
let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(
  options: {
    status?: number;
    enabled?: boolean;
    scheme?: 'bearer' | 'agent-assertion';
    sendDelayMs?: number;
  } = {},
) {
  server = await startScriptedServer([{ status: options.status ?? 202, body: '{}' }]);
  const provider = recordingAuthProvider({ scheme: options.scheme ?? 'bearer', accountId: 'acct-1' });
  const logger = recordingLogger();
  const client = createAnalyticsClient({
    baseUrl: `${server.url}/backend-api/`,
    provider,
    enabled: options.enabled ?? true,
    runtime,
    logger,
    ...(options.sendDelayMs === undefined ? {} : { sendDelayMs: options.sendDelayMs }),
  });
  return { server, provider, logger, client };
}

const bodies = (s: ScriptedServer) =>
  s.seen.map((r) => (JSON.parse(r.body) as { events: Array<{ event_type: string }> }).events);
const types = (s: ScriptedServer) => bodies(s).map((events) => events.map((e) => e.event_type));

describe('AnalyticsClient', () => {
  it('sends the facts tracked together in one batch, to the upstream path, authorized by the provider', async () => {
    const { server, client } = await setup();
    client.track(threadInitialized);
    client.track({
      type: 'app_mentioned',
      tracking,
      mentions: [{ connectorId: 'c1' }, { connectorId: 'c2' }],
    });
    client.track(appUsed('c1'));
    expect(await client.flush({ timeoutMs: 5_000 })).toEqual({ flushed: true, abandoned: 0 });
    expect(
      server.seen.map((r) => [r.method, r.url, r.headers.authorization, r.headers['chatgpt-account-id']]),
    ).toEqual([['POST', PATH, 'Bearer test-token-1', 'acct-1']]);
    expect(server.seen[0]?.headers['content-type']).toBe('application/json');
    expect(types(server)).toEqual([
      ['codex_thread_initialized', 'codex_app_mentioned', 'codex_app_mentioned', 'codex_app_used'],
    ]);
  });

  it('sendDelayMs: facts tracked over several turns of the event loop go in one request; flush sends at once', async () => {
    const { server, client } = await setup({ sendDelayMs: 60_000 });
    client.track(threadInitialized);
    await new Promise((resolve) => setImmediate(resolve));
    client.track(appUsed('c1'));
    expect(await client.flush({ timeoutMs: 5_000 })).toEqual({ flushed: true, abandoned: 0 });
    expect(types(server)).toEqual([['codex_thread_initialized', 'codex_app_used']]);
  });

  it('sends an isolated event in a request of its own, keeping order', async () => {
    const { server, client } = await setup();
    client.track(appUsed('c1'));
    client.track(fingerprints);
    client.track(appUsed('c2'));
    await client.flush();
    expect(types(server)).toEqual([
      ['codex_app_used'],
      ['codex_accepted_line_fingerprints'],
      ['codex_app_used'],
    ]);
  });

  it('sends app-used and plugin-used once per (turn, connector/plugin)', async () => {
    const { server, client } = await setup();
    client.track(appUsed('c1'));
    client.track(appUsed('c1'));
    client.track(appUsed('c1', 'turn-2'));
    client.track(appUsed(null));
    client.track(appUsed(null));
    const plugin: AnalyticsFact = { type: 'plugin_used', tracking, plugin: { pluginId: 'p@m' } };
    client.track(plugin);
    client.track(plugin);
    await client.flush();
    const events = bodies(server).flat() as Array<{
      event_type: string;
      event_params: Record<string, unknown>;
    }>;
    expect(
      events.map((e) => [e.event_type, e.event_params.turn_id, e.event_params.connector_id ?? null]),
    ).toEqual([
      ['codex_app_used', 'turn-1', 'c1'],
      ['codex_app_used', 'turn-2', 'c1'],
      ['codex_app_used', 'turn-1', null],
      ['codex_app_used', 'turn-1', null],
      ['codex_plugin_used', 'turn-1', null],
    ]);
  });

  it('the dedupe set is bounded: when full it starts over', () => {
    const set = new BoundedKeySet(2);
    expect([set.add('a'), set.add('a'), set.add('b'), set.add('c'), set.size, set.add('a')]).toEqual([
      true,
      false,
      true,
      true,
      1,
      true,
    ]);
  });

  it('a full queue drops facts with one warning per burst, and never blocks or throws', async () => {
    const { server, client, logger } = await setup();
    for (let i = 0; i < 300; i++) client.track(appUsed(`c${i}`));
    expect(client.queued).toBe(256);
    expect(logger.messages).toEqual([
      '[codex-ts/analytics] dropping analytics events: queue is full (256 facts)',
    ]);
    await client.flush();
    expect(bodies(server).flat()).toHaveLength(256);
    for (let i = 0; i < 300; i++) client.track(appUsed(`d${i}`));
    await client.flush();
    expect(logger.messages).toHaveLength(2);
    expect(() => client.track(null as unknown as AnalyticsFact)).not.toThrow();
  });

  it('logs a failing backend once until a batch goes through again, and never throws', async () => {
    const { client, logger } = await setup({ status: 500 });
    client.track(appUsed('c1'));
    await client.flush();
    client.track(appUsed('c2'));
    await client.flush();
    expect(logger.messages).toEqual(['[codex-ts/analytics] analytics events failed with status 500']);
  });

  it('an invalid fact is dropped with a warning naming the field; the rest still go', async () => {
    const { server, client, logger } = await setup();
    client.track({ ...threadInitialized, createdAt: -5 } as AnalyticsFact);
    client.track(appUsed('c1'));
    await client.flush();
    expect(types(server)).toEqual([['codex_app_used']]);
    expect(logger.messages).toEqual([
      '[codex-ts/analytics] dropping an invalid codex_thread_initialized event: event_params.created_at: Too small: expected number to be >=0',
    ]);
  });

  it('a provider that cannot authorize is logged once and never thrown; nothing is sent', async () => {
    server = await startScriptedServer([{ status: 202 }]);
    const provider = recordingAuthProvider({
      refuse: () => new AuthUnavailableError('not_logged_in', 'not logged in'),
    });
    const logger = recordingLogger();
    const client = createAnalyticsClient({ baseUrl: `${server.url}/backend-api`, provider, runtime, logger });
    client.track(appUsed('c1'));
    await client.flush();
    client.track(appUsed('c2'));
    await client.flush();
    expect(server.seen).toEqual([]);
    expect(logger.messages).toEqual(['[codex-ts/analytics] failed to send analytics events: not logged in']);
  });

  it('disabled: nothing is queued, asked for or sent', async () => {
    const { server, client, provider } = await setup({ enabled: false });
    client.track(threadInitialized);
    expect(client.queued).toBe(0);
    expect(await client.flush()).toEqual({ flushed: true, abandoned: 0 });
    expect(server.seen).toEqual([]);
    expect(provider.requests).toEqual([]);
  });

  it('asks the provider for a fresh credential on every batch', async () => {
    const { server, client } = await setup({ scheme: 'agent-assertion' });
    client.track(fingerprints);
    client.track(fingerprints);
    client.track(appUsed('c1'));
    await client.flush();
    expect(server.seen.map((r) => r.headers.authorization)).toEqual([
      'AgentAssertion test-assertion-1',
      'AgentAssertion test-assertion-2',
      'AgentAssertion test-assertion-3',
    ]);
  });

  it('a 401 goes to the provider, which recovers, and the batch is sent once more', async () => {
    server = await startScriptedServer([{ status: 401, body: 'no' }, { status: 202 }]);
    const provider = recordingAuthProvider({ scheme: 'agent-assertion' });
    const client = createAnalyticsClient({
      baseUrl: `${server.url}/backend-api`,
      provider,
      runtime,
      logger: recordingLogger(),
    });
    client.track(appUsed('c1'));
    await client.flush();
    expect(server.seen.map((r) => r.headers.authorization)).toEqual([
      'AgentAssertion test-assertion-1',
      'AgentAssertion test-assertion-2',
    ]);
    expect(provider.unauthorized).toHaveLength(1);
    expect(server.seen[0]?.body).toBe(server.seen[1]?.body);
  });

  it('flush gives up at its deadline: the hanging request is aborted and the rest abandoned', async () => {
    const hanging = createServer(() => {});
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const { port } = hanging.address() as AddressInfo;
    const logger = recordingLogger();
    const client = createAnalyticsClient({
      baseUrl: `http://127.0.0.1:${port}/backend-api`,
      provider: recordingAuthProvider(),
      runtime,
      logger,
    });
    try {
      client.track(appUsed('c1'));
      const started = performance.now();
      const result = await client.flush({ timeoutMs: 150 });
      const elapsed = performance.now() - started;
      expect(result).toEqual({ flushed: false, abandoned: 1 });
      expect(elapsed).toBeGreaterThanOrEqual(140);
      expect(elapsed).toBeLessThan(2_000);
      expect(await client.flush({ timeoutMs: 1_000 })).toEqual({ flushed: true, abandoned: 0 });
      expect(logger.messages).toEqual([
        '[codex-ts/analytics] failed to send analytics events: analytics flush deadline',
      ]);
    } finally {
      hanging.closeAllConnections();
      await new Promise<void>((resolve) => hanging.close(() => resolve()));
    }
  });
});
