import type { AuthDescription, AuthProvider } from './types.js';

const NONE: AuthDescription = Object.freeze({ scheme: 'none' });

/** Sends no headers: for local providers that need no OpenAI auth. */
export function unauthenticatedAuthProvider(): AuthProvider {
  return {
    headers: async () => ({}),
    describe: () => NONE,
  };
}
