import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { StreamDisconnectedError } from './errors.js';

/**
 * The `data` of each server-sent event of `body`, in order. Rejects with `StreamDisconnectedError` when no bytes
 * arrive for `idleTimeoutMs` (the body is cancelled) or the connection breaks; ends when the body ends.
 */
export async function* sseData(
  body: ReadableStream<Uint8Array>,
  idleTimeoutMs: number,
  target: string,
): AsyncGenerator<string, void, undefined> {
  const pending: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => pending.push(event) });
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let done = false;
  try {
    for (;;) {
      const chunk = await readWithin(reader, idleTimeoutMs, target);
      if (chunk.done) {
        done = true;
        parser.feed(decoder.decode());
        parser.reset({ consume: true });
      } else {
        parser.feed(decoder.decode(chunk.value, { stream: true }));
      }
      for (let i = 0; i < pending.length; i++) yield pending[i]!.data;
      pending.length = 0;
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
