import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { App } from './app.js';
import { HttpError, readJson } from './http.js';
import { randomHex } from './ids.js';
import { rateLimitData, rateLimitEvent, rateLimitHeaders } from './rate-limits.js';
import {
  eventGap,
  functionCallOutput,
  TOOL_CALL_MODEL,
  toolCallEvents,
} from './responses-scripted-models.js';
import type { Ctx, Router } from './router.js';
import { parseBody } from './validation.js';

/** Model slug that makes the echo model fail with `response.failed` (for client error paths). */
export const FAILING_MODEL = 'dev-fail';

/**
 * Model slug whose echo stops short: its text streams, then the response ends with `response.incomplete` (reason
 * `max_output_tokens`) instead of `response.completed`.
 */
export const INCOMPLETE_MODEL = 'dev-incomplete';

const contentPart = z.looseObject({ type: z.string().optional(), text: z.string().optional() });

export const responsesRequestSchema = z.looseObject({
  model: z.string().min(1),
  input: z.array(
    z.looseObject({
      type: z.string().optional(),
      role: z.string().optional(),
      content: z.union([z.string(), z.array(contentPart)]).optional(),
      output: z.unknown().optional(),
    }),
  ),
  instructions: z.string().optional(),
  stream: z.boolean().optional(),
});

export type ResponsesRequest = z.infer<typeof responsesRequestSchema>;

export interface ResponseEvent {
  type: string;
  [key: string]: unknown;
}

/** The last user message's text, which the echo model repeats. */
export function lastUserText(request: ResponsesRequest): string {
  const item = lastUserMessage(request);
  if (item === undefined) return '';
  if (typeof item.content === 'string') return item.content;
  return (item.content ?? []).map((p) => p.text ?? '').join('');
}

function lastUserMessage(request: ResponsesRequest): ResponsesRequest['input'][number] | undefined {
  for (let i = request.input.length - 1; i >= 0; i--) {
    if (request.input[i]!.role === 'user') return request.input[i];
  }
  return undefined;
}

/** How many `input_image` parts the last user message has (the echo model acknowledges them). */
export function lastUserImages(request: ResponsesRequest): number {
  const content = lastUserMessage(request)?.content;
  return Array.isArray(content) ? content.filter((p) => p.type === 'input_image').length : 0;
}

function countTokens(text: string): number {
  return text.split(/\s+/).filter((w) => w.length > 0).length;
}

/**
 * The deterministic echo model: `Echo: <last user text>`, one delta per word; when the last user message has images,
 * ` [N image(s)]` follows the text (`Echo: look [2 images]`).
 */
export function echoEvents(request: ResponsesRequest, createdAt: number): ResponseEvent[] {
  const id = `resp_${randomHex(12)}`;
  const itemId = `msg_${randomHex(12)}`;
  const input = lastUserText(request);
  const images = lastUserImages(request);
  const seen = images === 0 ? '' : ` [${images} image${images === 1 ? '' : 's'}]`;
  const text = `Echo: ${input === '' ? '(no input)' : input}${seen}`;
  const base = { id, object: 'response', created_at: createdAt, model: request.model };
  const events: ResponseEvent[] = [
    { type: 'response.created', response: { ...base, status: 'in_progress', output: [] } },
  ];
  if (request.model === FAILING_MODEL) {
    events.push({
      type: 'response.failed',
      response: {
        ...base,
        status: 'failed',
        output: [],
        error: { code: 'server_error', message: 'the dev-fail model always fails' },
      },
    });
    return number(events);
  }
  const item = { id: itemId, type: 'message', role: 'assistant' };
  events.push(
    {
      type: 'response.output_item.added',
      output_index: 0,
      item: { ...item, status: 'in_progress', content: [] },
    },
    {
      type: 'response.content_part.added',
      item_id: itemId,
      output_index: 0,
      content_index: 0,
      part: { type: 'output_text', text: '', annotations: [] },
    },
  );
  for (const delta of text.match(/\S+\s*/g) ?? []) {
    events.push({
      type: 'response.output_text.delta',
      item_id: itemId,
      output_index: 0,
      content_index: 0,
      delta,
    });
  }
  const incomplete = request.model === INCOMPLETE_MODEL;
  const status = incomplete ? 'incomplete' : 'completed';
  const done = { ...item, status, content: [{ type: 'output_text', text, annotations: [] }] };
  const inputTokens = countTokens(`${request.instructions ?? ''} ${input}`);
  const outputTokens = countTokens(text);
  events.push(
    { type: 'response.output_text.done', item_id: itemId, output_index: 0, content_index: 0, text },
    { type: 'response.output_item.done', output_index: 0, item: done },
    {
      type: `response.${status}`,
      response: {
        ...base,
        status,
        ...(incomplete ? { incomplete_details: { reason: 'max_output_tokens' } } : {}),
        output: [done],
        usage: {
          input_tokens: inputTokens,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: outputTokens,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: inputTokens + outputTokens,
        },
      },
    },
  );
  return number(events);
}

