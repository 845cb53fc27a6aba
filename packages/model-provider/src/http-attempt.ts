import { createAuthFetch, type FetchLike } from '@codex-ts/auth-provider';
import { retryAfterMs } from './backoff.js';
import { StreamDisconnectedError } from './errors.js';
import type { RecordingAuth } from './recording-auth.js';
import { type ResponseMetadata, responseMetadata } from './response-metadata.js';
import { sseData } from './sse-reader.js';
import { errorFromStatus } from './status-error.js';

/** How long a body may stay open after `response.completed` before it is cut (so the connection can be reused). */
const DRAIN_LIMIT_MS = 1000;

/** One attempt that reached a response: its metadata and the payloads of its events. */
export interface OpenedAttempt {
  readonly metadata: ResponseMetadata;
  /** The event payloads, in batches. */
  readonly payloads: AsyncGenerator<string[], void, undefined>;
  /** Ends the attempt early (the consumer stopped reading). */
  close(): void;
  /** After the last event: reads what is left (so the connection can be reused) and stops reading; never throws. */
  finish(): Promise<void>;
}

/** A request-phase failure, with the server's `Retry-After` when it gave one. */
export class AttemptFailure extends Error {
  constructor(
    readonly error: Error,
    readonly retryAfterMs: number | undefined,
  ) {
    super(error.message);
  }
}

/**
 * `POST {url}` with the turn's headers and body, authorized by the provider per attempt (`createAuthFetch`
 * asks for fresh headers, and lets the provider recover from a 401 once). A non-2xx response becomes a typed
 * error; a 2xx becomes its metadata and an SSE payload stream with the idle timeout.
 */
export async function openHttpAttempt(o: {
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly auth: RecordingAuth;
  readonly idleTimeoutMs: number;
  readonly signal?: AbortSignal | undefined;
  readonly fetch?: FetchLike | undefined;
}): Promise<OpenedAttempt> {
  const target = `POST ${o.url.origin}${o.url.pathname}`;
  const authFetch = createAuthFetch(o.auth, o.fetch ? { fetch: o.fetch } : {});
  // One controller per attempt: the caller's signal, the idle timeout on the response headers (once they arrive the
  // SSE reader owns the timeout), and later the cut of a body that stays open after its last event.
  const attempt = new AbortController();
  const unlink = forwardAbort(o.signal, attempt);
  const timer = setTimeout(
    () =>
      attempt.abort(
        new StreamDisconnectedError(
          `idle timeout: ${target} sent no response headers for ${o.idleTimeoutMs} ms`,
        ),
      ),
    o.idleTimeoutMs,
  );
  let response: Response;
  try {
    response = await authFetch(o.url, {
      method: 'POST',
      headers: o.headers,
      body: o.body,
      signal: attempt.signal,
    });
  } catch (error) {
    unlink();
    if (o.signal?.aborted) throw o.signal.reason;
    if (attempt.signal.aborted) throw new AttemptFailure(attempt.signal.reason as Error, undefined);
    if (!(error instanceof TypeError)) throw error;
    throw new AttemptFailure(
      new StreamDisconnectedError(`could not reach ${target}: ${networkMessage(error)}`, { cause: error }),
      undefined,
    );
  } finally {
    clearTimeout(timer);
  }
  if (response.status < 200 || response.status > 299) {
    const body = await response.text().catch(() => '');
    unlink();
    throw new AttemptFailure(
      errorFromStatus({
        status: response.status,
        headers: response.headers,
        body,
        target,
        sentSecrets: o.auth.lastSecrets(),
      }),
      retryAfterMs(response.headers),
    );
  }
  if (!response.body) {
    unlink();
    throw new AttemptFailure(new StreamDisconnectedError(`${target} answered without a body`), undefined);
  }
  const payloads = sseData(response.body, o.idleTimeoutMs, target);
  return {
    metadata: responseMetadata('http', response.headers),
    payloads,
    close: () => {
      unlink();
      void payloads.return(undefined);
    },
    finish: async () => {
      const limit = setTimeout(() => attempt.abort(new Error('the response completed')), DRAIN_LIMIT_MS);
      try {
        for await (const _ of payloads);
      } catch {
        // the response already completed; what follows it does not matter
      } finally {
        clearTimeout(limit);
        unlink();
      }
    },
  };
}

/**
 * Aborts `controller` with `signal`'s reason when `signal` aborts; returns the unlink (an attempt calls it when it
 * ends, so a long-lived caller signal gathers no listeners). AbortSignal.any does the same at tens of µs a call
 * on Node 20, on every turn.
 */
function forwardAbort(signal: AbortSignal | undefined, controller: AbortController): () => void {
  if (!signal) return () => {};
  if (signal.aborted) {
    controller.abort(signal.reason);
    return () => {};
  }
  const onAbort = () => controller.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}

function networkMessage(error: TypeError): string {
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  if (cause && typeof cause.code === 'string') return `${error.message} (${cause.code})`;
  return error.message;
}
