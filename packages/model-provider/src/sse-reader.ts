import { StringDecoder } from 'node:string_decoder';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { StreamDisconnectedError } from './errors.js';

/**
 * The `data` of the server-sent events of `body`, in order, a batch per chunk read (one await per chunk, not
 * per event). Rejects with `StreamDisconnectedError` when no bytes arrive for `idleTimeoutMs` (the body is
 * cancelled) or the connection breaks; ends when the body ends.
 */
export async function* sseData(
  body: ReadableStream<Uint8Array>,
  idleTimeoutMs: number,
  target: string,
): AsyncGenerator<string[], void, undefined> {
  let pending: string[] = [];
  const parser = createParser({ onEvent: (event: EventSourceMessage) => pending.push(event.data) });
  // StringDecoder keeps a UTF-8 sequence split across chunks whole, ~10× faster than a streaming TextDecoder.
  const decoder = new StringDecoder('utf8');
  const reader = body.getReader();
  let done = false;
  try {
    for (;;) {
      const chunk = await readWithin(reader, idleTimeoutMs, target);
      if (chunk.done) {
        done = true;
        // An event cut off before its blank line is not dispatched (the SSE rule); the turn then lacks its end.
        parser.feed(decoder.end());
      } else {
        const bytes = chunk.value;
        parser.feed(decoder.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)));
      }
      if (pending.length > 0) {
        const batch = pending;
        pending = [];
        yield batch;
      }
      if (done) return;
    }
  } finally {
    if (!done) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

function readWithin(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  idleTimeoutMs: number,
  target: string,
): Promise<Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']>>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new StreamDisconnectedError(`idle timeout: ${target} sent nothing for ${idleTimeoutMs} ms`));
    }, idleTimeoutMs);
    reader.read().then(
      (result) => {
        clearTimeout(timer);
        resolve(result);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(
          new StreamDisconnectedError(`the stream from ${target} broke: ${describe(error)}`, {
            cause: error,
          }),
        );
      },
    );
  });
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
