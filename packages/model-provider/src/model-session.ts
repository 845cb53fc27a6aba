import { type AuthProvider, type FetchLike, headerReader } from '@codex-ts/auth-provider';
import { type BackoffOptions, backoffDelay, sleep } from './backoff.js';
import { isModelProviderError, type ModelProviderError, StreamDisconnectedError } from './errors.js';
import { TurnDecoder } from './event-decoder.js';
import type { ModelEvent } from './events.js';
import { AttemptFailure, type OpenedAttempt, openHttpAttempt } from './http-attempt.js';
import type { ModelProviderInfo } from './provider-info.js';
import { RecordingAuth } from './recording-auth.js';
import { type ResponseMetadata, responseMetadata } from './response-metadata.js';
import { type ClientIdentity, responsesBody, type TurnRequest, turnHeaders } from './turn-request.js';
import { providerUrl, websocketUrl } from './urls.js';
import { WebsocketConnection } from './websocket-connection.js';
import { websocketPayloads } from './websocket-turn.js';

/** Something that keeps the models list; told when a turn reports an `x-models-etag`. */
export interface ModelsEtagObserver {
  refreshIfNewEtag(etag: string): Promise<unknown>;
}

export interface ModelSessionOptions {
  readonly provider: ModelProviderInfo;
  /** The provider for this thread's requests (pick it with `providerAuth`). Asked on every attempt. */
  readonly auth: AuthProvider;
  /** The conversation thread: `x-client-request-id` and the default `prompt_cache_key`. */
  readonly threadId: string;
  /** The `session_id` header; the thread id by default. */
  readonly sessionId?: string;
  /** Turns over the websocket when the provider supports it; HTTP otherwise. Off by default. */
  readonly websocket?: boolean;
  /** Consecutive failed handshakes before the session falls back to HTTP for good; 2 by default. */
  readonly websocketFallbackAfter?: number;
  readonly client?: ClientIdentity;
  /** Where `env_http_headers` are read; `process.env` by default. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly backoff?: BackoffOptions;
  readonly fetch?: FetchLike;
  readonly models?: ModelsEtagObserver;
  /** Told in words when the session changes course (a websocket fallback). */
  readonly onWarning?: (message: string) => void;
}

type Failure = { error: ModelProviderError; retryAfterMs: number | undefined; phase: 'request' | 'stream' };

/**
 * The model turns of one thread. Each attempt asks the auth provider for headers afresh; a request that fails on the
 * network or with a 5xx is resent up to `requestMaxRetries`, and an attempt that fails otherwise retryably (another
 * unexpected status, a stream that breaks, stalls or ends before `response.completed`) is retried up to
 * `streamMaxRetries`, with exponential backoff and jitter (or the server's `Retry-After`). One turn at a time.
 */
export class ModelSession {
  readonly #o: ModelSessionOptions;
  readonly #auth: RecordingAuth;
  readonly #httpUrl: URL;
  #websocket: WebsocketConnection | undefined;
  #failedHandshakes = 0;
  /** The running turn, until its response completes or its stream ends. */
  #turn: object | undefined;

  constructor(options: ModelSessionOptions) {
    this.#o = options;
    this.#auth = new RecordingAuth(options.auth);
    this.#httpUrl = providerUrl(options.provider, 'responses');
    if (options.websocket && options.provider.supportsWebsockets) {
      this.#websocket = new WebsocketConnection(
        websocketUrl(this.#httpUrl),
        this.#auth,
        options.provider.streamIdleTimeoutMs,
      );
    }
  }

  /** `websocket` until a fallback, else `http`. */
  get transport(): 'http' | 'websocket' {
    return this.#websocket ? 'websocket' : 'http';
  }

  /** Websocket handshakes made so far. */
  get websocketHandshakes(): number {
    return this.#websocket?.handshakes ?? 0;
  }

