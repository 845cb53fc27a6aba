import { type AuthFetch, type AuthProvider, createAuthFetch, type FetchLike } from '@codex-ts/auth-provider';
import { eventBatches } from './batches.js';
import { BoundedKeySet } from './dedupe-set.js';
import { type AnalyticsEvent, EVENT_SCHEMAS, type RuntimeMetadata } from './events.js';
import { type EventContext, factToEvents } from './fact-events.js';
import type { AnalyticsFact } from './facts.js';
import { currentRuntimeMetadata } from './runtime.js';

/** Upstream's bounds. */
export const ANALYTICS_QUEUE_CAPACITY = 256;
export const ANALYTICS_DEDUPE_MAX_KEYS = 4096;
export const ANALYTICS_REQUEST_TIMEOUT_MS = 10_000;
export const ANALYTICS_EVENTS_PATH = '/codex/analytics-events/events';

/** Where warnings go (pino, console and most loggers fit). Never given a secret. */
export interface AnalyticsLogger {
  warn(message: string): void;
}

export interface AnalyticsClientOptions {
  /** The ChatGPT backend base URL, e.g. `https://chatgpt.com/backend-api`. */
  readonly baseUrl: string;
  /** Authorizes every batch (the background task's assertion, or bearer), asked per request. */
  readonly provider: AuthProvider;
  /** Config `analytics.enabled`; `false` means nothing is queued or sent. Default `true`. */
  readonly enabled?: boolean;
  /** Upstream's originator; default `codex_cli_rs`. */
  readonly productClientId?: string;
  /** The sender's version, reported as `runtime.codex_rs_version`; default `0.0.0`. */
  readonly version?: string;
  /** Overrides the whole `runtime` block (otherwise read from the process). */
  readonly runtime?: RuntimeMetadata;
  /** Default: `console`. */
  readonly logger?: AnalyticsLogger;
  /** The fetch underneath `createAuthFetch`; the global one by default. */
  readonly fetch?: FetchLike;
  /** Default 256. */
  readonly queueCapacity?: number;
  /** Events per request at most; default 256. */
  readonly maxBatchEvents?: number;
  /** Per request; default 10 s. */
  readonly requestTimeoutMs?: number;
  /**
   * How long the first queued fact waits for others before a send, so a burst goes in one request. Default 0: the
   * next turn of the event loop. `flush()` sends at once; the wait never keeps the process alive.
   */
  readonly sendDelayMs?: number;
}

export interface FlushResult {
  /** True when everything queued was sent (or its send failed and was logged) before the deadline. */
  readonly flushed: boolean;
  /** Facts given up on at the deadline (queued or in flight). */
  readonly abandoned: number;
}

/**
 * The analytics pipeline: `track()` puts a fact in a bounded queue and returns; a background loop turns facts into
 * typed events and sends them in batches. Nothing here ever throws at the caller or blocks it.
 */
export class AnalyticsClient {
  readonly enabled: boolean;
  private readonly url: string;
  private readonly authFetch: AuthFetch;
  private readonly context: EventContext;
  private readonly logger: AnalyticsLogger;
  private readonly capacity: number;
  private readonly maxBatchEvents: number;
  private readonly timeoutMs: number;
  private readonly sendDelayMs: number;
  private delayed: NodeJS.Timeout | undefined;
  private readonly appsUsed = new BoundedKeySet(ANALYTICS_DEDUPE_MAX_KEYS);
  private readonly pluginsUsed = new BoundedKeySet(ANALYTICS_DEDUPE_MAX_KEYS);
  private queue: AnalyticsFact[] = [];
  private inFlight = 0;
  private running = false;
  private warnedFull = false;
  private warnedFailure = false;
  private readonly warnedInvalid = new Set<string>();
  private abort = new AbortController();
  private idleWaiters: Array<() => void> = [];

  constructor(options: AnalyticsClientOptions) {
    this.enabled = options.enabled ?? true;
    this.url = `${options.baseUrl.replace(/\/+$/, '')}${ANALYTICS_EVENTS_PATH}`;
    this.authFetch = createAuthFetch(options.provider, options.fetch ? { fetch: options.fetch } : {});
    this.context = {
      productClientId: options.productClientId ?? 'codex_cli_rs',
      runtime: options.runtime ?? currentRuntimeMetadata(options.version ?? '0.0.0'),
    };
    this.logger = options.logger ?? console;
    this.capacity = options.queueCapacity ?? ANALYTICS_QUEUE_CAPACITY;
    this.maxBatchEvents = options.maxBatchEvents ?? 256;
    this.timeoutMs = options.requestTimeoutMs ?? ANALYTICS_REQUEST_TIMEOUT_MS;
    this.sendDelayMs = options.sendDelayMs ?? 0;
  }

