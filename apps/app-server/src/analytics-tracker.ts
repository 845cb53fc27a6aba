import { type AnalyticsClient, createAnalyticsClient, type TurnCompletedFact } from '@codex-ts/analytics';
import type { AuthManager } from '@codex-ts/login';
import type { ClientConnection } from './connection.js';
import type { AppLogger } from './logger.js';
import type { UsageBreakdown } from './threads/thread-model.js';
import { APP_SERVER_VERSION } from './version.js';

/**
 * How long a tracked fact waits for others before a send: a burst of turns costs one request (an assertion signed,
 * a POST, the events validated) rather than one per turn, and that work stays off the turns that follow.
 */
export const ANALYTICS_SEND_DELAY_MS = 1_000;

/** A turn's own token usage as its analytics fact counts it. */
export function factTokens(usage: UsageBreakdown): NonNullable<TurnCompletedFact['tokens']> {
  return {
    input: usage.inputTokens,
    cachedInput: usage.cachedInputTokens,
    output: usage.outputTokens,
    reasoningOutput: usage.reasoningOutputTokens,
    total: usage.totalTokens,
  };
}

/**
 * Analytics as upstream sends them (`codex_thread_initialized`, `codex_turn_event`), through @codex-ts/analytics
 * with the default provider (background task). Only for ChatGPT auth; nothing at all with `analytics.enabled =
 * false`. Flushed at shutdown.
 */
export class AnalyticsTracker {
  readonly #client: AnalyticsClient;
  readonly #auth: AuthManager;

  constructor(o: { chatgptBaseUrl: string; auth: AuthManager; enabled: boolean; logger: AppLogger }) {
    this.#auth = o.auth;
    this.#client = createAnalyticsClient({
      baseUrl: o.chatgptBaseUrl,
      provider: o.auth.defaultProvider(),
      enabled: o.enabled,
      productClientId: 'codex-ts-app-server',
      sendDelayMs: ANALYTICS_SEND_DELAY_MS,
      version: APP_SERVER_VERSION,
      logger: { warn: (message: string) => o.logger.warn({}, message) },
    });
  }

  #applies(): boolean {
    return this.#auth.authCached()?.isChatgpt() ?? false;
  }

  threadInitialized(
    threadId: string,
    connection: ClientConnection,
    model: string,
    mode: 'new' | 'resumed',
    createdAt: number,
  ): void {
    if (!this.#applies()) return;
    this.#client.track({
      type: 'thread_initialized',
      threadId,
      client: {
        name: connection.clientName ?? null,
        version: connection.clientVersion ?? null,
        rpcTransport: connection.transport,
        experimentalApiEnabled: connection.capabilities.experimentalApi,
      },
      model,
      ephemeral: false,
      threadSource: 'user',
      initializationMode: mode,
      createdAt,
    });
  }

  turnCompleted(fact: Omit<TurnCompletedFact, 'type'>): void {
    if (!this.#applies()) return;
    this.#client.track({ type: 'turn_completed', ...fact });
  }

  /** Sends what is queued (shutdown), at most `timeoutMs`. */
  async flush(timeoutMs: number): Promise<void> {
    await this.#client.flush({ timeoutMs });
  }
}
