import { type AccountRouting, AUTHORIZATION_HEADER, accountRoutingHeaders } from './headers.js';
import { INSPECT } from './inspect.js';
import type { AuthDescription, AuthProvider, AuthRequest } from './types.js';

export interface BearerAuthOptions extends AccountRouting {
  readonly token: string;
}

class BearerAuthProvider implements AuthProvider {
  readonly specificationVersion = 'v1';
  readonly #headers: Readonly<Record<string, string>>;
  readonly #description: AuthDescription;

  constructor(options: BearerAuthOptions) {
    if (options.token.length === 0) throw new TypeError('bearer token must not be empty');
    if (hasControlCharacter(options.token))
      throw new TypeError('bearer token must not contain control characters');
    this.#headers = Object.freeze({
      [AUTHORIZATION_HEADER]: `Bearer ${options.token}`,
      ...accountRoutingHeaders(options),
    });
    this.#description = Object.freeze(
      options.accountId ? { scheme: 'bearer', accountId: options.accountId } : { scheme: 'bearer' },
    );
  }

  async headers(request?: AuthRequest): Promise<Record<string, string>> {
    request?.signal?.throwIfAborted();
    return { ...this.#headers };
  }

  describe(): AuthDescription {
    return this.#description;
  }

  [INSPECT](): string {
    const account = this.#description.accountId ? `, accountId: '${this.#description.accountId}'` : '';
    return `BearerAuthProvider { scheme: 'bearer'${account} }`;
  }

  toJSON(): AuthDescription {
    return this.#description;
  }
}

/**
 * `Authorization: Bearer <token>`, plus `ChatGPT-Account-ID` and `X-OpenAI-Fedramp: true` when given, for every
 * request it is asked about. Use it where the caller already decided the destination deserves the token.
 */
export function bearerAuthProvider(options: BearerAuthOptions): AuthProvider {
  return new BearerAuthProvider(options);
}

function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
