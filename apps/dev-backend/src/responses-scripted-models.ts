import { randomHex } from './ids.js';

/** Model slug that answers with a `shell` function call (and, once the call's output comes back, an echo of it). */
export const TOOL_CALL_MODEL = 'dev-tool-call';
/** Model slug that streams like the echo model but waits `SLOW_MODEL_EVENT_GAP_MS` before each event. */
export const SLOW_MODEL = 'dev-slow';
export const SLOW_MODEL_EVENT_GAP_MS = 1000;

interface Event {
  type: string;
  [key: string]: unknown;
}

interface InputItem {
  type?: string | undefined;
  output?: unknown;
}

/** The output of the last input item when it is a `function_call_output`, else undefined. */
export function functionCallOutput(input: readonly InputItem[]): string | undefined {
  const last = input.at(-1);
  if (last?.type !== 'function_call_output') return undefined;
  return typeof last.output === 'string' ? last.output : JSON.stringify(last.output ?? null);
}

/**
 * The tool-call model's events: one `function_call` item named `shell` whose arguments
 * (`{"command":["echo",<text>]}`) stream in two `response.function_call_arguments.delta` events.
 */
export function toolCallEvents(o: { model: string; text: string; createdAt: number }): Event[] {
  const id = `resp_${randomHex(12)}`;
  const itemId = `fc_${randomHex(12)}`;
  const callId = `call_${randomHex(12)}`;
  const args = JSON.stringify({ command: ['echo', o.text] });
  const half = Math.ceil(args.length / 2);
  const base = { id, object: 'response', created_at: o.createdAt, model: o.model };
  const item = { id: itemId, type: 'function_call', call_id: callId, name: 'shell' };
  const done = { ...item, status: 'completed', arguments: args };
  return [
    { type: 'response.created', response: { ...base, status: 'in_progress', output: [] } },
    {
      type: 'response.output_item.added',
      output_index: 0,
      item: { ...item, status: 'in_progress', arguments: '' },
    },
    {
      type: 'response.function_call_arguments.delta',
      item_id: itemId,
      output_index: 0,
      delta: args.slice(0, half),
    },
    {
      type: 'response.function_call_arguments.delta',
      item_id: itemId,
      output_index: 0,
      delta: args.slice(half),
    },
    { type: 'response.function_call_arguments.done', item_id: itemId, output_index: 0, arguments: args },
    { type: 'response.output_item.done', output_index: 0, item: done },
    {
      type: 'response.completed',
      response: {
        ...base,
        status: 'completed',
        output: [done],
        usage: {
          input_tokens: 1,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: 1,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: 2,
        },
      },
    },
  ].map((e, i) => ({ ...e, sequence_number: i }));
}

/**
 * Waits before the next event: a turn of the event loop, or `SLOW_MODEL_EVENT_GAP_MS` for the slow model. Ends
 * early (resolving `false`) when `closed` fires, so a client that goes away leaves no timer behind.
 */
export function eventGap(
  model: string,
  closed: {
    once(event: 'close', listener: () => void): unknown;
    off(event: 'close', listener: () => void): unknown;
  },
): Promise<boolean> {
  return new Promise((resolve) => {
    if (model !== SLOW_MODEL) return setImmediate(() => resolve(true));
    const onClose = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      closed.off('close', onClose);
      resolve(true);
    }, SLOW_MODEL_EVENT_GAP_MS);
    closed.once('close', onClose);
  });
}
