import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bearerAuthProvider } from '@codex-ts/auth-provider';
import {
  recordingAuthProvider,
  type ScriptedReply,
  startScriptedServer,
} from '@codex-ts/auth-provider/testing';
import { startDevBackend } from '@codex-ts/dev-backend';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BUNDLED_MODELS,
  createModelSession,
  createModelsManager,
  type ModelsManagerOptions,
  openAiProvider,
  parseModelProviderInfo,
} from '../src/index.js';
import { collect } from './support/turns.js';

const model = (slug: string, extra: Record<string, unknown> = {}) => ({
  slug,
  display_name: slug.toUpperCase(),
  priority: 1,
  visibility: 'list',
  ...extra,
});

let dir: string;
let closers: Array<() => Promise<void>>;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'models-'));
  closers = [];
});
afterEach(async () => {
  for (const close of closers) await close();
  await rm(dir, { recursive: true, force: true });
});

async function backend(
  script: (request: { url: string; headers: Record<string, unknown> }) => ScriptedReply,
) {
  const server = await startScriptedServer((request) => script(request));
  closers.push(() => server.close());
  return server;
}

function manager(baseUrl: string, extra: Partial<ModelsManagerOptions> = {}) {
  return createModelsManager({
    provider: parseModelProviderInfo({ name: 'OpenAI', baseUrl: `${baseUrl}/backend-api/codex` }),
    auth: recordingAuthProvider({ accountId: 'acct-1' }),
    cacheDir: dir,
    clientVersion: '0.99.0',
    ...extra,
  });
}

const ok = (models: unknown[], etag = '"e1"'): ScriptedReply => ({
  status: 200,
  headers: { 'content-type': 'application/json', etag },
  body: JSON.stringify({ models }),
});

