const MARKER = Symbol.for('@codex-ts/mcp.error');

/** What went wrong with the apps MCP connection or a call on it. */
export type AppsMcpErrorCode =
  /** No tool by that name. */
  | 'unknown_tool'
  /** The arguments do not match the tool's input schema. */
  | 'invalid_arguments'
  /** A file argument was given but no `FileUploader` is configured. */
  | 'file_upload_unavailable'
  /** Reading or uploading a file argument failed. */
  | 'file_upload_failed'
  /** initialize + tools/list did not finish within the startup timeout (30 s by default). */
  | 'startup_timeout'
  /** A tool call did not finish within the tool timeout (300 s by default). */
  | 'tool_timeout'
  /** The server closed a response stream before answering the request it carried. */
  | 'stream_disconnected'
  /** The server refused the credential (401/403) even after the provider's recovery. */
  | 'unauthorized'
  /** Another HTTP error status. */
  | 'http_error'
  /** The connection could not be made or broke before an answer. */
  | 'network'
  /** The server answered with a JSON-RPC error. */
  | 'server_error'
  /** `start()` has not succeeded (or the connection was closed). */
  | 'not_connected';

/**
 * The typed error of this package. Check with `isAppsMcpError(e)` (works across two installed copies) and read
 * `code`; `status` is the HTTP status for `unauthorized`/`http_error`. Auth refusals are not wrapped: they stay
 * `@codex-ts/auth-provider`'s `AuthUnavailableError`.
 */
export class AppsMcpError extends Error {
  readonly [MARKER] = true;
  readonly code: AppsMcpErrorCode;
  readonly status: number | undefined;

  constructor(code: AppsMcpErrorCode, message: string, options: ErrorOptions & { status?: number } = {}) {
    super(message, options);
    this.name = 'AppsMcpError';
    this.code = code;
    this.status = options.status;
  }
}

export function isAppsMcpError(error: unknown): error is AppsMcpError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
}