  /** Facts waiting for the background loop (at most the queue capacity). */
  get queued(): number {
    return this.queue.length;
  }

  /** Queues a fact and returns at once. Never throws; a full queue drops the fact (one warning per burst). */
  track(fact: AnalyticsFact): void {
    if (!this.enabled) return;
    try {
      if (fact.type === 'app_used' && fact.app.connectorId) {
        if (!this.appsUsed.add(`${fact.tracking.turnId}\u0000${fact.app.connectorId}`)) return;
      } else if (fact.type === 'plugin_used') {
        if (!this.pluginsUsed.add(`${fact.tracking.turnId}\u0000${fact.plugin.pluginId}`)) return;
      }
      if (this.queue.length >= this.capacity) {
        if (!this.warnedFull) {
          this.warnedFull = true;
          this.warn(`dropping analytics events: queue is full (${this.capacity} facts)`);
        }
        return;
      }
      this.queue.push(fact);
      if (!this.running) {
        this.running = true;
        if (this.sendDelayMs > 0) {
          this.delayed = setTimeout(() => {
            this.delayed = undefined;
            void this.drain();
          }, this.sendDelayMs);
          this.delayed.unref();
        } else setImmediate(() => void this.drain());
      }
    } catch {
      // A malformed fact is dropped; tracking never fails the caller.
    }
  }

  /**
   * Sends what is queued, waiting at most `timeoutMs` (default 5 s). At the deadline the request in flight is
   * aborted and what is left is given up on. Never throws.
   */
  flush(options: { timeoutMs?: number } = {}): Promise<FlushResult> {
    if (!this.running && this.queue.length === 0) return Promise.resolve({ flushed: true, abandoned: 0 });
    if (this.delayed) {
      clearTimeout(this.delayed);
      this.delayed = undefined;
      setImmediate(() => void this.drain());
    }
    return new Promise<FlushResult>((resolve) => {
      const timer = setTimeout(() => {
        this.idleWaiters = this.idleWaiters.filter((w) => w !== onIdle);
        const abandoned = this.queue.length + this.inFlight;
        this.queue = [];
        this.abort.abort(new Error('analytics flush deadline'));
        this.abort = new AbortController();
        resolve({ flushed: false, abandoned });
      }, options.timeoutMs ?? 5_000);
      const onIdle = () => {
        clearTimeout(timer);
        resolve({ flushed: true, abandoned: 0 });
      };
      this.idleWaiters.push(onIdle);
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const facts = this.queue;
        this.queue = [];
        this.inFlight = facts.length;
        const events = this.eventsFor(facts);
        for (const batch of eventBatches(events, this.maxBatchEvents)) await this.send(batch);
        this.inFlight = 0;
      }
    } finally {
      this.inFlight = 0;
      this.running = false;
      this.warnedFull = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const waiter of waiters) waiter();
    }
  }

  private eventsFor(facts: readonly AnalyticsFact[]): AnalyticsEvent[] {
    const events: AnalyticsEvent[] = [];
    for (const fact of facts) {
      let built: AnalyticsEvent[];
      try {
        built = factToEvents(fact, this.context);
      } catch {
        continue;
      }
      for (const event of built) {
        const checked = EVENT_SCHEMAS[event.event_type].safeParse(event);
        if (checked.success) {
          events.push(event);
        } else if (!this.warnedInvalid.has(event.event_type)) {
          this.warnedInvalid.add(event.event_type);
          const issue = checked.error.issues[0];
          this.warn(
            `dropping an invalid ${event.event_type} event: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`,
          );
        }
      }
    }
    return events;
  }

  private async send(events: readonly AnalyticsEvent[]): Promise<void> {
    const signal = AbortSignal.any([AbortSignal.timeout(this.timeoutMs), this.abort.signal]);
    try {
      const response = await this.authFetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ events }),
        signal,
      });
      await response.body?.cancel();
      if (response.status >= 200 && response.status < 300) {
        this.warnedFailure = false;
        return;
      }
      this.failure(`analytics events failed with status ${response.status}`);
    } catch (error) {
      this.failure(`failed to send analytics events: ${(error as Error)?.message ?? String(error)}`);
    }
  }

  /** The first failure is logged; the next ones stay quiet until a batch goes through again. */
  private failure(message: string): void {
    if (this.warnedFailure) return;
    this.warnedFailure = true;
    this.warn(message);
  }

  private warn(message: string): void {
    try {
      this.logger.warn(`[codex-ts/analytics] ${message}`);
    } catch {
      // A broken logger must not break analytics.
    }
  }
}

/** `new AnalyticsClient(options)`. */
export function createAnalyticsClient(options: AnalyticsClientOptions): AnalyticsClient {
  return new AnalyticsClient(options);
}
