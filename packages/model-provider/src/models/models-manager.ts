import { type AuthProvider, createAuthFetch, type FetchLike } from '@codex-ts/auth-provider';
import { ModelProviderError } from '../errors.js';
import type { ModelProviderInfo } from '../provider-info.js';
import { safeBody } from '../redact.js';
import { errorFromStatus } from '../status-error.js';
import { providerUrl } from '../urls.js';
import { BUNDLED_MODELS } from './bundled-models.js';
import { type ModelInfo, modelsResponseSchema } from './model-info.js';
import { type CachedModels, type CacheKey, ModelsCache } from './models-cache.js';

export const DEFAULT_MODELS_CACHE_TTL_MS = 300_000;
export const DEFAULT_MODELS_TIMEOUT_MS = 5_000;

/** `online`: always ask the backend; `offline`: cache, else bundled; `online_if_uncached`: a fresh cache, else ask. */
export type RefreshStrategy = 'online' | 'offline' | 'online_if_uncached';

export interface ModelsList {
  readonly models: readonly ModelInfo[];
  /** Where the list came from. */
  readonly source: 'network' | 'cache' | 'bundled';
  readonly etag?: string;
  /** Why the backend's answer was not used, when it was asked and failed. */
  readonly error?: Error;
}

export interface ModelsManagerOptions {
  /** The provider whose `{baseUrl}/models` lists the models (the built-in `openai` one: `{chatgpt base}/codex`). */
  readonly provider: ModelProviderInfo;
  /** The default (background) auth provider; asked per request. */
  readonly auth: AuthProvider;
  /** Where `models_cache.json` lives: CODEX_HOME. */
  readonly cacheDir: string;
  /** Sent as `client_version`; a cache written by another version is not used. */
  readonly clientVersion: string;
  /** Part of the cache key with the account id; `openai` by default. */
  readonly providerId?: string;
  readonly ttlMs?: number;
  readonly timeoutMs?: number;
  readonly fetch?: FetchLike;
  readonly bundled?: readonly ModelInfo[];
  readonly now?: () => number;
}

/**
 * The models list, as upstream's models-manager keeps it: `GET {base}/models?client_version=…` with
 * `If-None-Match`, a disk cache with a TTL (5 minutes by default), a refresh when a turn reports a different
 * `x-models-etag`, and a fall back to the cache, then the bundled list, when the backend cannot answer.
 * One request in flight however many callers ask.
 */
export class ModelsManager {
  readonly #o: ModelsManagerOptions;
  readonly #cache: ModelsCache;
  #etag: string | undefined;
  #inflight: Promise<ModelsList> | undefined;

  constructor(options: ModelsManagerOptions) {
    this.#o = options;
    this.#cache = new ModelsCache(options.cacheDir);
  }

  /** The ETag of the list last fetched or loaded. */
  get etag(): string | undefined {
    return this.#etag;
  }

