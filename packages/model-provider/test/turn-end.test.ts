import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ServerResponse } from 'node:http';
import { recordingAuthProvider } from '@codex-ts/auth-provider/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createModelSession, type ModelEvent, parseModelProviderInfo } from '../src/index.js';
import { SSE_HEADERS, type StreamServer, sseFrame, startStreamServer } from './support/stream-server.js';
import { HELLO } from './support/turns.js';

const servers: StreamServer[] = [];
const cleanups: Array<() => void> = [];
afterEach(async () => {
  while (cleanups.length > 0) cleanups.pop()!();
  while (servers.length > 0) await servers.pop()!.close();
});

const created = sseFrame({ type: 'response.created', response: { id: 'resp_1' } });
const completed = sseFrame({ type: 'response.completed', response: { id: 'resp_1' } });

/** A server that sends a turn's events and keeps each body open until the test ends it. */
async function heldOpen(): Promise<{ server: StreamServer; bodies: ServerResponse[] }> {
  const bodies: ServerResponse[] = [];
  const server = await startStreamServer((res) => {
    res.writeHead(200, SSE_HEADERS);
    res.write(created + completed);
    bodies.push(res);
  });
  servers.push(server);
  return { server, bodies };
}

/** Resolves when fetch has read the next response body to its end; rejects if its request fails instead. */
function nextBodyRead(): Promise<void> {
  return new Promise((resolve, reject) => {
    const onTrailers = () => resolve();
    const onError = (message: unknown) => reject((message as { error: Error }).error);
    subscribe('undici:request:trailers', onTrailers);
    subscribe('undici:request:error', onError);
    cleanups.push(() => {
      unsubscribe('undici:request:trailers', onTrailers);
      unsubscribe('undici:request:error', onError);
    });
  });
}

const session = (url: string) =>
  createModelSession({
    provider: parseModelProviderInfo({ name: 'Test', baseUrl: url }),
    auth: recordingAuthProvider(),
    threadId: 'thread-1',
  });

describe('where a turn ends', () => {
  it('response.completed reaches the consumer while the body is still open; stopping there, the rest is read to its end', async () => {
    const { server, bodies } = await heldOpen();
    const bodyRead = nextBodyRead();
    const types: string[] = [];
    for await (const event of session(server.url).stream(HELLO)) {
      types.push(event.type);
      if (event.type === 'completed') break;
    }
    expect(types).toEqual(['metadata', 'created', 'completed']);
    // The server has not ended the body: the turn did not wait for it (nor cut the connection).
    expect([bodies[0]!.writableEnded, bodies[0]!.destroyed]).toEqual([false, false]);
    bodies[0]!.end();
    await bodyRead; // read in the background to its end (not cancelled), so the connection can be reused
  });

  it('the session takes its next turn as soon as the response has completed', async () => {
    const { server, bodies } = await heldOpen();
    const turns = session(server.url);
    const first = turns.stream(HELLO);
    let event: ModelEvent | undefined;
    do event = (await first.next()).value as ModelEvent;
    while (event.type !== 'completed');
    // The first stream has not been returned (its body is still open), and a second turn starts.
    const second = turns.stream(HELLO);
    await expect(second.next()).resolves.toMatchObject({ value: { type: 'metadata' } });
    for (const body of bodies) body.end();
    await Promise.all([first.return(undefined), second.return(undefined)]);
    expect(server.seen).toHaveLength(2);
  });
});
