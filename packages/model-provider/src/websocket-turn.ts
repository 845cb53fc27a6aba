import type WebSocket from 'ws';
import { StreamDisconnectedError } from './errors.js';

/**
 * Sends one `response.create` frame and yields the text frames that answer it. Rejects with
 * `StreamDisconnectedError` when the socket closes first or stays silent for `idleTimeoutMs`; stops when the
 * consumer stops asking (it decides when the response is finished).
 */
export async function* websocketPayloads(
  socket: WebSocket,
  frame: string,
  idleTimeoutMs: number,
  target: string,
  signal?: AbortSignal,
): AsyncGenerator<string[], void, undefined> {
  const queue: string[] = [];
  let closed: Error | undefined;
  let wake: (() => void) | undefined;
  const onMessage = (data: WebSocket.RawData, isBinary: boolean) => {
    if (isBinary) return;
    queue.push(data.toString());
    wake?.();
  };
  const onClose = (code: number) => {
    closed = new StreamDisconnectedError(
      `${target} closed the websocket (${code}) before the response completed`,
    );
    wake?.();
  };
  const onError = (error: Error) => {
    closed = new StreamDisconnectedError(`the websocket to ${target} broke: ${error.message}`, {
      cause: error,
    });
    wake?.();
  };
  const onAbort = () => {
    closed = signal?.reason as Error;
    wake?.();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  socket.on('message', onMessage);
  socket.once('close', onClose);
  socket.once('error', onError);
  try {
    signal?.throwIfAborted();
    if (socket.readyState !== socket.OPEN)
      throw new StreamDisconnectedError(`the websocket to ${target} is closed`);
    await new Promise<void>((resolve, reject) =>
      socket.send(frame, (error) => (error ? reject(new StreamDisconnectedError(error.message)) : resolve())),
    );
    for (;;) {
      if (queue.length > 0) yield queue.splice(0, queue.length);
      if (closed) throw closed;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          wake = undefined;
          reject(new StreamDisconnectedError(`idle timeout: ${target} sent nothing for ${idleTimeoutMs} ms`));
        }, idleTimeoutMs);
        wake = () => {
          clearTimeout(timer);
          wake = undefined;
          resolve();
        };
      });
    }
  } finally {
    socket.off('message', onMessage);
    socket.off('close', onClose);
    socket.off('error', onError);
    signal?.removeEventListener('abort', onAbort);
  }
}
