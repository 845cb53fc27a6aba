import type { HeaderReader } from '@codex-ts/auth-provider';
import { parseRateLimits, type RateLimitSnapshot } from './rate-limits.js';

/** What a turn's response headers say, before any event. */
export interface ResponseMetadata {
  readonly transport: 'http' | 'websocket';
  /** `x-request-id` (or `x-oai-request-id`). */
  readonly requestId?: string;
  /** `x-models-etag`: when it differs from the models list's, the list is refreshed. */
  readonly modelsEtag?: string;
  /** `openai-model`: the model that actually serves the turn. */
  readonly openaiModel?: string;
  /** From the `x-codex-*` headers. */
  readonly rateLimits?: RateLimitSnapshot;
}

/** The request id of a response: `x-request-id`, else `x-oai-request-id`. */
export function requestIdOf(headers: HeaderReader): string | undefined {
  return nonEmpty(headers.get('x-request-id')) ?? nonEmpty(headers.get('x-oai-request-id'));
}

export function responseMetadata(transport: 'http' | 'websocket', headers: HeaderReader): ResponseMetadata {
  const requestId = requestIdOf(headers);
  const modelsEtag = nonEmpty(headers.get('x-models-etag'));
  const openaiModel = nonEmpty(headers.get('openai-model'));
  const rateLimits = parseRateLimits(headers);
  return {
    transport,
    ...(requestId ? { requestId } : {}),
    ...(modelsEtag ? { modelsEtag } : {}),
    ...(openaiModel ? { openaiModel } : {}),
    ...(rateLimits ? { rateLimits } : {}),
  };
}

function nonEmpty(value: string | null): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
