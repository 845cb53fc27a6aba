import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { useDevWorld } from './support/dev-world.js';

const world = useDevWorld();

/** A websocket JSON-RPC client: calls resolve with their reply; notifications can be awaited by method. */
async function wsClient(url: string) {
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const waiting = new Map<number, (m: Record<string, unknown>) => void>();
  const notes: Array<Record<string, unknown>> = [];
  const watchers: Array<(m: Record<string, unknown>) => void> = [];
  ws.on('message', (data) => {
    const m = JSON.parse(String(data)) as Record<string, unknown>;
    if (typeof m.id === 'number') waiting.get(m.id)?.(m);
    else {
      notes.push(m);
      for (const w of [...watchers]) w(m);
    }
  });
  let next = 1;
  return {
    ws,
    call(method: string, params?: unknown): Promise<Record<string, unknown>> {
      const id = next++;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        ws.send(JSON.stringify({ id, method, params }));
      });
    },
    next(method: string): Promise<Record<string, unknown>> {
      const seen = notes.find((n) => n.method === method);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => {
        const w = (m: Record<string, unknown>) => {
          if (m.method !== method) return;
          watchers.splice(watchers.indexOf(w), 1);
          resolve(m);
        };
        watchers.push(w);
      });
    },
  };
}

const INIT = { clientInfo: { name: 'reliability', version: '1' } };

describe('reliability', () => {
  it('a client that disconnects mid-turn: the turn finishes and is persisted; another client sees it', async () => {
    const { server } = await world.server({ flag: true, initialize: false });
    const { url } = await server.listen('127.0.0.1', 0);
    const a = await wsClient(url);
    await a.call('initialize', INIT);
    const { thread } = (await a.call('thread/start', {})).result as { thread: { id: string } };
    world.backend.injectFault({ path: '/backend-api/codex/responses', delayMs: 1500 });
    await a.call('turn/start', {
      threadId: thread.id,
      input: [{ type: 'text', text: 'still here?', text_elements: [] }],
    });
    await a.next('turn/started');
    const closed = new Promise((resolve) => a.ws.once('close', resolve));
    a.ws.close();
    await closed;

    const b = await wsClient(url);
    await b.call('initialize', INIT);
    const resumed = (await b.call('thread/resume', { threadId: thread.id })).result as {
      thread: { turns: Array<{ status: string }> };
    };
    if (resumed.thread.turns.length === 0) await b.next('turn/completed');
    const read = (await b.call('thread/read', { threadId: thread.id, includeTurns: true })).result as {
      thread: { turns: Array<{ status: string; items: Array<{ type: string; text?: string }> }> };
    };
    expect(read.thread.turns).toHaveLength(1);
    expect(read.thread.turns[0]).toMatchObject({
      status: 'completed',
      items: [{ type: 'userMessage' }, { type: 'agentMessage', text: 'Echo: still here?' }],
    });
    b.ws.close();
  });
});
