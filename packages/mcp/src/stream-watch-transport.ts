import type { AuthFetch } from '@codex-ts/auth-provider';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, MessageExtraInfo } from '@modelcontextprotocol/sdk/types.js';

/** The JSON-RPC error code this transport answers with when a response stream ends before its answer. */
export const STREAM_DISCONNECTED_CODE = -32_050;

type Id = string | number;

function requestIds(body: unknown): Id[] {
  if (typeof body !== 'string') return [];
  try {
    const parsed = JSON.parse(body) as unknown;
    const messages = Array.isArray(parsed) ? parsed : [parsed];
    return messages.flatMap((m) =>
      typeof m === 'object' && m !== null && 'method' in m && 'id' in m ? [(m as { id: Id }).id] : [],
    );
  } catch {
    return [];
  }
}

function isResponse(message: JSONRPCMessage): message is JSONRPCMessage & { id: Id } {
  return 'id' in message && ('result' in message || 'error' in message);
}

/**
 * The SDK's Streamable HTTP client transport with every HTTP request sent through `authFetch`, plus one rule the
 * SDK lacks: when the server closes a POST's SSE response stream (cleanly or not) before answering a request that
 * POST carried, that request gets a JSON-RPC error (`STREAM_DISCONNECTED_CODE`) at once instead of waiting for its
 * timeout. (Streams resumed with `Last-Event-ID` are not used by the apps server.)
 */
export class StreamWatchTransport implements Transport {
  onclose?: (() => void) | undefined;
  onerror?: ((error: Error) => void) | undefined;
  onmessage?: (<T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void) | undefined;
  private readonly inner: StreamableHTTPClientTransport;
  private readonly pending = new Set<Id>();

  constructor(url: URL, authFetch: AuthFetch) {
    const watchingFetch = async (input: string | URL, init?: RequestInit): Promise<Response> => {
      const response = await authFetch(input instanceof URL ? input.href : input, init as never);
      const ids = init?.method === 'POST' ? requestIds(init.body) : [];
      const sse = response.headers.get('content-type')?.includes('text/event-stream') ?? false;
      if (ids.length === 0 || !sse || response.body === null) return response;
      return this.watch(response, ids);
    };
    this.inner = new StreamableHTTPClientTransport(url, { fetch: watchingFetch, redirectPolicy: 'follow' });
    this.inner.onclose = () => this.onclose?.();
    this.inner.onerror = (error) => this.onerror?.(error);
    this.inner.onmessage = (message: JSONRPCMessage) => {
      if (isResponse(message)) this.pending.delete(message.id);
      this.onmessage?.(message);
    };
  }

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  setProtocolVersion(version: string): void {
    this.inner.setProtocolVersion(version);
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    if ('method' in message && 'id' in message) this.pending.add(message.id);
    return this.inner.send(message, options as Parameters<StreamableHTTPClientTransport['send']>[1]);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** Ends the session on the server (`DELETE` with the session id). */
  terminateSession(): Promise<void> {
    return this.inner.terminateSession();
  }

  private watch(response: Response, ids: Id[]): Response {
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      // Let the SDK's SSE pipeline deliver what was already read before deciding what went unanswered.
      setImmediate(() => {
        for (const id of ids) {
          if (!this.pending.delete(id)) continue;
          this.onmessage?.({
            jsonrpc: '2.0',
            id,
            error: {
              code: STREAM_DISCONNECTED_CODE,
              message: 'the server closed the response stream before answering',
            },
          });
        }
      });
    };
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            controller.close();
            end();
          } else {
            controller.enqueue(value);
          }
        } catch (error) {
          controller.error(error);
          end();
        }
      },
      async cancel(reason) {
        await reader.cancel(reason);
      },
    });
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  }
}
