import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { recordingAuthProvider } from '@codex-ts/auth-provider/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import {
  createModelSession,
  type ModelProviderInfoInput,
  parseModelProviderInfo,
  StreamDisconnectedError,
} from '../src/index.js';
import { collect, HELLO, textOf, turnError } from './support/turns.js';

interface WsServer {
  readonly url: string;
  readonly handshakes: IncomingHttpHeaders[];
  readonly frames: unknown[];
  close(): Promise<void>;
}

const open: WsServer[] = [];
afterEach(async () => {
  while (open.length > 0) await open.pop()!.close();
});

/** A loopback Responses websocket whose answers the test writes (per connection, per frame). */
async function wsServer(
  onFrame: (socket: WebSocket, frame: unknown, connection: number) => void,
): Promise<WsServer> {
  const handshakes: IncomingHttpHeaders[] = [];
  const frames: unknown[] = [];
  const http: Server = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ server: http });
  wss.on('connection', (socket, req) => {
    handshakes.push(req.headers);
    const connection = handshakes.length - 1;
    socket.on('message', (data) => {
      const frame: unknown = JSON.parse(data.toString());
      frames.push(frame);
      onFrame(socket, frame, connection);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  const server: WsServer = {
    url: `http://127.0.0.1:${port}/v1`,
    handshakes,
    frames,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
  open.push(server);
  return server;
}

function session(url: string, extra: Partial<ModelProviderInfoInput> = {}) {
  return createModelSession({
    provider: parseModelProviderInfo({ name: 'WS', baseUrl: url, supportsWebsockets: true, ...extra }),
    auth: recordingAuthProvider({ scheme: 'agent-assertion' }),
    threadId: 'thread-ws',
    websocket: true,
    backoff: { baseDelayMs: 1 },
  });
}

const send = (socket: WebSocket, ...events: object[]) => {
  for (const e of events) socket.send(JSON.stringify(e));
};
const completed = { type: 'response.completed', response: { id: 'resp_ws' } };

describe('websocket turns that go wrong', () => {
  it('sends response.create with the turn body and the handshake headers of the provider', async () => {
    const server = await wsServer((socket) =>
      send(socket, { type: 'response.created', response: { id: 'r' } }, completed),
    );
    const turns = session(server.url);
    await collect(turns);
    turns.close();
    expect(server.frames).toEqual([
      {
        type: 'response.create',
        model: 'dev-echo',
        instructions: 'You are a test.',
        input: HELLO.input,
        tools: [],
        tool_choice: 'auto',
        parallel_tool_calls: false,
        reasoning: null,
        store: false,
        stream: true,
        include: [],
        prompt_cache_key: 'thread-ws',
      },
    ]);
    const [handshake] = server.handshakes;
    expect([
      handshake?.authorization,
      handshake?.['openai-beta'],
      handshake?.session_id,
      handshake?.['x-client-request-id'],
      handshake?.originator,
    ]).toEqual([
      'AgentAssertion test-assertion-1',
      'responses_websockets=2026-02-06',
      'thread-ws',
      'thread-ws',
      'codex_cli_rs',
    ]);
  });

  it('a socket closed mid-turn is retried on a new handshake', async () => {
    const server = await wsServer((socket, _frame, connection) => {
      if (connection === 0) {
        send(socket, { type: 'response.output_text.delta', delta: 'Hel' });
        socket.close(1011);
        return;
      }
      send(socket, { type: 'response.output_text.delta', delta: 'Hello' }, completed);
    });
    const turns = session(server.url);
    const events = await collect(turns);
    turns.close();
    expect(textOf(events)).toBe('Hello');
    const retry = events.find((e) => e.type === 'retry');
    expect(retry?.type === 'retry' && retry.error.message).toBe(
      `GET ${server.url.replace('http', 'ws')}/responses closed the websocket (1011) before the response completed`,
    );
    expect(server.handshakes.map((h) => h.authorization)).toEqual([
      'AgentAssertion test-assertion-1',
      'AgentAssertion test-assertion-2',
    ]);
  });

  it('a silent socket times out and is not reused', async () => {
    const server = await wsServer(() => {});
    const turns = session(server.url, { streamMaxRetries: 1, streamIdleTimeoutMs: 300 });
    const error = (await turnError(turns)) as StreamDisconnectedError;
    turns.close();
    expect(error).toBeInstanceOf(StreamDisconnectedError);
    expect(error.message).toBe(
      `idle timeout: GET ${server.url.replace('http', 'ws')}/responses sent nothing for 300 ms`,
    );
    expect(server.handshakes).toHaveLength(2);
  });

  it('upgrades that never answer time out, and the session falls back to HTTP', async () => {
    const http: Server = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`data: ${JSON.stringify(completed)}\n\n`);
    });
    const upgrades: string[] = [];
    const held: Duplex[] = [];
    http.on('upgrade', (req, socket: Duplex) => {
      upgrades.push(String(req.headers.authorization));
      held.push(socket);
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/v1`;
    try {
      const turns = session(url, { streamIdleTimeoutMs: 1500 });
      const events = await collect(turns);
      expect(events.map((e) => e.type)).toEqual(['retry', 'transport_fallback', 'metadata', 'completed']);
      const retry = events[0];
      expect(retry?.type === 'retry' && retry.error.message).toBe(
        `could not open GET ${url.replace('http', 'ws')}/responses: Opening handshake has timed out`,
      );
      expect([upgrades, turns.transport]).toEqual([
        ['AgentAssertion test-assertion-1', 'AgentAssertion test-assertion-2'],
        'http',
      ]);
    } finally {
      for (const socket of held) socket.destroy();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  });

  it('cancellation stops a websocket turn within a second', async () => {
    const server = await wsServer((socket) =>
      send(socket, { type: 'response.created', response: { id: 'r' } }),
    );
    const turns = session(server.url);
    const controller = new AbortController();
    const turn = turns.stream(HELLO, { signal: controller.signal });
    await turn.next();
    expect((await turn.next()).value).toEqual({ type: 'created', responseId: 'r' });
    const started = Date.now();
    const reason = new Error('stop');
    const next = turn.next();
    controller.abort(reason);
    await expect(next).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(turns.websocketHandshakes).toBe(1);
    turns.close();
  });

  it('a finished turn stops listening to the socket: twelve turns on one socket leave no listeners behind', async () => {
    const server = await wsServer((socket) =>
      send(socket, { type: 'response.created', response: { id: 'r' } }, completed),
    );
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const turns = session(server.url);
      for (let i = 0; i < 12; i++) {
        for await (const event of turns.stream(HELLO)) if (event.type === 'completed') break;
      }
      await new Promise((resolve) => setImmediate(resolve)); // a listener leak is reported on a later tick
      expect([turns.websocketHandshakes, warnings.map((w) => w.name)]).toEqual([1, []]);
      turns.close();
    } finally {
      process.off('warning', onWarning);
    }
  });
});
