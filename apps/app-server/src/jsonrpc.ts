/** JSON-RPC as upstream's app-server speaks it: no `jsonrpc` member on output, accepted (and ignored) on input. */

export type RequestId = string | number;

export interface JsonRpcRequest {
  readonly id: RequestId;
  readonly method: string;
  /** `undefined` when the member was absent. */
  readonly params: unknown;
}

export interface JsonRpcNotification {
  readonly method: string;
  readonly params: unknown;
}

export interface JsonRpcResponse {
  readonly id: RequestId;
  readonly result?: unknown;
  readonly error?: { code: number; message: string; data?: unknown };
}

export type IncomingMessage =
  | { readonly kind: 'request'; readonly message: JsonRpcRequest }
  | { readonly kind: 'notification'; readonly message: JsonRpcNotification }
  | { readonly kind: 'response'; readonly message: JsonRpcResponse }
  | { readonly kind: 'invalid'; readonly reason: string };

/** Error codes the server sends (upstream never sends -32700 or -32601). */
export const INVALID_REQUEST = -32600;
export const INTERNAL_ERROR = -32603;
export const SERVER_OVERLOADED = -32001;
export const OVERLOADED_MESSAGE = 'Server overloaded; retry later.';

function isRequestId(v: unknown): v is RequestId {
  return typeof v === 'string' || (typeof v === 'number' && Number.isSafeInteger(v));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Classifies one already-parsed JSON value. Batches, `id: null`, non-integer ids and bare `{id}` are invalid. */
export function classify(value: unknown): IncomingMessage {
  if (Array.isArray(value)) return { kind: 'invalid', reason: 'batch messages are not supported' };
  if (!isObject(value)) return { kind: 'invalid', reason: 'message is not a JSON object' };
  const hasId = 'id' in value;
  const method = value.method;
  if (hasId && !isRequestId(value.id))
    return { kind: 'invalid', reason: 'id must be a string or an integer' };
  if (typeof method === 'string') {
    if (hasId)
      return { kind: 'request', message: { id: value.id as RequestId, method, params: value.params } };
    return { kind: 'notification', message: { method, params: value.params } };
  }
  if (method !== undefined) return { kind: 'invalid', reason: 'method must be a string' };
  if (hasId && ('result' in value || isObject(value.error))) {
    return {
      kind: 'response',
      message: value as unknown as JsonRpcResponse,
    };
  }
  return { kind: 'invalid', reason: 'not a request, notification or response' };
}

/** Parses one line (stdio) or text frame (websocket). */
export function parseMessage(text: string): IncomingMessage {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { kind: 'invalid', reason: `invalid JSON: ${(err as Error).message}` };
  }
  return classify(value);
}

/** A JSON-RPC error a handler throws; the processor turns it into the error response. */
export class RpcError extends Error {
  readonly code: number;
  readonly data: unknown;

  constructor(code: number, message: string, data?: unknown) {
    super(message);
    this.name = 'RpcError';
    this.code = code;
    this.data = data;
  }

  toJSON(): { code: number; message: string; data?: unknown } {
    return this.data === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, data: this.data };
  }
}

export function invalidRequest(message: string): RpcError {
  return new RpcError(INVALID_REQUEST, message);
}

export function internalError(message: string): RpcError {
  return new RpcError(INTERNAL_ERROR, message);
}
