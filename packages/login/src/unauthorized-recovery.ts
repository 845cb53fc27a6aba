import type { Credentials, ExternalChatgptTokens } from './credentials.js';
import { RefreshTokenError } from './errors.js';
import type { TokenRefresher } from './token-refresher.js';

/** One step of the 401 recovery sequence. */
export type UnauthorizedRecoveryStep = 'reload' | 'refresh_token' | 'external_refresh';

export interface RecoveryStepResult {
  readonly step: UnauthorizedRecoveryStep;
  /** The credentials changed: one retry of the failed request may succeed. */
  readonly authChanged: boolean;
}

/** Refreshes host-supplied ChatGPT tokens after a 401 (chatgptAuthTokens mode). */
export type ExternalTokenRefresher = (context: {
  previousAccountId: string | undefined;
}) => Promise<ExternalChatgptTokens>;

/**
 * Call `next()` once per 401 on a bearer request. Managed ChatGPT auth: reload (another process may have
 * refreshed), then refresh from the authority, then done. External tokens: one external refresh.
 * API keys: nothing to do.
 */
export class UnauthorizedRecovery {
  readonly mode: 'managed' | 'external' | 'none';
  readonly #steps: UnauthorizedRecoveryStep[];
  readonly #credentials: Credentials;
  readonly #refresher: TokenRefresher;
  readonly #external: ExternalTokenRefresher | undefined;
  readonly #accountId: string | undefined;

  constructor(
    credentials: Credentials,
    refresher: TokenRefresher,
    external: ExternalTokenRefresher | undefined,
  ) {
    const a = credentials.current;
    this.mode =
      a?.mode === 'chatgpt' ? 'managed' : a?.mode === 'chatgptAuthTokens' && external ? 'external' : 'none';
    this.#steps =
      this.mode === 'managed'
        ? ['reload', 'refresh_token']
        : this.mode === 'external'
          ? ['external_refresh']
          : [];
    this.#credentials = credentials;
    this.#refresher = refresher;
    this.#external = external;
    this.#accountId = a?.accountId();
  }

  hasNext(): boolean {
    return this.#steps.length > 0;
  }

  /** The step `next()` would run. */
  peek(): UnauthorizedRecoveryStep | undefined {
    return this.#steps[0];
  }

  /** Runs the next step. Throws (e.g. RefreshTokenError) when the step fails; throws when no step is left. */
  async next(): Promise<RecoveryStepResult> {
    const step = this.#steps.shift();
    if (step === undefined) throw new Error('no unauthorized recovery step left');
    return { step, authChanged: await this.#run(step) };
  }

  async #run(step: UnauthorizedRecoveryStep): Promise<boolean> {
    if (step === 'reload') {
      const stored = await this.#credentials.read();
      if (stored?.accountId() !== this.#accountId) {
        throw new RefreshTokenError({
          permanent: true,
          reason: 'account_changed',
          message:
            'stored auth belongs to another account (logged out or signed in elsewhere); not reloading',
        });
      }
      return this.#credentials.reload();
    }
    if (step === 'refresh_token') {
      const before = this.#credentials.current;
      const after = await this.#refresher.refresh(true);
      return !before?.sameCredentials(after);
    }
    if (!this.#external) return false;
    const tokens = await this.#external({ previousAccountId: this.#accountId });
    await this.#credentials.saveExternalTokens(tokens);
    return true;
  }
}
