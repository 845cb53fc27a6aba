/**
 * The request a provider is asked to authorize.
 *
 * `url` may be `http:`, `https:`, `ws:` or `wss:`. A `ws:`/`wss:` URL is authorized exactly as the matching
 * `http:`/`https:` URL would be (same host rules, same credential), so a websocket handshake carries what an
 * HTTP request to the same endpoint carries.
 */
export interface AuthRequest {
  readonly url: URL;
  /** Upper-case method; `GET` for a websocket handshake. */
  readonly method: string;
  /**
   * Aborting it makes a pending `headers()` settle promptly (a provider waiting on a registration stops
   * waiting) with `signal.reason`, as `fetch` does.
   */
  readonly signal?: AbortSignal;
}

/** How a request is authorized. `none` means no credential header is sent. */
export type AuthScheme = 'bearer' | 'agent-assertion' | 'none';

/** A description that is safe to log: the scheme and routing facts, never a secret. */
export interface AuthDescription {
  readonly scheme: AuthScheme;
  readonly accountId?: string;
  /** Human words on why this scheme (e.g. a bearer fallback reason). Never a secret. */
  readonly detail?: string;
}

/** Reads one header by name, case-insensitively. Both `Headers` implementations satisfy it. */
export interface HeaderReader {
  get(name: string): string | null;
}

/** What `observe` sees of a response: enough to read status and headers, never the body. */
export interface AuthResponse {
  readonly status: number;
  readonly headers: HeaderReader;
}

/** What a provider is told when a request it authorized came back 401. */
export interface UnauthorizedContext {
  readonly request: AuthRequest;
  /** The headers `headers()` returned for that request, read case-insensitively. */
  readonly sentHeaders: HeaderReader;
  readonly response: AuthResponse & {
    /** At most the first 4 KiB of the response body, as text. */
    readonly body: string;
  };
}

/**
 * Something that authorizes backend requests. Call sites ask it for headers per request (per attempt, per
 * redirect hop, per websocket handshake) and never learn whether the credential is a bearer token or a signed
 * assertion.
 */
export interface AuthProvider {
  readonly specificationVersion: 'v1';
  /**
   * The headers for one request. Called once per attempt: a provider may mint a fresh assertion, or register
   * what it needs first. Header names use canonical case (`Authorization`, `ChatGPT-Account-ID`,
   * `X-OpenAI-Fedramp`); the object is the caller's to keep. Never throws synchronously: a failure is a rejected
   * promise carrying an `AuthUnavailableError` (or `signal.reason` once the request's signal aborts).
   */
  headers(request: AuthRequest): Promise<Record<string, string>>;
  /**
   * The decision `headers(request)` would make now, without I/O and without waiting: the scheme it would send
   * (for instance `bearer` while a registration is still pending) and routing facts. Never a secret.
   */
  describe(request: AuthRequest): AuthDescription;
  /**
   * A request this provider authorized came back 401. The provider may recover (drop a task, refresh a token);
   * it resolves `true` when one retry of that request may succeed.
   */
  onUnauthorized?(context: UnauthorizedContext): Promise<boolean>;
  /**
   * Called after every response to a request this provider authorized (each attempt and redirect hop), before
   * the body is read. For observations only (e.g. a clock offset from `Date`); must not throw.
   */
  observe?(request: AuthRequest, response: AuthResponse): void;
}
