import type { HeaderReader } from '@codex-ts/auth-provider';

/** How retries wait: `baseDelayMs · 2^(attempt-1)`, times a jitter in [0.9, 1.1), unless the server said. */
export interface BackoffOptions {
  /** 200 ms by default, as upstream. */
  readonly baseDelayMs?: number;
  /** The longest wait, including a server's `Retry-After`; 60 000 ms by default. */
  readonly maxDelayMs?: number;
  /** A number in [0, 1); `Math.random` by default. */
  readonly random?: () => number;
}

export const DEFAULT_BASE_DELAY_MS = 200;
export const DEFAULT_MAX_DELAY_MS = 60_000;

/** The wait before retry number `attempt` (1-based), honouring a server's `retryAfterMs` when given. */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, retryAfterMs?: number): number {
  const max = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
  if (retryAfterMs !== undefined) return Math.min(Math.max(0, retryAfterMs), max);
  const base = (options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS) * 2 ** Math.max(0, attempt - 1);
  const jitter = 0.9 + (options.random ?? Math.random)() * 0.2;
  return Math.min(Math.round(base * jitter), max);
}

/** `retry-after-ms`, else `Retry-After` (seconds or an HTTP date), in milliseconds; undefined when absent or bad. */
export function retryAfterMs(headers: HeaderReader, now: number = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms')?.trim();
  if (ms && /^\d+(\.\d+)?$/.test(ms)) return Math.ceil(Number(ms));
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Waits `ms`, or rejects with `signal.reason` as soon as the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