/** The events of any dev model: the tool-call model until its call's output comes back, else the echo. */
export function modelEvents(request: ResponsesRequest, createdAt: number): ResponseEvent[] {
  if (request.model !== TOOL_CALL_MODEL) return echoEvents(request, createdAt);
  const output = functionCallOutput(request.input);
  if (output === undefined)
    return toolCallEvents({ model: request.model, text: lastUserText(request), createdAt });
  return echoEvents({ ...request, input: [{ role: 'user', content: `Tool output: ${output}` }] }, createdAt);
}

function number(events: ResponseEvent[]): ResponseEvent[] {
  return events.map((e, i) => ({ ...e, sequence_number: i }));
}

/** POST /backend-api/codex/responses → text/event-stream */
async function responsesSse(ctx: Ctx): Promise<void> {
  const { app, req, res } = ctx;
  const request = parseBody(responsesRequestSchema, await readJson(req, app.options.maxBodyBytes));
  app.modelRequests.record(request);
  if (request.stream === false) {
    throw new HttpError(400, 'stream_required', 'the dev backend only serves streamed responses');
  }
  const events = modelEvents(request, app.clock.nowSeconds());
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-request-id': `req_${randomHex(8)}`,
    'openai-model': request.model,
    ...rateLimitHeaders(rateLimitData(app.clock.nowSeconds())),
    ...(ctx.principal ? { 'x-codex-plan-type': ctx.principal.user.plan } : {}),
  });
  for (const event of events) {
    if (res.destroyed) return;
    res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    if (!(await eventGap(request.model, res))) return;
  }
  res.end();
}

/**
 * Responses over a websocket: each `response.create` message streams the user's rate limits
 * (`codex.rate_limits`, the websocket form of the `x-codex-*` headers), then the same events as text frames.
 */
export function serveResponsesSocket(socket: WebSocket, app: App, planType: string): void {
  const createdAt = () => app.clock.nowSeconds();
  let queue = Promise.resolve();
  socket.on('message', (data, isBinary) => {
    queue = queue.then(async () => {
      const sendError = (status: number, code: string, message: string) =>
        socket.send(JSON.stringify({ type: 'error', status, error: { code, message } }));
      if (isBinary) return sendError(400, 'binary_not_supported', 'send JSON text frames');
      let message: unknown;
      try {
        message = JSON.parse(data.toString());
      } catch {
        return sendError(400, 'invalid_json', 'the message is not valid JSON');
      }
      if (
        typeof message !== 'object' ||
        message === null ||
        (message as { type?: unknown }).type !== 'response.create'
      ) {
        return sendError(400, 'unsupported_message_type', 'expected {"type":"response.create", ...}');
      }
      const parsed = responsesRequestSchema.safeParse(message);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return sendError(
          400,
          'invalid_body',
          `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`,
        );
      }
      app.modelRequests.record(parsed.data);
      socket.send(JSON.stringify(rateLimitEvent(rateLimitData(createdAt()), planType)));
      for (const event of modelEvents(parsed.data, createdAt())) {
        if (socket.readyState !== socket.OPEN) return;
        socket.send(JSON.stringify(event));
        if (!(await eventGap(parsed.data.model, socket))) return;
      }
    });
  });
}

export function responsesRoutes(router: Router): void {
  router.add('POST', '/backend-api/codex/responses', 'protected', responsesSse);
}
