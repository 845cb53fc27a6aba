import { ContextWindowExceededError, ModelProviderError } from './errors.js';
import type { ModelEvent, TokenUsage } from './events.js';
import { rateLimitsFromEvent } from './rate-limits.js';
import { safeBody } from './redact.js';
import { errorFromStatus, recordHeaders } from './status-error.js';
import type { ResponseItem } from './turn-request.js';

type Raw = Record<string, unknown>;

const NOT_RETRYABLE_FAILURES = new Set(['insufficient_quota', 'usage_not_included', 'invalid_prompt']);

/**
 * Turns the JSON payloads of one response (SSE `data` or websocket text frames) into typed events. Unknown
 * event types are skipped (the API adds new ones); a payload that is not a JSON object with a string `type`,
 * `response.failed` and an `error` frame throw typed errors. `finished` turns true at `response.completed` or
 * `response.incomplete`.
 */
export class TurnDecoder {
  finished = false;
  readonly #target: string;

  constructor(target: string) {
    this.#target = target;
  }

  decode(data: string): ModelEvent | undefined {
    let raw: unknown;
    try {
      raw = JSON.parse(data);
    } catch {
      throw invalidEvent(`an event of ${this.#target} is not JSON`, data);
    }
    if (typeof raw !== 'object' || raw === null || typeof (raw as Raw).type !== 'string') {
      throw invalidEvent(`an event of ${this.#target} has no type`, data);
    }
    return this.#map(raw as Raw, data);
  }

  #map(e: Raw, data: string): ModelEvent | undefined {
    const itemId = str(e.item_id);
    const at = itemId === undefined ? {} : { itemId };
    switch (e.type) {
      case 'response.created':
        return withOptional({ type: 'created' }, 'responseId', str(obj(e.response)?.id));
      case 'response.output_item.added':
      case 'response.output_item.done': {
        const item = obj(e.item);
        if (!item) throw invalidEvent(`${e.type} without an item`, data);
        const type = e.type === 'response.output_item.added' ? 'output_item.added' : 'output_item.done';
        return withOptional(
          { type, item: item as ResponseItem } as const,
          'outputIndex',
          num(e.output_index),
        );
      }
      case 'response.content_part.added':
        return withOptional(
          { type: 'content_part.added', ...at, part: (obj(e.part) ?? {}) as ResponseItem },
          'contentIndex',
          num(e.content_index),
        );
      case 'response.output_text.delta':
        return { type: 'output_text.delta', ...at, delta: requireString(e.delta, e.type, data) };
      case 'response.output_text.done':
        return { type: 'output_text.done', ...at, text: requireString(e.text, e.type, data) };
      case 'response.reasoning_summary_part.added':
        return { type: 'reasoning_summary_part.added', ...at, summaryIndex: num(e.summary_index) ?? 0 };
      case 'response.reasoning_summary_text.delta':
        return {
          type: 'reasoning_summary_text.delta',
          ...at,
          summaryIndex: num(e.summary_index) ?? 0,
          delta: requireString(e.delta, e.type, data),
        };
      case 'response.reasoning_text.delta':
        return {
          type: 'reasoning_text.delta',
          ...at,
          contentIndex: num(e.content_index) ?? 0,
          delta: requireString(e.delta, e.type, data),
        };
      case 'response.function_call_arguments.delta':
        return { type: 'function_call_arguments.delta', ...at, delta: requireString(e.delta, e.type, data) };
      case 'response.function_call_arguments.done':
        return {
          type: 'function_call_arguments.done',
          ...at,
          arguments: requireString(e.arguments, e.type, data),
        };
      case 'response.completed':
        return this.#completed(e, data);
      case 'response.incomplete': {
        this.finished = true;
        const response = obj(e.response);
        const reason = str(obj(response?.incomplete_details)?.reason);
        const usage = tokenUsage(obj(response?.usage));
        return withOptional(
          withOptional(
            withOptional({ type: 'incomplete' }, 'responseId', str(response?.id)),
            'reason',
            reason,
          ),
          'usage',
          usage,
        );
      }
      case 'response.failed':
        throw this.#failed(e);
      case 'error':
        throw this.#errorFrame(e);
      case 'codex.rate_limits': {
        const update = rateLimitsFromEvent(e);
        return update ? { type: 'rate_limits', ...update } : undefined;
      }
      default:
        return undefined;
    }
  }

  #completed(e: Raw, data: string): ModelEvent {
    const response = obj(e.response);
    const id = str(response?.id);
    if (!response || id === undefined) throw invalidEvent('response.completed without a response id', data);
    this.finished = true;
    const usage = tokenUsage(obj(response.usage));
    return usage ? { type: 'completed', responseId: id, usage } : { type: 'completed', responseId: id };
  }

  #failed(e: Raw): ModelProviderError {
    const error = obj(obj(e.response)?.error);
    const code = str(error?.code);
    const message = str(error?.message) ?? 'no message';
    if (code === 'context_length_exceeded') {
      return new ContextWindowExceededError(`the conversation no longer fits the model's context window`);
    }
    return new ModelProviderError(
      'response_failed',
      `the response failed${code ? ` (${code})` : ''}: ${safeBody(message)}`,
      { retryable: code === undefined || !NOT_RETRYABLE_FAILURES.has(code) },
    );
  }

  #errorFrame(e: Raw): ModelProviderError {
    return errorFromStatus({
      status: num(e.status) ?? num(e.status_code) ?? 500,
      headers: recordHeaders(e.headers),
      body: JSON.stringify({ error: e.error ?? null }),
      target: this.#target,
    });
  }
}

function invalidEvent(message: string, data: string): ModelProviderError {
  return new ModelProviderError('invalid_event', message, { body: safeBody(data), retryable: true });
}

function tokenUsage(usage: Raw | undefined): TokenUsage | undefined {
  if (!usage) return undefined;
  const input = num(usage.input_tokens) ?? 0;
  const output = num(usage.output_tokens) ?? 0;
  const inputDetails = obj(usage.input_tokens_details);
  return {
    inputTokens: input,
    cachedInputTokens: num(inputDetails?.cached_tokens) ?? 0,
    cacheWriteInputTokens: num(inputDetails?.cache_write_tokens) ?? 0,
    outputTokens: output,
    reasoningOutputTokens: num(obj(usage.output_tokens_details)?.reasoning_tokens) ?? 0,
    totalTokens: num(usage.total_tokens) ?? input + output,
  };
}

function requireString(value: unknown, type: unknown, data: string): string {
  if (typeof value !== 'string') throw invalidEvent(`${String(type)} without its text`, data);
  return value;
}

function withOptional<const T extends object, K extends string, V>(
  base: T,
  key: K,
  value: V | undefined,
): T & { readonly [P in K]?: V } {
  return value === undefined ? base : ({ ...base, [key]: value } as T & { readonly [P in K]?: V });
}

function obj(value: unknown): Raw | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Raw) : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
