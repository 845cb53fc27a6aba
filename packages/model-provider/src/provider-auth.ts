import { type AuthProvider, bearerAuthProvider, unauthenticatedAuthProvider } from '@codex-ts/auth-provider';
import { InvalidProviderError, MissingEnvKeyError } from './errors.js';
import type { ModelProviderInfo } from './provider-info.js';

export interface ProviderAuthOptions {
  /** The caller's provider (the user's ChatGPT or API-key credentials, bearer or assertion). */
  readonly auth?: AuthProvider | undefined;
  /** Where `env_key` is read; `process.env` by default. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Which `AuthProvider` a provider's requests use:
 * - `envKey` set: a bearer provider with that variable's value, and never the caller's credentials
 *   (`MissingEnvKeyError` when the variable is unset or empty);
 * - otherwise, a provider that requires OpenAI auth: the caller's `auth` (an `InvalidProviderError` without one);
 * - otherwise the caller's `auth` if given, else no credentials at all.
 */
export function providerAuth(provider: ModelProviderInfo, options: ProviderAuthOptions = {}): AuthProvider {
  if (provider.envKey !== undefined) {
    const env = options.env ?? process.env;
    const token = env[provider.envKey]?.trim();
    if (!token) throw new MissingEnvKeyError(provider.envKey, provider.name, provider.envKeyInstructions);
    return bearerAuthProvider({ token });
  }
  if (options.auth) return options.auth;
  if (provider.requiresOpenaiAuth) {
    throw new InvalidProviderError(
      'auth',
      `the ${provider.name} provider requires OpenAI auth and none was given`,
    );
  }
  return unauthenticatedAuthProvider();
}
