import { describe, expect, it } from 'vitest';
import type { Turn } from '../src/threads/thread-model.js';
import { responsesInput } from '../src/turns/turn-wire.js';

const turn = (id: string, said: string, answered: string): Turn => ({
  id,
  items: [
    { type: 'userMessage', id: `${id}-u`, content: [{ type: 'text', text: said, text_elements: [] }] },
    { type: 'agentMessage', id: `${id}-a`, text: answered },
  ],
  status: 'completed',
  error: null,
  startedAt: 1,
  completedAt: 2,
  durationMs: 1000,
});
const user = (text: string) => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });
const assistant = (text: string) => ({
  type: 'message',
  role: 'assistant',
  content: [{ type: 'output_text', text }],
});
/** Text-only turns never ask for the image context. */
const noImages = () => Promise.reject(new Error('a text-only turn asked for the image context'));
const said = (text: string) => [{ type: 'text' as const, text, text_elements: [] }];

describe('responsesInput', () => {
  it("sends the thread's whole history then the new message, turn after turn as the history grows", () => {
    const turns: Turn[] = [];
    expect(responsesInput(turns, said('one'), noImages)).toEqual([user('one')]);
    turns.push(turn('t1', 'one', 'Echo: one'));
    expect(responsesInput(turns, said('two'), noImages)).toEqual([
      user('one'),
      assistant('Echo: one'),
      user('two'),
    ]);
    turns.push(turn('t2', 'two', 'Echo: two'), turn('t3', 'three', 'Echo: three'));
    expect(responsesInput(turns, said('four'), noImages)).toEqual([
      user('one'),
      assistant('Echo: one'),
      user('two'),
      assistant('Echo: two'),
      user('three'),
      assistant('Echo: three'),
      user('four'),
    ]);
    // Another thread's history (or the same turns loaded again) is its own.
    expect(responsesInput([turn('t9', 'nine', 'Echo: nine')], said('ten'), noImages)).toEqual([
      user('nine'),
      assistant('Echo: nine'),
      user('ten'),
    ]);
  });
});
