import { describe, expect, it } from 'vitest';
import { StreamDisconnectedError } from '../src/index.js';
import { sseData } from '../src/sse-reader.js';

function stream(chunks: Uint8Array[], end = true): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      if (end) controller.close();
    },
  });
}

async function all(body: ReadableStream<Uint8Array>, idleMs = 1000): Promise<string[]> {
  const out: string[] = [];
  for await (const batch of sseData(body, idleMs, 'test')) out.push(...batch);
  return out;
}

describe('the SSE reader', () => {
  it('keeps a UTF-8 character split across chunks whole', async () => {
    const bytes = new TextEncoder().encode('data: {"delta":"€ and 🦀"}\n\n');
    const chunks = Array.from(bytes, (b) => Uint8Array.of(b));
    expect(await all(stream(chunks))).toEqual(['{"delta":"€ and 🦀"}']);
  });

  it('reads CRLF lines, multi-line data and comments, and drops an event cut off before its blank line', async () => {
    const text = ': keep-alive\r\nevent: a\r\ndata: one\r\ndata: two\r\n\r\nid: 7\ndata: three';
    expect(await all(stream([new TextEncoder().encode(text)]))).toEqual(['one\ntwo']);
  });

  it('a body that stalls is an idle timeout', async () => {
    const body = stream([new TextEncoder().encode('data: first\n\n')], false);
    const seen: string[] = [];
    let error: unknown;
    try {
      for await (const batch of sseData(body, 20, 'POST http://x/responses')) seen.push(...batch);
    } catch (e) {
      error = e;
    }
    expect(seen).toEqual(['first']);
    expect(error).toEqual(
      new StreamDisconnectedError('idle timeout: POST http://x/responses sent nothing for 20 ms'),
    );
  });
});