  async list(options: { refresh?: RefreshStrategy; signal?: AbortSignal } = {}): Promise<ModelsList> {
    const refresh = options.refresh ?? 'online_if_uncached';
    const cached = await this.#cache.load(this.#o.clientVersion, this.#key());
    if (cached?.etag) this.#etag ??= cached.etag;
    if (refresh === 'offline') return fromCacheOrBundled(cached, this.#bundled());
    if (refresh === 'online_if_uncached' && cached && this.#fresh(cached)) {
      return withEtag({ models: cached.models, source: 'cache' }, cached.etag);
    }
    this.#inflight ??= this.#fetch(cached, options.signal).finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  /** After a turn: a different ETag refreshes the list; the same one renews the cache's TTL. */
  async refreshIfNewEtag(etag: string, signal?: AbortSignal): Promise<ModelsList> {
    const cached = await this.#cache.load(this.#o.clientVersion, this.#key());
    const known = this.#etag ?? cached?.etag;
    if (cached && known === etag) {
      await this.#cache.save(this.#o.clientVersion, this.#key(), { ...cached, fetchedAt: this.#nowDate() });
      return withEtag({ models: cached.models, source: 'cache' }, etag);
    }
    return this.list(signal ? { refresh: 'online', signal } : { refresh: 'online' });
  }

  async #fetch(cached: CachedModels | undefined, signal?: AbortSignal): Promise<ModelsList> {
    const url = providerUrl(this.#o.provider, 'models', { client_version: this.#o.clientVersion });
    const timeout = AbortSignal.timeout(this.#o.timeoutMs ?? DEFAULT_MODELS_TIMEOUT_MS);
    const headers: Record<string, string> = { Accept: 'application/json', ...this.#o.provider.httpHeaders };
    if (cached?.etag) headers['If-None-Match'] = quote(cached.etag);
    try {
      const authFetch = createAuthFetch(this.#o.auth, this.#o.fetch ? { fetch: this.#o.fetch } : {});
      const response = await authFetch(url, {
        headers,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      const target = `GET ${url.origin}${url.pathname}`;
      if (response.status === 304 && cached) {
        await this.#cache.save(this.#o.clientVersion, this.#key(), { ...cached, fetchedAt: this.#nowDate() });
        return withEtag({ models: cached.models, source: 'cache' }, cached.etag);
      }
      const text = await response.text();
      if (response.status !== 200) {
        throw errorFromStatus({ status: response.status, headers: response.headers, body: text, target });
      }
      const models = parseModels(text, target);
      const etag = unquote(response.headers.get('etag') ?? response.headers.get('x-models-etag'));
      this.#etag = etag;
      await this.#cache
        .save(this.#o.clientVersion, this.#key(), { fetchedAt: this.#nowDate(), etag, models })
        .catch(() => {});
      return withEtag({ models, source: 'network' }, etag);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      return { ...fromCacheOrBundled(cached, this.#bundled()), error: error as Error };
    }
  }

  #key(): CacheKey {
    const accountId = this.#o.auth.describe({
      url: providerUrl(this.#o.provider, 'models'),
      method: 'GET',
    }).accountId;
    return { providerId: this.#o.providerId ?? 'openai', accountId };
  }

  #fresh(cached: CachedModels): boolean {
    const ttl = this.#o.ttlMs ?? DEFAULT_MODELS_CACHE_TTL_MS;
    return ttl > 0 && this.#now() - cached.fetchedAt.getTime() <= ttl;
  }

  #bundled(): readonly ModelInfo[] {
    return this.#o.bundled ?? BUNDLED_MODELS;
  }

  #now(): number {
    return (this.#o.now ?? Date.now)();
  }

  #nowDate(): Date {
    return new Date(this.#now());
  }
}

export function createModelsManager(options: ModelsManagerOptions): ModelsManager {
  return new ModelsManager(options);
}

function parseModels(text: string, target: string): ModelInfo[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ModelProviderError('invalid_models_response', `${target} did not answer JSON`, {
      body: safeBody(text),
    });
  }
  const parsed = modelsResponseSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ModelProviderError(
      'invalid_models_response',
      `${target} answered an invalid models list: ${issue.path.join('.') || 'body'}: ${issue.message}`,
      { body: safeBody(text) },
    );
  }
  return parsed.data.models;
}

function fromCacheOrBundled(cached: CachedModels | undefined, bundled: readonly ModelInfo[]): ModelsList {
  return cached
    ? withEtag({ models: cached.models, source: 'cache' }, cached.etag)
    : { models: bundled, source: 'bundled' };
}

function withEtag(list: ModelsList, etag: string | undefined): ModelsList {
  return etag === undefined ? list : { ...list, etag };
}

function quote(etag: string): string {
  return etag.startsWith('"') || etag.startsWith('W/') ? etag : `"${etag}"`;
}

function unquote(etag: string | null): string | undefined {
  const trimmed = etag?.trim();
  if (!trimmed) return undefined;
  return trimmed.replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
}
