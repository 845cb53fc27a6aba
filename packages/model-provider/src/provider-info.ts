import { z } from 'zod';
import { InvalidProviderError } from './errors.js';

export const DEFAULT_REQUEST_MAX_RETRIES = 4;
export const DEFAULT_STREAM_MAX_RETRIES = 5;
export const DEFAULT_STREAM_IDLE_TIMEOUT_MS = 300_000;
/** Upstream's ceiling for both retry settings. */
export const MAX_RETRIES_CEILING = 100;

const httpUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}, 'must be an http(s) URL');

const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be a header name');
const headerValue = z.string().refine((v) => !/[\r\n\0]/.test(v), 'must not contain CR, LF or NUL');

/**
 * A model provider as `[model_providers.<id>]` in config.toml describes it, with the keys in camelCase
 * (`base_url` → `baseUrl`). The config reader maps the TOML table to this shape; unknown keys are dropped.
 */
export const modelProviderInfoSchema = z.object({
  name: z.string().min(1),
  baseUrl: httpUrl,
  envKey: z.string().min(1).optional(),
  envKeyInstructions: z.string().optional(),
  wireApi: z.literal('responses').default('responses'),
  queryParams: z.record(z.string(), z.string()).optional(),
  httpHeaders: z.record(headerName, headerValue).optional(),
  /** Header name → environment variable; sent when the variable is set and non-empty. */
  envHttpHeaders: z.record(headerName, z.string().min(1)).optional(),
  requestMaxRetries: z.number().int().min(0).max(MAX_RETRIES_CEILING).default(DEFAULT_REQUEST_MAX_RETRIES),
  streamMaxRetries: z.number().int().min(0).max(MAX_RETRIES_CEILING).default(DEFAULT_STREAM_MAX_RETRIES),
  streamIdleTimeoutMs: z.number().int().positive().default(DEFAULT_STREAM_IDLE_TIMEOUT_MS),
  requiresOpenaiAuth: z.boolean().default(false),
  supportsWebsockets: z.boolean().default(false),
});

/** A validated provider description, defaults applied. */
export type ModelProviderInfo = z.output<typeof modelProviderInfoSchema>;
/** What `parseModelProviderInfo` accepts: defaults may be left out. */
export type ModelProviderInfoInput = z.input<typeof modelProviderInfoSchema>;

/**
 * Validates a plain provider description and applies the defaults (request retries 4, stream retries 5, idle
 * timeout 300 000 ms). Throws `InvalidProviderError` naming the first bad field.
 */
export function parseModelProviderInfo(input: unknown, id = 'provider'): ModelProviderInfo {
  const parsed = modelProviderInfoSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const path = [id, ...issue.path.map(String)].join('.');
  throw new InvalidProviderError(path, `model provider ${path}: ${issue.message}`);
}