describe('the models list', () => {
  it('GETs {base}/models?client_version=…, keeps unknown fields and writes the cache in upstream shape', async () => {
    const server = await backend(() => ok([model('gpt-a', { brand_new_field: { x: 1 } })]));
    const now = Date.UTC(2026, 10, 21, 6, 0, 0);
    const list = await manager(server.url, { now: () => now }).list();
    expect(list).toEqual({
      models: [model('gpt-a', { brand_new_field: { x: 1 } })],
      source: 'network',
      etag: 'e1',
    });
    expect(server.seen.map((r) => [r.url, r.headers.authorization, r.headers['if-none-match']])).toEqual([
      ['/backend-api/codex/models?client_version=0.99.0', 'Bearer test-token-1', undefined],
    ]);
    expect(JSON.parse(await readFile(join(dir, 'models_cache.json'), 'utf8'))).toEqual({
      fetched_at: '2026-11-21T06:00:00.000Z',
      etag: 'e1',
      client_version: '0.99.0',
      cache_key: { provider_id: 'openai', account_id: 'acct-1' },
      models: [model('gpt-a', { brand_new_field: { x: 1 } })],
    });
  });

  it('serves a fresh cache without a request, then revalidates with If-None-Match after the TTL', async () => {
    const server = await backend((request) =>
      request.headers['if-none-match'] === '"e1"' ? { status: 304 } : ok([model('gpt-a')]),
    );
    let now = 1_000_000;
    const models = manager(server.url, { now: () => now, ttlMs: 300_000 });
    await models.list();
    expect(await models.list()).toEqual({ models: [model('gpt-a')], source: 'cache', etag: 'e1' });
    expect(server.seen).toHaveLength(1);
    now += 300_001;
    expect(await models.list()).toEqual({ models: [model('gpt-a')], source: 'cache', etag: 'e1' });
    expect(server.seen.map((r) => r.headers['if-none-match'])).toEqual([undefined, '"e1"']);
    const cache = JSON.parse(await readFile(join(dir, 'models_cache.json'), 'utf8'));
    expect(cache.fetched_at).toBe(new Date(now).toISOString());
  });

  it('refreshes when a turn reports a different x-models-etag, and only renews the TTL for the same one', async () => {
    let etag = '"e1"';
    const server = await backend(() => ok([model(etag === '"e1"' ? 'gpt-a' : 'gpt-b')], etag));
    const models = manager(server.url);
    await models.list();
    expect(await models.refreshIfNewEtag('e1')).toEqual({
      models: [model('gpt-a')],
      source: 'cache',
      etag: 'e1',
    });
    expect(server.seen).toHaveLength(1);
    etag = '"e2"';
    expect(await models.refreshIfNewEtag('e2')).toEqual({
      models: [model('gpt-b')],
      source: 'network',
      etag: 'e2',
    });
    expect(server.seen).toHaveLength(2);
  });

  it('a turn tells the models list its x-models-etag', async () => {
    const turnServer = await startScriptedServer([
      {
        status: 200,
        headers: { 'content-type': 'text/event-stream', 'x-models-etag': 'e9' },
        body: 'data: {"type":"response.completed","response":{"id":"r"}}\n\n',
      },
    ]);
    closers.push(() => turnServer.close());
    const told: string[] = [];
    const session = createModelSession({
      provider: parseModelProviderInfo({ name: 'T', baseUrl: turnServer.url }),
      auth: recordingAuthProvider(),
      threadId: 't',
      models: { refreshIfNewEtag: async (etag) => told.push(etag) },
    });
    await collect(session);
    expect(told).toEqual(['e9']);
  });

  it('falls back to a stale cache, then to the bundled list, when the backend cannot answer', async () => {
    let down = false;
    const server = await backend(() => (down ? { status: 502, body: 'bad gateway' } : ok([model('gpt-a')])));
    let now = 0;
    const models = manager(server.url, { now: () => now });
    await models.list();
    down = true;
    now = 10_000_000;
    const stale = await models.list();
    expect([stale.source, stale.models, stale.error?.message]).toEqual([
      'cache',
      [model('gpt-a')],
      `GET ${server.url}/backend-api/codex/models answered 502`,
    ]);
    await rm(join(dir, 'models_cache.json'));
    const bundled = await models.list();
    expect([bundled.source, bundled.models]).toEqual(['bundled', BUNDLED_MODELS]);
  });

  it.each([
    [
      [{ display_name: 'no slug', priority: 1, visibility: 'list' }],
      'models.0.slug: Invalid input: expected string, received undefined',
    ],
    [
      [model('gpt-a', { context_window: 'big' })],
      'models.0.context_window: Invalid input: expected number, received string',
    ],
  ])('an invalid list (%j) is refused with its path and the cache is used', async (models, detail) => {
    const server = await backend(() => ok(models));
    const list = await manager(server.url).list();
    expect([list.source, list.error?.message, (list.error as { code?: string }).code]).toEqual([
      'bundled',
      `GET ${server.url}/backend-api/codex/models answered an invalid models list: ${detail}`,
      'invalid_models_response',
    ]);
  });

  it('a cache for another account or client version is not used', async () => {
    await writeFile(
      join(dir, 'models_cache.json'),
      JSON.stringify({
        fetched_at: new Date().toISOString(),
        client_version: '0.99.0',
        cache_key: { provider_id: 'openai', account_id: 'someone-else' },
        models: [model('theirs')],
      }),
    );
    expect(
      (await manager('http://127.0.0.1:9', { timeoutMs: 2000 }).list({ refresh: 'offline' })).source,
    ).toBe('bundled');
  });

  it('one request in flight however many callers ask', async () => {
    const server = await backend(() => ok([model('gpt-a')]));
    const models = manager(server.url);
    const lists = await Promise.all([models.list(), models.list(), models.list()]);
    expect(lists.map((l) => l.source)).toEqual(['network', 'network', 'network']);
    expect(server.seen).toHaveLength(1);
  });

  it('lists the dev backend models with the default provider', async () => {
    const dev = await startDevBackend({});
    closers.push(() => dev.close());
    const tokens = await dev.issueTokens({ email: 'models@example.com' });
    const models = createModelsManager({
      provider: openAiProvider({ authMode: 'chatgpt', chatgptBaseUrl: dev.chatgptBaseUrl }),
      auth: bearerAuthProvider({ token: tokens.access_token, accountId: tokens.account_id }),
      cacheDir: dir,
      clientVersion: '0.99.0',
    });
    const list = await models.list();
    expect([list.source, list.models.map((m) => m.slug)]).toEqual(['network', ['dev-echo', 'dev-echo-mini']]);
    const catalog = (m: (typeof list.models)[number]) => ({
      upgrade: m.upgrade,
      additional_speed_tiers: m.additional_speed_tiers,
      service_tiers: m.service_tiers,
      default_service_tier: m.default_service_tier,
      availability_nux: m.availability_nux,
    });
    expect(list.models.map(catalog)).toEqual([
      {
        upgrade: null,
        additional_speed_tiers: ['fast'],
        service_tiers: [
          { id: 'priority', name: 'Fast', description: 'Faster responses, more of the usage limit per turn' },
        ],
        default_service_tier: null,
        availability_nux: null,
      },
      {
        upgrade: {
          model: 'dev-echo',
          migration_markdown: 'Dev echo mini is being retired: switch to dev-echo.',
        },
        additional_speed_tiers: [],
        service_tiers: [],
        default_service_tier: null,
        availability_nux: null,
      },
    ]);
    expect(dev.requests({ path: '/backend-api/codex/models' }).map((r) => [r.status, r.authScheme])).toEqual([
      [200, 'bearer'],
    ]);
  });
});
