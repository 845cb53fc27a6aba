export { type BearerAuthOptions, bearerAuthProvider } from './bearer.js';
export { AuthUnavailableError } from './errors.js';
export {
  type FetchWithAuthInit,
  type FetchWithAuthOptions,
  fetchWithAuth,
  isReplayableBody,
  type ResponseLike,
} from './fetch.js';
export {
  ACCOUNT_ID_HEADER,
  type AccountRouting,
  AUTHORIZATION_HEADER,
  accountRoutingHeaders,
  FEDRAMP_HEADER,
} from './headers.js';
export { authorizationScheme, redactAuthorization } from './scheme.js';
export type {
  AuthDescription,
  AuthProvider,
  AuthRequest,
  AuthScheme,
  HeaderReader,
  UnauthorizedContext,
} from './types.js';
export { unauthenticatedAuthProvider } from './unauthenticated.js';
