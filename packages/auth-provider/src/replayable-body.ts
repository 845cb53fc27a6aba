/**
 * Bodies fetch can send a second time unchanged. A stream (ReadableStream, async iterable, a `Request`'s body)
 * cannot be replayed, so a request carrying one is never retried and never follows a 307/308 redirect.
 */
export function isReplayableBody(body: unknown): boolean {
  return (
    body === undefined ||
    body === null ||
    typeof body === 'string' ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body) ||
    body instanceof URLSearchParams ||
    body instanceof Blob ||
    body instanceof FormData
  );
}
