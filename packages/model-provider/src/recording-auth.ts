import type { AuthProvider, AuthRequest } from '@codex-ts/auth-provider';
import { credentialValues } from './redact.js';

/**
 * The session's view of the caller's provider: every call goes straight through, and the credential of the last
 * request is kept (in a private field, never logged) so a failed response's body can be cleaned of it.
 */
export class RecordingAuth implements AuthProvider {
  readonly specificationVersion = 'v1';
  #lastSent: Readonly<Record<string, string>> = {};
  readonly #inner: AuthProvider;

  constructor(inner: AuthProvider) {
    this.#inner = inner;
    if (inner.onUnauthorized) this.onUnauthorized = (context) => inner.onUnauthorized!(context);
    if (inner.observe) this.observe = (request, response) => inner.observe!(request, response);
  }

  declare onUnauthorized?: NonNullable<AuthProvider['onUnauthorized']>;
  declare observe?: NonNullable<AuthProvider['observe']>;

  async headers(request: AuthRequest): Promise<Record<string, string>> {
    const sent = await this.#inner.headers(request);
    this.#lastSent = sent;
    return sent;
  }

  /** The credential values the last request sent (for `safeBody`). */
  lastSecrets(): string[] {
    return credentialValues(this.#lastSent);
  }

  describe(request: AuthRequest) {
    return this.#inner.describe(request);
  }

  toJSON(): { scheme: string } {
    return { scheme: 'recorded' };
  }
}
