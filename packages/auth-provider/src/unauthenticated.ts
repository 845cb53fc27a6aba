import type { AuthDescription, AuthProvider, AuthRequest } from './types.js';

const NONE: AuthDescription = Object.freeze({ scheme: 'none' });

/** Sends no headers: for local providers that need no OpenAI auth. */
export function unauthenticatedAuthProvider(): AuthProvider {
  return {
    specificationVersion: 'v1',
    headers: async (request?: AuthRequest) => {
      request?.signal?.throwIfAborted();
      return {};
    },
    describe: () => NONE,
  };
}
