import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { TOOL_CALL_MODEL } from '../src/index.js';
import { assertionHeader, backend, postJson } from './helpers.js';

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON events
type Json = Record<string, any>;

const ask = (text: string, extra: Json[] = []) => ({
  model: TOOL_CALL_MODEL,
  instructions: '',
  input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text }] }, ...extra],
  stream: true,
});

function sseEvents(text: string): Json[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) =>
      JSON.parse(
        block
          .split('\n')
          .find((l) => l.startsWith('data: '))!
          .slice(6),
      ),
    );
}

function socketTurn(url: string, authorization: string, body: Json): Promise<Json[]> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: { authorization } });
    const events: Json[] = [];
    ws.on('open', () => ws.send(JSON.stringify({ type: 'response.create', ...body })));
    ws.on('message', (data) => {
      const event = JSON.parse(data.toString());
      events.push(event);
      if (event.type === 'response.completed' || event.type === 'error') {
        ws.close();
        resolve(events);
      }
    });
    ws.on('error', reject);
  });
}

const TOOL_TYPES = [
  'response.created',
  'response.output_item.added',
  'response.function_call_arguments.delta',
  'response.function_call_arguments.delta',
  'response.function_call_arguments.done',
  'response.output_item.done',
  'response.completed',
];

describe('the tool-call model', () => {
  it('answers with a shell function call, the same over SSE and the websocket', async () => {
    const b = await backend();
    const authorization = await assertionHeader(b);
    const sse = sseEvents(
      await (await postJson(`${b.chatgptBaseUrl}/codex/responses`, ask('ls'), { authorization })).text(),
    );
    const ws = await socketTurn(
      `${b.chatgptBaseUrl.replace('http', 'ws')}/codex/responses`,
      authorization,
      ask('ls'),
    );
    // The websocket's form of the rate-limit headers comes first there.
    expect(ws[0]?.type).toBe('codex.rate_limits');
    for (const events of [sse, ws.slice(1)]) {
      expect(events.map((e) => e.type)).toEqual(TOOL_TYPES);
      const done = events[5]!.item;
      expect({ ...done, id: 'x', call_id: 'y' }).toEqual({
        id: 'x',
        call_id: 'y',
        type: 'function_call',
        name: 'shell',
        status: 'completed',
        arguments: '{"command":["echo","ls"]}',
      });
      const deltas = events
        .filter((e) => e.type === 'response.function_call_arguments.delta')
        .map((e) => e.delta);
      expect(deltas.join('')).toBe('{"command":["echo","ls"]}');
    }
  });

  it('echoes the function call output once it comes back', async () => {
    const b = await backend();
    const authorization = await assertionHeader(b);
    const body = ask('ls', [
      { type: 'function_call', call_id: 'call_1', name: 'shell', arguments: '{}' },
      { type: 'function_call_output', call_id: 'call_1', output: 'a.txt b.txt' },
    ]);
    const events = sseEvents(
      await (await postJson(`${b.chatgptBaseUrl}/codex/responses`, body, { authorization })).text(),
    );
    expect(events.find((e) => e.type === 'response.output_text.done')?.text).toBe(
      'Echo: Tool output: a.txt b.txt',
    );
  });
});
