import { CodexAuth } from './auth.js';
import type { AuthDotJson } from './auth-json.js';
import type { Credentials } from './credentials.js';
import { RefreshTokenError } from './errors.js';
import { describeFailure } from './failure.js';
import type { Logger } from './logger.js';
import { refreshTokenUrl, requestTokenRefresh } from './refresh.js';
import { SingleFlight } from './single-flight.js';
import { needsRefresh } from './token-freshness.js';

export interface TokenRefresherOptions {
  readonly credentials: Credentials;
  readonly env: NodeJS.ProcessEnv;
  readonly logger: Logger;
  /** fetch for the OAuth refresh (default global fetch). */
  readonly fetch: typeof fetch | undefined;
}

/**
 * Refreshes managed ChatGPT tokens: one refresh in flight per process, and across processes the store's lock
 * plus a reload before refreshing (another process may have refreshed already: its tokens are adopted).
 */
export class TokenRefresher {
  readonly #o: TokenRefresherOptions;
  readonly #flight = new SingleFlight<CodexAuth | undefined>();
  #permanentFailure: { auth: CodexAuth; error: RefreshTokenError } | undefined;
  #lastWarning: unknown;

  constructor(o: TokenRefresherOptions) {
    this.#o = o;
  }

  /** The current auth; tokens due for a refresh are refreshed first (a failure is logged once, the old auth returned). */
  async fresh(): Promise<CodexAuth | undefined> {
    const a = this.#o.credentials.current;
    if (a === undefined || !needsRefresh(a)) return a;
    try {
      return await this.refresh(false);
    } catch (err) {
      if (this.#lastWarning !== err) {
        this.#lastWarning = err;
        this.#o.logger.warn({ error: describeFailure(err) }, 'token refresh failed; using the current token');
      }
      return this.#o.credentials.current;
    }
  }

  /** Refreshes now (`force`), or only when still due after reloading the store. */
  refresh(force: boolean): Promise<CodexAuth | undefined> {
    return this.#flight.run(() => this.#refresh(force));
  }

  async #refresh(force: boolean): Promise<CodexAuth | undefined> {
    const credentials = this.#o.credentials;
    const cached = credentials.current;
    if (cached?.mode !== 'chatgpt') return cached;
    if (this.#permanentFailure?.auth === cached) throw this.#permanentFailure.error;
    const store = credentials.storeFor(cached);
    if (!store) return cached;
    try {
      return await store.transaction(async (tx) => {
        const doc = tx.current;
        const stored = doc ? CodexAuth.fromAuthDotJson(doc, cached.source, store.location) : undefined;
        if (!doc || !stored || stored.mode !== 'chatgpt' || stored.accountId() !== cached.accountId()) {
          throw new RefreshTokenError({
            permanent: true,
            reason: 'account_changed',
            message: 'not refreshing: the stored auth was logged out or belongs to another account',
          });
        }
        if (!stored.sameCredentials(cached)) {
          // Another process refreshed already: adopt its tokens.
          credentials.replace(stored);
          if (force || !needsRefresh(stored)) return stored;
        }
        const refreshToken = stored.refreshToken();
        if (!refreshToken) {
          throw new RefreshTokenError({
            permanent: true,
            reason: 'other',
            message: 'no refresh token stored; log in again',
          });
        }
        const fresh = await requestTokenRefresh({
          url: refreshTokenUrl(this.#o.env),
          refreshToken,
          ...(this.#o.fetch ? { fetch: this.#o.fetch } : {}),
        });
        const tokens = { ...doc.tokens! };
        if (fresh.idToken !== undefined) tokens.id_token = fresh.idToken;
        if (fresh.accessToken !== undefined) tokens.access_token = fresh.accessToken;
        if (fresh.refreshToken !== undefined) tokens.refresh_token = fresh.refreshToken;
        const next: AuthDotJson = { ...doc, tokens, last_refresh: new Date().toISOString() };
        await tx.write(next);
        const auth = CodexAuth.fromAuthDotJson(next, cached.source, store.location)!;
        this.#o.logger.info({ accountId: auth.accountId() }, 'refreshed ChatGPT tokens');
        credentials.replace(auth);
        return auth;
      });
    } catch (err) {
      if (err instanceof RefreshTokenError && err.permanent)
        this.#permanentFailure = { auth: cached, error: err };
      throw err;
    }
  }
}
