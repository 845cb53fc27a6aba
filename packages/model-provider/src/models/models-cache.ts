import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { type ModelInfo, modelInfoSchema } from './model-info.js';

/** The file name upstream uses in CODEX_HOME. */
export const MODELS_CACHE_FILE = 'models_cache.json';

const cacheSchema = z.looseObject({
  fetched_at: z.string(),
  etag: z.string().optional(),
  client_version: z.string().optional(),
  cache_key: z.looseObject({ provider_id: z.string(), account_id: z.string().optional() }).optional(),
  models: z.array(modelInfoSchema),
});

export interface CacheKey {
  readonly providerId: string;
  readonly accountId?: string | undefined;
}

export interface CachedModels {
  readonly fetchedAt: Date;
  readonly etag: string | undefined;
  readonly models: ModelInfo[];
}

/** `{dir}/models_cache.json`, upstream's shape; written atomically (temp file + rename, 0600). */
export class ModelsCache {
  readonly path: string;
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
    this.path = join(dir, MODELS_CACHE_FILE);
  }

  /** The cached list for this client version and key, whatever its age; undefined when absent or unusable. */
  async load(clientVersion: string, key: CacheKey): Promise<CachedModels | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch {
      return undefined;
    }
    let parsed: z.infer<typeof cacheSchema>;
    try {
      parsed = cacheSchema.parse(JSON.parse(text));
    } catch {
      return undefined;
    }
    if (parsed.client_version !== clientVersion) return undefined;
    if (parsed.cache_key?.provider_id !== key.providerId || parsed.cache_key.account_id !== key.accountId) {
      return undefined;
    }
    const fetchedAt = new Date(parsed.fetched_at);
    if (Number.isNaN(fetchedAt.getTime())) return undefined;
    return { fetchedAt, etag: parsed.etag, models: parsed.models };
  }

  async save(clientVersion: string, key: CacheKey, entry: CachedModels): Promise<void> {
    const cache = {
      fetched_at: entry.fetchedAt.toISOString(),
      ...(entry.etag === undefined ? {} : { etag: entry.etag }),
      client_version: clientVersion,
      cache_key: {
        provider_id: key.providerId,
        ...(key.accountId === undefined ? {} : { account_id: key.accountId }),
      },
      models: entry.models,
    };
    await mkdir(this.#dir, { recursive: true });
    const temp = `${this.path}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(temp, `${JSON.stringify(cache, null, 2)}\n`, { mode: 0o600 });
      await rename(temp, this.path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }
}