  /** Opens the websocket ahead of the first turn (no-op over HTTP). */
  async prewarm(signal?: AbortSignal): Promise<void> {
    if (!this.#websocket) return;
    try {
      await this.#websocket.acquire(this.#headers('websocket', undefined), signal);
    } catch (error) {
      throw error instanceof AttemptFailure ? error.error : error;
    }
  }

  /** Closes the websocket, if any. */
  close(): void {
    this.#websocket?.discard();
  }

  /** Runs one turn; iterate the events. `signal` stops the request, the stream and any wait on the provider. */
  async *stream(request: TurnRequest, options: { signal?: AbortSignal } = {}): AsyncGenerator<ModelEvent> {
    if (this.#turn) throw new TypeError('a model session runs one turn at a time');
    const turn = {};
    this.#turn = turn;
    const { signal } = options;
    const body = responsesBody(request, this.#o.threadId);
    const retries = { request: 0, stream: 0 };
    try {
      for (;;) {
        signal?.throwIfAborted();
        let opened: OpenedAttempt | undefined;
        let failure: Failure | undefined;
        const websocket = this.#websocket;
        try {
          opened = websocket
            ? await this.#openWebsocket(websocket, body, request, signal)
            : await this.#openHttp(body, request, signal);
          if (websocket) this.#failedHandshakes = 0;
        } catch (error) {
          if (signal?.aborted) throw signal.reason;
          if (!(error instanceof AttemptFailure) || !isModelProviderError(error.error)) throw error;
          failure = { error: error.error, retryAfterMs: error.retryAfterMs, phase: 'request' };
          if (websocket && this.#handshakeFailed(failure.error)) {
            const reason = `${this.#failedHandshakes} websocket connects failed (last: ${failure.error.message})`;
            this.#o.onWarning?.(`falling back to HTTP for the rest of the session: ${reason}`);
            yield { type: 'transport_fallback', from: 'websocket', to: 'http', reason };
            continue;
          }
        }
        if (opened) {
          this.#observe(opened.metadata);
          yield { type: 'metadata', ...opened.metadata };
          const decoder = new TurnDecoder(
            websocket
              ? `GET ${websocket.url.origin}${websocket.url.pathname}`
              : `POST ${this.#httpUrl.origin}${this.#httpUrl.pathname}`,
          );
          let finishing = false;
          try {
            // Read by hand rather than with for-await, which would cancel the rest of the body when the consumer
            // stops at the last event.
            const { payloads } = opened;
            for (let read = await payloads.next(); !read.done; read = await payloads.next()) {
              for (const payload of read.value) {
                const event = decoder.decode(payload);
                if (decoder.finished) {
                  // The turn is over: the session may run the next one, and the consumer hears it first. The rest of
                  // the body is read (so the connection can be reused) when it asks for more, or in the background if
                  // it stops here.
                  this.#turn = undefined;
                  if (event) yield event;
                  finishing = true;
                  await opened.finish();
                  return;
                }
                if (event) yield event;
              }
            }
            throw new StreamDisconnectedError('the stream closed before response.completed');
          } catch (error) {
            if (signal?.aborted) throw signal.reason;
            if (!isModelProviderError(error)) throw error;
            failure = { error, retryAfterMs: undefined, phase: 'stream' };
          } finally {
            if (!decoder.finished) {
              opened.close();
              websocket?.discard();
            } else if (!finishing) void opened.finish();
          }
        }
        const { error, phase } = failure!;
        const { requestMaxRetries, streamMaxRetries } = this.#o.provider;
        // Upstream's nesting: a request that failed on the network or with a 5xx is resent within the attempt; what
        // those retries do not absorb, and any other retryable failure, retries the attempt.
        const resend = phase === 'request' && resendable(error) && retries.request < requestMaxRetries;
        const budget = resend ? 'request' : 'stream';
        if (budget === 'stream') {
          if (!error.retryable || retries.stream >= streamMaxRetries) throw error;
          retries.request = 0;
        }
        const attempt = ++retries[budget];
        const maxRetries = budget === 'request' ? requestMaxRetries : streamMaxRetries;
        const delayMs = backoffDelay(attempt, this.#o.backoff, failure!.retryAfterMs);
        yield { type: 'retry', budget, attempt, maxRetries, delayMs, error };
        await sleep(delayMs, signal);
      }
    } finally {
      if (this.#turn === turn) this.#turn = undefined;
    }
  }

  #headers(transport: 'http' | 'websocket', request: TurnRequest | undefined): Record<string, string> {
    const { provider } = this.#o;
    return turnHeaders({
      transport,
      httpHeaders: provider.httpHeaders,
      envHttpHeaders: provider.envHttpHeaders,
      env: this.#o.env ?? process.env,
      sessionId: this.#o.sessionId ?? this.#o.threadId,
      threadId: this.#o.threadId,
      client: this.#o.client ?? {},
      turnMetadata: request?.turnMetadata,
    });
  }

  #openHttp(
    body: Record<string, unknown>,
    request: TurnRequest,
    signal?: AbortSignal,
  ): Promise<OpenedAttempt> {
    return openHttpAttempt({
      url: this.#httpUrl,
      headers: this.#headers('http', request),
      body: JSON.stringify(body),
      auth: this.#auth,
      idleTimeoutMs: this.#o.provider.streamIdleTimeoutMs,
      signal,
      fetch: this.#o.fetch,
    });
  }

  async #openWebsocket(
    websocket: WebsocketConnection,
    body: Record<string, unknown>,
    request: TurnRequest,
    signal?: AbortSignal,
  ): Promise<OpenedAttempt> {
    const handshake = await websocket.acquire(this.#headers('websocket', request), signal);
    const frame = JSON.stringify({ type: 'response.create', ...body });
    const target = `GET ${websocket.url.origin}${websocket.url.pathname}`;
    const payloads = websocketPayloads(
      handshake.socket,
      frame,
      this.#o.provider.streamIdleTimeoutMs,
      target,
      signal,
    );
    const metadata: ResponseMetadata = responseMetadata('websocket', headerReader(handshake.responseHeaders));
    return {
      metadata,
      payloads,
      close: () => void payloads.return(undefined),
      // Nothing follows the last event on the socket: stop listening to it.
      finish: async () => {
        await payloads.return(undefined);
      },
    };
  }

  /**
   * Counts a failed handshake; true when the session should now fall back to HTTP: after `websocketFallbackAfter`
   * connects that failed, or at once when the server answers 426 (it takes no websocket there; upstream 0.169 goes
   * over HTTP at once).
   */
  #handshakeFailed(error: ModelProviderError): boolean {
    const refused = error.status === 426;
    const connectFailure = refused || error.code === 'stream_disconnected' || (error.status ?? 0) >= 500;
    if (!connectFailure) return false;
    this.#failedHandshakes++;
    if (!refused && this.#failedHandshakes < (this.#o.websocketFallbackAfter ?? 2)) return false;
    this.#websocket?.discard();
    this.#websocket = undefined;
    return true;
  }

  #observe(metadata: ResponseMetadata): void {
    if (metadata.modelsEtag && this.#o.models) {
      this.#o.models.refreshIfNewEtag(metadata.modelsEtag).catch(() => {});
    }
  }
}

/** A failed request upstream resends within its attempt: no response (the network, a timeout) or a 5xx. */
function resendable(error: ModelProviderError): boolean {
  return error.status === undefined ? error.code === 'stream_disconnected' : error.status >= 500;
}

/** A session for one thread's model turns. */
export function createModelSession(options: ModelSessionOptions): ModelSession {
  return new ModelSession(options);
}
