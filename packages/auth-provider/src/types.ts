/** The request a provider is asked to authorize. */
export interface AuthRequest {
  readonly url: URL;
  readonly method: string;
}

/** How a request is authorized. `none` means no credential header is sent. */
export type AuthScheme = 'bearer' | 'agent-assertion' | 'none';

/** A description that is safe to log: the scheme and routing facts, never a secret. */
export interface AuthDescription {
  readonly scheme: AuthScheme;
  readonly accountId?: string;
  readonly detail?: string;
}

/** The parts of a response header map a provider reads. Both `Headers` implementations satisfy it. */
export interface HeaderReader {
  get(name: string): string | null;
}

/** What a provider is told when a request it authorized came back 401. */
export interface UnauthorizedContext {
  readonly request: AuthRequest;
  /** The headers `headers()` returned for that request. */
  readonly sentHeaders: Readonly<Record<string, string>>;
  readonly response: {
    readonly status: number;
    readonly headers: HeaderReader;
    /** At most the first 4 KiB of the response body, as text. */
    readonly body: string;
  };
}

/**
 * Something that authorizes backend requests. Call sites ask it for headers per request and never
 * learn whether the credential is a bearer token or a signed assertion.
 */
export interface AuthProvider {
  /**
   * The headers for one request. Called once per request (a provider may mint a fresh assertion,
   * or register what it needs first). Header names use canonical case: `Authorization`,
   * `ChatGPT-Account-ID`, `X-OpenAI-Fedramp`.
   */
  headers(request: AuthRequest): Promise<Record<string, string>>;
  /**
   * A request this provider authorized came back 401. The provider may recover (drop a task,
   * refresh a token); it resolves `true` when one retry of that request may succeed.
   */
  onUnauthorized?(context: UnauthorizedContext): Promise<boolean>;
  /** The scheme this provider would use now, for logs and telemetry. Never contains a secret. */
  describe(): AuthDescription;
}
