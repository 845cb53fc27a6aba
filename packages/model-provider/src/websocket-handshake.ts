import type { IncomingMessage } from 'node:http';
import {
  type AuthScheme,
  authorizationScheme,
  headerReader,
  unauthorizedContextFromUpgrade,
} from '@codex-ts/auth-provider';
import type WebSocket from 'ws';
import { retryAfterMs } from './backoff.js';
import { StreamDisconnectedError } from './errors.js';
import { AttemptFailure } from './http-attempt.js';
import type { RecordingAuth } from './recording-auth.js';
import { credentialValues } from './redact.js';
import { errorFromStatus } from './status-error.js';

/** An open socket and what its handshake said. */
export interface Handshake {
  readonly socket: WebSocket;
  /** The scheme of the `Authorization` the handshake sent (`none` when it sent none). */
  readonly scheme: AuthScheme;
  readonly responseHeaders: IncomingMessage['headers'];
}

const UPGRADE_BODY_LIMIT = 4096;

/**
 * Opens a websocket to `url` with the provider's headers for that URL (asked afresh), plus `headers`. A refused
 * upgrade becomes the same typed error as an HTTP response; a 401 goes to the provider's `onUnauthorized` once
 * and, when it answers `true`, the handshake is made again with fresh headers.
 */
export async function websocketHandshake(o: {
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly auth: RecordingAuth;
  /** How long the upgrade may take (the stream idle timeout). */
  readonly handshakeTimeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}): Promise<Handshake> {
  const target = `GET ${o.url.origin}${o.url.pathname}`;
  for (let retried = false; ; retried = true) {
    const request = o.signal
      ? { url: o.url, method: 'GET', signal: o.signal }
      : { url: o.url, method: 'GET' };
    const sent = await o.auth.headers(request);
    // ws loads with the first websocket turn, not with model-provider (most sessions speak HTTP).
    const { default: WebSocketClass } = await import('ws');
    const outcome = await connect(
      WebSocketClass,
      o.url,
      { ...o.headers, ...sent },
      o.handshakeTimeoutMs,
      o.signal,
    );
    if ('socket' in outcome) {
      o.auth.observe?.(request, { status: 101, headers: headerReader(outcome.response.headers) });
      return {
        socket: outcome.socket,
        scheme: authorizationScheme(sent.Authorization),
        responseHeaders: outcome.response.headers,
      };
    }
    if ('network' in outcome) {
      throw new AttemptFailure(
        new StreamDisconnectedError(`could not open ${target}: ${outcome.network.message}`, {
          cause: outcome.network,
        }),
        undefined,
      );
    }
    const { response, body } = outcome;
    const headers = headerReader(response.headers);
    o.auth.observe?.(request, { status: response.statusCode ?? 0, headers });
    if (response.statusCode === 401 && !retried && o.auth.onUnauthorized) {
      const context = unauthorizedContextFromUpgrade({ request, sentHeaders: sent, response, body });
      if (await o.auth.onUnauthorized(context)) continue;
    }
    throw new AttemptFailure(
      errorFromStatus({
        status: response.statusCode ?? 0,
        headers,
        body,
        target,
        sentSecrets: credentialValues(sent),
      }),
      retryAfterMs(headers),
    );
  }
}

type Outcome =
  | { socket: WebSocket; response: IncomingMessage }
  | { response: IncomingMessage; body: string }
  | { network: Error };

function connect(
  WebSocketClass: typeof WebSocket,
  url: URL,
  headers: Record<string, string>,
  handshakeTimeout: number,
  signal?: AbortSignal,
): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const socket = new WebSocketClass(url, {
      headers,
      handshakeTimeout,
      perMessageDeflate: false,
      followRedirects: false,
    });
    let upgrade: IncomingMessage | undefined;
    const onAbort = () => {
      socket.terminate();
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = (outcome: Outcome) => {
      signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    socket.once('upgrade', (response) => {
      upgrade = response;
    });
    socket.once('open', () => settle({ socket, response: upgrade! }));
    socket.once('unexpected-response', (req, response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        if (size < UPGRADE_BODY_LIMIT) chunks.push(chunk);
        size += chunk.length;
      });
      const finish = () => {
        req.destroy();
        settle({ response, body: Buffer.concat(chunks).toString('utf8').slice(0, UPGRADE_BODY_LIMIT) });
      };
      response.once('end', finish);
      response.once('error', finish);
    });
    socket.once('error', (error) => {
      if (upgrade === undefined) settle({ network: error });
    });
  });
}
