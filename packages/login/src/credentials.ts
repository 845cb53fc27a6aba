import { rm } from 'node:fs/promises';
import { CodexAuth } from './auth.js';
import type { AuthDotJson } from './auth-json.js';
import { describeFailure } from './failure.js';
import type { Logger } from './logger.js';
import { type AuthStore, EphemeralAuthStore, FileAuthStore, updateAuthStore } from './storage.js';

/** Tokens a host application supplies for `chatgptAuthTokens` mode (held in memory only). */
export interface ExternalChatgptTokens {
  idToken: string;
  accessToken: string;
  accountId?: string;
}

export interface CredentialsOptions {
  readonly codexHome: string;
  readonly store: AuthStore;
  readonly env: NodeJS.ProcessEnv;
  readonly logger: Logger;
  /** Honour `CODEX_API_KEY` (default true). */
  readonly enableCodexApiKeyEnv: boolean;
}

/**
 * The credentials of one CODEX_HOME: which source wins (CODEX_API_KEY, host-supplied tokens, the store,
 * OPENAI_API_KEY), the current snapshot, and its `version` (incremented on every change; caches compare it).
 */
export class Credentials {
  readonly store: AuthStore;
  /** Host-supplied tokens (and the store itself when it is ephemeral). */
  readonly ephemeral: EphemeralAuthStore;
  readonly #env: NodeJS.ProcessEnv;
  readonly #logger: Logger;
  readonly #codexApiKeyEnv: boolean;
  readonly #listeners = new Set<(auth: CodexAuth | undefined) => void>();
  #current: CodexAuth | undefined;
  #version = 0;

  constructor(o: CredentialsOptions) {
    this.store = o.store;
    this.ephemeral = new EphemeralAuthStore(o.codexHome);
    this.#env = o.env;
    this.#logger = o.logger;
    this.#codexApiKeyEnv = o.enableCodexApiKeyEnv;
  }

  get current(): CodexAuth | undefined {
    return this.#current;
  }

  get version(): number {
    return this.#version;
  }

  /** Reads every source in precedence order, without changing `current`. */
  async read(): Promise<CodexAuth | undefined> {
    const codexKey = this.#env.CODEX_API_KEY?.trim();
    if (this.#codexApiKeyEnv && codexKey) return CodexAuth.fromApiKey(codexKey, 'env');
    const eph = await this.ephemeral.load();
    if (eph) {
      const a = CodexAuth.fromAuthDotJson(eph, 'ephemeral', this.ephemeral.location);
      if (a) return a;
    }
    if (this.store.location !== this.ephemeral.location) {
      const doc = await this.store.load();
      if (doc) {
        const source = this.store.kind === 'ephemeral' ? 'ephemeral' : 'file';
        const a = CodexAuth.fromAuthDotJson(doc, source, this.store.location);
        if (a) return a;
      }
    }
    const openaiKey = this.#env.OPENAI_API_KEY?.trim();
    return openaiKey ? CodexAuth.fromApiKey(openaiKey, 'env') : undefined;
  }

  /** Re-reads the sources. Returns true when the credentials changed. */
  async reload(): Promise<boolean> {
    const next = await this.read();
    const prev = this.#current;
    if (prev === undefined ? next === undefined : prev.sameCredentials(next)) return false;
    this.replace(next);
    return true;
  }

  /** Makes `next` current (after a refresh or a reload) and tells the subscribers. */
  replace(next: CodexAuth | undefined): void {
    this.#current = next;
    this.#version++;
    for (const listener of this.#listeners) {
      try {
        listener(next);
      } catch (err) {
        this.#logger.warn({ error: describeFailure(err) }, 'auth change listener threw');
      }
    }
  }

  /** Called with the new auth (or undefined after logout) on every change. Returns an unsubscribe function. */
  subscribe(listener: (auth: CodexAuth | undefined) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** The store `auth` was read from and is written back to (none for environment keys). */
  storeFor(auth: CodexAuth): AuthStore | undefined {
    if (auth.source === 'env') return undefined;
    if (auth.source === 'ephemeral' && this.store.kind !== 'ephemeral') return this.ephemeral;
    return this.store;
  }

  /** Stores an API key (auth_mode apikey); other unknown fields are kept. */
  async saveApiKey(key: string): Promise<void> {
    await updateAuthStore(this.store, (current) => {
      const next: AuthDotJson = { ...(current ?? {}), auth_mode: 'apikey', OPENAI_API_KEY: key };
      delete next.tokens;
      delete next.last_refresh;
      delete next.agent_identity;
      return next;
    });
    // Host-supplied tokens would shadow the stored key: drop them (same map when the store is ephemeral).
    if (this.store.kind !== 'ephemeral') await this.ephemeral.transaction((tx) => tx.remove());
    await this.reload();
  }

  /** Stores managed ChatGPT tokens; an existing identity is kept (it is validated on use). */
  async saveChatgptTokens(t: {
    idToken: string;
    accessToken: string;
    refreshToken: string;
    accountId?: string;
  }): Promise<void> {
    await updateAuthStore(this.store, (current) => ({
      ...(current ?? {}),
      auth_mode: 'chatgpt',
      OPENAI_API_KEY: null,
      tokens: {
        id_token: t.idToken,
        access_token: t.accessToken,
        refresh_token: t.refreshToken,
        ...(t.accountId !== undefined ? { account_id: t.accountId } : {}),
      },
      last_refresh: new Date().toISOString(),
    }));
    await this.reload();
  }

  /** Host-supplied ChatGPT tokens, held in memory (ephemeral store) and never written to disk. */
  async saveExternalTokens(t: ExternalChatgptTokens): Promise<void> {
    await this.ephemeral.transaction(async (tx) => {
      const keep = tx.current?.agent_identity;
      await tx.write({
        auth_mode: 'chatgptAuthTokens',
        OPENAI_API_KEY: null,
        tokens: {
          id_token: t.idToken,
          access_token: t.accessToken,
          refresh_token: '',
          ...(t.accountId !== undefined ? { account_id: t.accountId } : {}),
        },
        ...(keep !== undefined ? { agent_identity: keep } : {}),
      });
    });
    await this.reload();
  }

  /** Removes stored credentials (the file and the in-memory store). Returns true when something was removed. */
  async remove(): Promise<boolean> {
    let removed = false;
    for (const store of new Set<AuthStore>([this.ephemeral, this.store])) {
      await store
        .transaction(async (tx) => {
          if (tx.current !== undefined) removed = true;
          await tx.remove();
        })
        .catch(async (err) => {
          // A corrupt file can still be logged out of: remove it without reading.
          if (store instanceof FileAuthStore) {
            await rm(store.location, { force: true });
            removed = true;
          } else throw err;
        });
    }
    await this.reload();
    return removed;
  }
}
