import type { AuthUnavailableError } from '../errors.js';
import { ACCOUNT_ID_HEADER, AUTHORIZATION_HEADER } from '../headers.js';
import type {
  AuthDescription,
  AuthProvider,
  AuthRequest,
  AuthResponse,
  AuthScheme,
  UnauthorizedContext,
} from '../types.js';

export interface RecordingProviderOptions {
  /** The scheme it sends; `bearer` by default. */
  readonly scheme?: AuthScheme;
  /** `ChatGPT-Account-ID` on every authorized request. */
  readonly accountId?: string;
  /** Which requests get headers at all; every one by default. Others get `{}` and describe as `none`. */
  readonly authorizes?: (request: AuthRequest) => boolean;
  /** What `onUnauthorized` resolves; `true` by default. `undefined` leaves `onUnauthorized` out. */
  readonly retryOnUnauthorized?: boolean | ((context: UnauthorizedContext) => boolean) | undefined;
  /** A reason to refuse a request with `AuthUnavailableError` instead of answering it. */
  readonly refuse?: (request: AuthRequest) => AuthUnavailableError | undefined;
}

/** A provider double that records everything it is asked and told. */
export interface RecordingProvider extends AuthProvider {
  readonly requests: readonly AuthRequest[];
  readonly unauthorized: readonly UnauthorizedContext[];
  readonly observed: ReadonlyArray<{ readonly request: AuthRequest; readonly status: number }>;
}

/**
 * A provider that mints `Bearer test-token-<n>` (or `AgentAssertion test-assertion-<n>`) on its n-th call, so a
 * test can tell attempts apart, and records requests, 401 contexts and observed responses.
 */
export function recordingAuthProvider(options: RecordingProviderOptions = {}): RecordingProvider {
  const scheme = options.scheme ?? 'bearer';
  const requests: AuthRequest[] = [];
  const unauthorized: UnauthorizedContext[] = [];
  const observed: Array<{ request: AuthRequest; status: number }> = [];
  const authorizes = options.authorizes ?? (() => true);

  const describe = (request: AuthRequest): AuthDescription => {
    if (!authorizes(request) || scheme === 'none' || options.refuse?.(request)) return { scheme: 'none' };
    return options.accountId ? { scheme, accountId: options.accountId } : { scheme };
  };

  const provider: RecordingProvider = {
    specificationVersion: 'v1',
    requests,
    unauthorized,
    observed,
    async headers(request) {
      request.signal?.throwIfAborted();
      requests.push(request);
      const refusal = options.refuse?.(request);
      if (refusal) throw refusal;
      if (describe(request).scheme === 'none') return {};
      const n = requests.length;
      const credential =
        scheme === 'bearer' ? `Bearer test-token-${n}` : `AgentAssertion test-assertion-${n}`;
      const headers: Record<string, string> = { [AUTHORIZATION_HEADER]: credential };
      if (options.accountId) headers[ACCOUNT_ID_HEADER] = options.accountId;
      return headers;
    },
    describe,
    observe(request: AuthRequest, response: AuthResponse) {
      observed.push({ request, status: response.status });
    },
  };
  const retry = 'retryOnUnauthorized' in options ? options.retryOnUnauthorized : true;
  if (retry !== undefined) {
    provider.onUnauthorized = async (context) => {
      unauthorized.push(context);
      return typeof retry === 'function' ? retry(context) : retry;
    };
  }
  return provider;
}
