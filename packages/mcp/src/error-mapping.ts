import { isAuthError } from '@codex-ts/auth-provider';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { AppsMcpError, isAppsMcpError } from './errors.js';
import { STREAM_DISCONNECTED_CODE } from './stream-watch-transport.js';

/**
 * One decision for every failure the SDK can surface: auth refusals and our own errors pass through, a caller's
 * abort rethrows its reason, everything else becomes an `AppsMcpError` with a code.
 */
export function toAppsMcpError(
  error: unknown,
  phase: 'startup' | 'tool',
  callerSignal?: AbortSignal,
): unknown {
  if (isAuthError(error) || isAppsMcpError(error)) return error;
  if (callerSignal?.aborted && error === callerSignal.reason) return error;
  if (error instanceof McpError) {
    if (error.code === STREAM_DISCONNECTED_CODE) {
      return new AppsMcpError(
        'stream_disconnected',
        'the apps MCP server closed the stream before answering',
        {
          cause: error,
        },
      );
    }
    if (error.code === ErrorCode.RequestTimeout) {
      return new AppsMcpError(
        phase === 'startup' ? 'startup_timeout' : 'tool_timeout',
        phase === 'startup' ? 'the apps MCP server did not start in time' : 'the tool call timed out',
        { cause: error },
      );
    }
    return new AppsMcpError('server_error', error.message, { cause: error });
  }
  if (error instanceof StreamableHTTPError) {
    const status = error.code;
    const code = status === 401 || status === 403 ? 'unauthorized' : 'http_error';
    return new AppsMcpError(code, `the apps MCP server answered HTTP ${status ?? 'error'}`, {
      cause: error,
      ...(status === undefined ? {} : { status }),
    });
  }
  const message = (error as Error)?.message ?? String(error);
  const status = /\(HTTP (\d{3})\)/.exec(message)?.[1];
  if (status !== undefined) {
    const code = status === '401' || status === '403' ? 'unauthorized' : 'http_error';
    return new AppsMcpError(code, `the apps MCP server answered HTTP ${status}`, {
      cause: error,
      status: Number(status),
    });
  }
  return new AppsMcpError('network', `the apps MCP server could not be reached: ${message}`, {
    cause: error,
  });
}
