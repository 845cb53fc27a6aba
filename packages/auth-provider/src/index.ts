export {
  type AuthFetch,
  type AuthFetchInit,
  type AuthFetchOptions,
  createAuthFetch,
  type FetchLike,
  fetchWithAuth,
  type ResponseLike,
} from './auth-fetch.js';
export { type BearerAuthOptions, bearerAuthProvider } from './bearer.js';
export {
  AuthError,
  AuthUnavailableError,
  type AuthUnavailableReason,
  isAuthError,
  isAuthUnavailableError,
} from './errors.js';
export { headerReader } from './header-reader.js';
export {
  ACCOUNT_ID_HEADER,
  type AccountRouting,
  AUTHORIZATION_HEADER,
  accountRoutingHeaders,
  FEDRAMP_HEADER,
  PROVIDER_HEADERS,
} from './headers.js';
export { isReplayableBody } from './replayable-body.js';
export { authorizationScheme, redactAuthorization } from './scheme.js';
export type {
  AuthDescription,
  AuthProvider,
  AuthRequest,
  AuthResponse,
  AuthScheme,
  HeaderReader,
  UnauthorizedContext,
} from './types.js';
export { unauthenticatedAuthProvider } from './unauthenticated.js';
export {
  UNAUTHORIZED_BODY_LIMIT,
  unauthorizedContext,
  unauthorizedContextFromUpgrade,
} from './unauthorized-context.js';
