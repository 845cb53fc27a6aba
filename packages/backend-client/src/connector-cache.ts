import type { DirectoryApp } from './schemas/connectors.js';

/** How long a directory listing is reused: one hour, as upstream. */
export const CONNECTOR_CACHE_TTL_MS = 60 * 60 * 1000;

/** Whose directory a listing is: the same base, account, user and workspace kind get the same answer. */
export interface ConnectorCacheKey {
  readonly baseUrl: string;
  readonly accountId: string | undefined;
  readonly userId: string | undefined;
  readonly isWorkspaceAccount: boolean;
}

function sameKey(a: ConnectorCacheKey, b: ConnectorCacheKey): boolean {
  return (
    a.baseUrl === b.baseUrl &&
    a.accountId === b.accountId &&
    a.userId === b.userId &&
    a.isWorkspaceAccount === b.isWorkspaceAccount
  );
}

/**
 * The last connector directory listing, kept for an hour for one key. A listing for another key replaces it;
 * an expired entry is dropped on read. Share one instance between clients to share the listing.
 */
export class ConnectorDirectoryCache {
  readonly #now: () => number;
  readonly #ttlMs: number;
  #entry: { key: ConnectorCacheKey; expiresAt: number; apps: readonly DirectoryApp[] } | undefined;

  constructor(options: { now?: () => number; ttlMs?: number } = {}) {
    this.#now = options.now ?? Date.now;
    this.#ttlMs = options.ttlMs ?? CONNECTOR_CACHE_TTL_MS;
  }

  get(key: ConnectorCacheKey): readonly DirectoryApp[] | undefined {
    const entry = this.#entry;
    if (!entry) return undefined;
    if (this.#now() >= entry.expiresAt) {
      this.#entry = undefined;
      return undefined;
    }
    return sameKey(entry.key, key) ? entry.apps : undefined;
  }

  set(key: ConnectorCacheKey, apps: readonly DirectoryApp[]): void {
    this.#entry = { key, expiresAt: this.#now() + this.#ttlMs, apps };
  }
}
