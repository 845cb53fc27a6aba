import { inspect } from 'node:util';
import { type AccountRouting, AUTHORIZATION_HEADER, accountRoutingHeaders } from './headers.js';
import type { AuthDescription, AuthProvider } from './types.js';

export interface BearerAuthOptions extends AccountRouting {
  readonly token: string;
}

class BearerAuthProvider implements AuthProvider {
  readonly #headers: Readonly<Record<string, string>>;
  readonly #description: AuthDescription;

  constructor(options: BearerAuthOptions) {
    if (options.token.length === 0) throw new TypeError('bearer token must not be empty');
    this.#headers = Object.freeze({
      [AUTHORIZATION_HEADER]: `Bearer ${options.token}`,
      ...accountRoutingHeaders(options),
    });
    this.#description = options.accountId
      ? { scheme: 'bearer', accountId: options.accountId }
      : { scheme: 'bearer' };
  }

  async headers(): Promise<Record<string, string>> {
    return { ...this.#headers };
  }

  describe(): AuthDescription {
    return this.#description;
  }

  [inspect.custom](): string {
    return `BearerAuthProvider { scheme: 'bearer'${this.#description.accountId ? `, accountId: '${this.#description.accountId}'` : ''} }`;
  }

  toJSON(): AuthDescription {
    return this.#description;
  }
}

/** `Authorization: Bearer <token>`, plus `ChatGPT-Account-ID` and `X-OpenAI-Fedramp: true` when given. */
export function bearerAuthProvider(options: BearerAuthOptions): AuthProvider {
  return new BearerAuthProvider(options);
}
