import { inspect } from 'node:util';
import type { AuthDotJson } from './auth-json.js';
import { AuthFileError } from './errors.js';
import { type IdTokenInfo, isWorkspacePlan, jwtExpiresAtMs, parseIdToken } from './token-data.js';

/** `apikey`: an OpenAI API key. `chatgpt`: managed ChatGPT tokens (refreshed and persisted here).
 *  `chatgptAuthTokens`: ChatGPT tokens supplied by a host application, held in memory only. */
export type AuthMode = 'apikey' | 'chatgpt' | 'chatgptAuthTokens';

/** Where the current auth came from. */
export type AuthSource = 'env' | 'file' | 'ephemeral';

interface Secrets {
  apiKey?: string;
  idToken?: string;
  accessToken?: string;
  refreshToken?: string;
}

/**
 * One snapshot of the credentials. Immutable; a refresh or reload produces a new instance.
 * util.inspect / JSON.stringify show only non-secret facts.
 */
export class CodexAuth {
  readonly mode: AuthMode;
  readonly source: AuthSource;
  /** Parsed id_token claims (ChatGPT modes only). */
  readonly idToken: IdTokenInfo | undefined;
  readonly lastRefresh: string | undefined;
  /** Access-token `exp` in epoch ms (ChatGPT modes, when the token is a JWT with `exp`). */
  readonly accessTokenExpiresAtMs: number | undefined;
  readonly #secrets: Secrets;
  readonly #json: AuthDotJson | undefined;
  readonly #accountId: string | undefined;

  private constructor(
    mode: AuthMode,
    source: AuthSource,
    secrets: Secrets,
    json: AuthDotJson | undefined,
    accountId: string | undefined,
  ) {
    this.mode = mode;
    this.source = source;
    this.#secrets = secrets;
    this.#json = json;
    this.idToken = secrets.idToken !== undefined ? parseIdToken(secrets.idToken) : undefined;
    this.#accountId = accountId ?? this.idToken?.chatgptAccountId;
    this.lastRefresh = json?.last_refresh ?? undefined;
    this.accessTokenExpiresAtMs =
      secrets.accessToken !== undefined ? jwtExpiresAtMs(secrets.accessToken) : undefined;
  }

  static fromApiKey(apiKey: string, source: AuthSource): CodexAuth {
    return new CodexAuth('apikey', source, { apiKey }, undefined, undefined);
  }

  /** Returns undefined when the document holds no usable credentials. Throws AuthFileError for unsupported modes. */
  static fromAuthDotJson(json: AuthDotJson, source: AuthSource, path: string): CodexAuth | undefined {
    const declared = json.auth_mode ?? undefined;
    if (
      declared !== undefined &&
      declared !== 'apikey' &&
      declared !== 'chatgpt' &&
      declared !== 'chatgptAuthTokens'
    ) {
      throw new AuthFileError(
        'auth_file_invalid',
        path,
        `auth_mode "${declared}" is not supported by codex-ts`,
      );
    }
    const apiKey = json.OPENAI_API_KEY ?? undefined;
    const mode: AuthMode = declared ?? (apiKey ? 'apikey' : 'chatgpt');
    if (mode === 'apikey') {
      return apiKey ? new CodexAuth('apikey', source, { apiKey }, json, undefined) : undefined;
    }
    const t = json.tokens;
    if (!t) return undefined;
    return new CodexAuth(
      mode,
      source,
      { idToken: t.id_token, accessToken: t.access_token, refreshToken: t.refresh_token },
      json,
      t.account_id ?? undefined,
    );
  }

  isChatgpt(): boolean {
    return this.mode === 'chatgpt' || this.mode === 'chatgptAuthTokens';
  }

  /** The bearer credential: API key or ChatGPT access token. SECRET. */
  token(): string {
    return (this.mode === 'apikey' ? this.#secrets.apiKey : this.#secrets.accessToken) ?? '';
  }

  /** SECRET. */
  refreshToken(): string | undefined {
    return this.#secrets.refreshToken;
  }

  accountId(): string | undefined {
    return this.#accountId;
  }
  email(): string | undefined {
    return this.idToken?.email;
  }
  planType(): string | undefined {
    return this.idToken?.chatgptPlanType;
  }
  chatgptUserId(): string | undefined {
    return this.idToken?.chatgptUserId;
  }
  isFedrampAccount(): boolean {
    return this.idToken?.isFedramp ?? false;
  }
  isWorkspaceAccount(): boolean {
    return isWorkspacePlan(this.planType());
  }

  /** A copy of the stored document (SECRETS inside). Undefined for env API keys. */
  authDotJson(): AuthDotJson | undefined {
    return this.#json === undefined ? undefined : structuredClone(this.#json);
  }

  /** True when both snapshots carry the same credentials (used to detect another process's refresh). */
  sameCredentials(other: CodexAuth | undefined): boolean {
    if (!other || other.mode !== this.mode) return false;
    const a = this.#secrets;
    const b = other.#secrets;
    return a.apiKey === b.apiKey && a.accessToken === b.accessToken && a.refreshToken === b.refreshToken;
  }

  /** Non-secret summary. */
  toJSON(): Record<string, unknown> {
    return {
      mode: this.mode,
      source: this.source,
      accountId: this.#accountId,
      email: this.email(),
      plan: this.planType(),
      chatgptUserId: this.chatgptUserId(),
      fedramp: this.isFedrampAccount(),
      lastRefresh: this.lastRefresh,
    };
  }

  [inspect.custom](): string {
    return `CodexAuth ${inspect(this.toJSON())}`;
  }
}
