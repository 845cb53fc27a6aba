import type { ModelEvent, ModelProviderError, ModelSession, TurnRequest } from '../../src/index.js';

export const HELLO: TurnRequest = {
  model: 'dev-echo',
  instructions: 'You are a test.',
  input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hello there' }] }],
};

/** Every event of one turn. */
export async function collect(
  session: ModelSession,
  request: TurnRequest = HELLO,
  signal?: AbortSignal,
): Promise<ModelEvent[]> {
  const events: ModelEvent[] = [];
  for await (const event of session.stream(request, signal ? { signal } : {})) events.push(event);
  return events;
}

/** The text the model wrote, from the deltas after the last retry. */
export function textOf(events: readonly ModelEvent[]): string {
  const lastRetry = events.findLastIndex((e) => e.type === 'retry');
  return events
    .slice(lastRetry + 1)
    .map((e) => (e.type === 'output_text.delta' ? e.delta : ''))
    .join('');
}

/** The events of a turn that fails, and the error it rejects with. */
export async function failedTurnEvents(
  session: ModelSession,
  request: TurnRequest = HELLO,
): Promise<{ events: ModelEvent[]; error: ModelProviderError }> {
  const events: ModelEvent[] = [];
  try {
    for await (const event of session.stream(request)) events.push(event);
  } catch (error) {
    return { events, error: error as ModelProviderError };
  }
  throw new Error('the turn did not fail');
}

/** The error a turn rejects with. */
export async function turnError(session: ModelSession, request: TurnRequest = HELLO, signal?: AbortSignal) {
  try {
    await collect(session, request, signal);
  } catch (error) {
    return error;
  }
  throw new Error('the turn did not fail');
}
