import type { ModelEvent, ResponseItem } from '@codex-ts/model-provider';
import { v7 as uuidv7 } from 'uuid';
import { factTokens } from '../analytics-tracker.js';
import type { AppContext } from '../app-context.js';
import type { LoadedThread } from '../threads/thread-manager.js';
import type {
  ThreadItem,
  ThreadTokenUsage,
  Turn,
  TurnStatus,
  UsageBreakdown,
  UserInput,
} from '../threads/thread-model.js';
import { incompleteTurnError, reconnectingError, turnError, turnErrorOf } from './error-info.js';
import { usageAfterFailure } from './failed-turn-usage.js';
import {
  addUsage,
  messageText,
  responsesInput,
  usageBreakdown,
  wireItem,
  wireRateLimits,
  wireTurn,
  ZERO_USAGE,
} from './turn-wire.js';
import { countImages, type ImageContext, modelTakesImages } from './user-input.js';

export const BASE_INSTRUCTIONS = 'You are Codex, a coding agent. Answer the user concisely and accurately.';

const nowSec = () => Math.floor(Date.now() / 1000);

/**
 * Runs one turn of a loaded thread: the model stream through model-provider with login's THREAD provider (flag on:
 * every request carries the thread's task), notifications as upstream orders them, then the finished turn appended
 * to the rollout.
 */
export class TurnRunner {
  readonly #app: AppContext;
  readonly #thread: LoadedThread;
  readonly #model: NonNullable<LoadedThread['model']>;
  readonly #turnId: string;
  readonly #rootTurnId: string;
  readonly #clientId: string | null;
  readonly #input: UserInput[];
  readonly #abort = new AbortController();
  readonly #startedAt = nowSec();
  readonly #startedMs = Date.now();
  readonly #agentItems: ThreadItem[] = [];
  /** The model's usable context window, resolved before the stream starts. */
  #contextWindow: number | null = null;

  constructor(
    app: AppContext,
    thread: LoadedThread,
    model: NonNullable<LoadedThread['model']>,
    input: UserInput[],
    options: { readonly clientUserMessageId: string | null; readonly rootTurnId: string | null },
  ) {
    this.#app = app;
    this.#thread = thread;
    this.#model = model;
    this.#turnId = uuidv7();
    // A turn no client attributes to an earlier one is its own root.
    this.#rootTurnId = options.rootTurnId ?? this.#turnId;
    this.#clientId = options.clientUserMessageId;
    this.#input = input;
  }

  get turnId(): string {
    return this.#turnId;
  }

  get abort(): AbortController {
    return this.#abort;
  }

  /** The turn as `turn/start` answers it. */
  initialTurn(): Record<string, unknown> {
    return wireTurn(
      {
        id: this.#turnId,
        rootTurnId: this.#rootTurnId,
        items: [],
        status: 'inProgress',
        error: null,
        startedAt: null,
        completedAt: null,
        durationMs: null,
      },
      'notLoaded',
    );
  }

  async #imageContext(): Promise<ImageContext> {
    const models = await this.#app.models.list();
    return { cwd: this.#thread.meta.cwd, supportsImages: modelTakesImages(models, this.#thread.meta.model) };
  }

  #notify(method: string, params: Record<string, unknown>): void {
    this.#app.clients.toThread(this.#thread.id, method, params);
  }

  /**
   * Sends the model request: the thread's history, then the new input. `turn/start` calls it before it answers, so
   * the request is on its way while the server answers and sends the opening notifications (about 0.1 ms of work a
   * turn that no longer comes before the request).
   *
   * With the flag on, the thread provider gives this turn's requests the thread's task, waiting on its registration
   * when needed: a failed registration rejects the request (a typed, retryable error; no model call is made) and an
   * interrupt ends the wait. So the turn never runs without its task, and waits once.
   */
  start(): void {
    const history = this.#thread.turns;
    this.#isFirstTurn = history.length === 0;
    // Text only, the input is ready at once; with images, local files are read and the model's modalities known.
    // Whatever fails here fails the turn through run(), as a failed request does.
    let input: ResponseItem[] | Promise<ResponseItem[]>;
    try {
      input = responsesInput(history, this.#input, () => this.#imageContext());
    } catch (err) {
      input = Promise.reject(err);
    }
    const stream = input instanceof Promise ? this.#streamAfter(input) : this.#streamOf(input);
    const first = stream.next();
    first.catch(() => {}); // run() reports it
    this.#events = { stream, first };
  }

  #events: { stream: AsyncGenerator<ModelEvent>; first: Promise<IteratorResult<ModelEvent>> } | undefined;
  #isFirstTurn = false;

  #streamOf(input: ResponseItem[]): AsyncGenerator<ModelEvent> {
    const request = { model: this.#thread.meta.model, instructions: BASE_INSTRUCTIONS, input };
    return this.#model.session.stream(request, { signal: this.#abort.signal });
  }

  async *#streamAfter(input: Promise<ResponseItem[]>): AsyncGenerator<ModelEvent> {
    yield* this.#streamOf(await input);
  }

  /** Reports the started turn to the end; never throws (failures become the turn's error). */
  async run(): Promise<void> {
    const threadId = this.#thread.id;
    const turnId = this.#turnId;
    const signal = this.#abort.signal;
    this.#thread.status = { type: 'active', activeFlags: [] };
    this.#notify('thread/status/changed', { threadId, status: this.#thread.status });
    this.#notify('turn/started', {
      threadId,
      turn: wireTurn(
        {
          id: turnId,
          rootTurnId: this.#rootTurnId,
          items: [],
          status: 'inProgress',
          error: null,
          startedAt: this.#startedAt,
          completedAt: null,
          durationMs: null,
        },
        'notLoaded',
      ),
    });
    // The user's message is complete the moment it starts (it is the turn's input).
    const inputAtMs = Date.now();
    const userItem: ThreadItem = {
      type: 'userMessage',
      id: uuidv7(),
      content: this.#input,
      clientId: this.#clientId,
      startedAtMs: inputAtMs,
      completedAtMs: inputAtMs,
    };
    this.#notify('item/started', {
      item: wireItem({ ...userItem, completedAtMs: null }),
      threadId,
      turnId,
      startedAtMs: inputAtMs,
    });
    this.#notify('item/completed', {
      item: wireItem(userItem),
      threadId,
      turnId,
      contentTokenCount: null, // counted for assistant messages only
      completedAtMs: inputAtMs,
    });

    let status: TurnStatus = 'completed';
    let error: Turn['error'] = null;
    const isFirstTurn = this.#isFirstTurn;
    // The model's context window comes from the models list, looked up in parallel with the model's answer; only
    // the usage report at the end waits for it, and only on a session's first turn.
    const window = this.#model.contextWindow.get();
    const events = this.#events;
    try {
      if (!events) throw new Error('the turn was run before it was started');
      for (let next = await events.first; !next.done; next = await events.stream.next()) {
        const event = next.value;
        const last = event.type === 'completed' || event.type === 'incomplete';
        if (last) this.#contextWindow = window instanceof Promise ? await window : window;
        this.#onEvent(event);
        // The response is over: the turn ends here, as upstream's does, without waiting for the body to close. One cut
        // short fails the turn, as upstream's does (not retried).
        if (event.type === 'incomplete') {
          status = 'failed';
          error = incompleteTurnError(event.reason);
        }
        if (last) break;
      }
    } catch (err) {
      if (signal.aborted) status = 'interrupted';
      else {
        status = 'failed';
        error = turnErrorOf(err);
        this.#app.logger.warn({ threadId, turnId, error: err }, 'turn failed');
        this.#reportFailure(err, window instanceof Promise ? await window : window);
      }
    }
    const completedAt = nowSec();
    const turn: Turn = {
      id: turnId,
      rootTurnId: this.#rootTurnId,
      items: [userItem, ...this.#agentItems],
      status,
      error,
      startedAt: this.#startedAt,
      completedAt,
      durationMs: Date.now() - this.#startedMs,
    };
    this.#reportRateLimits(); // a turn that ended without its usage still reports what its headers said
    this.#thread.activeTurn = undefined;
    this.#thread.status = { type: 'idle' };
    this.#notify('thread/status/changed', { threadId, status: this.#thread.status });
    // As upstream 0.169: a failed turn's error goes out last before it, and only a completed turn's turn/completed
    // carries its items (a failed or interrupted one has none: `notLoaded`).
    if (status === 'failed') this.#notify('error', { error, willRetry: false, threadId, turnId });
    this.#notify('turn/completed', {
      threadId,
      turn:
        status === 'completed'
          ? wireTurn({ ...turn, items: this.#agentItems }, 'summary')
          : wireTurn({ ...turn, items: [] }, 'notLoaded'),
    });
    // Once the client has heard: the stream ends (a request cut short is cancelled; a completed response's body is
    // read to its end in the background, so the connection is reused).
    void events?.stream.return(undefined);
    // The client hears the turn completed first; in the same moment the turn becomes the thread's history (what a
    // client asks next sees it). Its line is written on the next turn of the event loop, and analytics hears of the
    // turn after that: neither delays the client's reply to turn/completed (about 3.5% of a loopback turn, measured by
    // `bench/turn.bench.mjs`). A failed write follows as an `error`; everything appended earlier stays intact.
    const persisted = this.#thread.appendTurn(turn);
    try {
      await persisted;
    } catch (err) {
      this.#app.logger.error({ threadId, turnId, error: err }, 'could not persist the turn');
      const notPersisted = turnError((err as Error).message, 'other', null);
      this.#notify('error', { error: notPersisted, willRetry: false, threadId, turnId });
    }
    this.#app.analytics.turnCompleted({
      threadId,
      turnId,
      model: this.#thread.meta.model,
      modelProvider: this.#thread.meta.modelProvider,
      sandboxPolicy: 'read_only',
      approvalPolicy: 'on-request',
      approvalsReviewer: 'user',
      sandboxNetworkAccess: false,
      numInputImages: countImages(this.#input),
      isFirstTurn,
      status,
      turnError: error,
      ...(this.#lastUsage ? { tokens: factTokens(this.#lastUsage) } : {}),
      durationMs: turn.durationMs,
      startedAt: this.#startedAt,
      completedAt,
    });
  }

  #current: { id: string; text: string; startedAtMs: number } | undefined;
  #lastUsage: UsageBreakdown | undefined;
  #attemptItems: ThreadItem[] = [];
  /**
   * The rate limits of the response headers in their wire form, until reported: converted when the headers arrive,
   * while the turn waits for the model, not at its end.
   */
  #rateLimits: Record<string, unknown> | undefined;

  /** A limit the turn failed on, as upstream reports it: the token usage, then (in the tail) the rate limits. */
  #reportFailure(err: unknown, window: number | null): void {
    const { usage, rateLimits } = usageAfterFailure(err, this.#thread.tokenUsage, this.#turnId, window);
    if (rateLimits) this.#rateLimits = wireRateLimits(rateLimits);
    if (usage?.turnId === this.#turnId) this.#thread.tokenUsage = usage; // persisted with the turn
    if (usage) this.#notifyUsage(usage);
  }

  #notifyUsage({ total, last, modelContextWindow }: ThreadTokenUsage): void {
    const tokenUsage = { total, last, modelContextWindow };
    this.#notify('thread/tokenUsage/updated', {
      threadId: this.#thread.id,
      turnId: this.#turnId,
      tokenUsage,
    });
  }

  /** `account/rateLimits/updated` to every client, once a turn: after its token usage, before it goes idle. */
  #reportRateLimits(): void {
    const limits = this.#rateLimits;
    if (!limits) return;
    this.#rateLimits = undefined;
    this.#app.clients.broadcast('account/rateLimits/updated', { rateLimits: limits });
  }

  #onEvent(event: ModelEvent): void {
    const threadId = this.#thread.id;
    const turnId = this.#turnId;
    switch (event.type) {
      case 'metadata':
        // Reported with the turn's token usage, as upstream orders it (the latest attempt's headers win).
        if (event.rateLimits) this.#rateLimits = wireRateLimits(event.rateLimits);
        return;
      case 'output_item.added': {
        if (event.item.type !== 'message') return;
        const id = typeof event.item.id === 'string' ? event.item.id : uuidv7();
        const startedAtMs = Date.now();
        this.#current = { id, text: '', startedAtMs };
        this.#notify('item/started', {
          item: wireItem({ type: 'agentMessage', id, text: '', startedAtMs, completedAtMs: null }),
          threadId,
          turnId,
          startedAtMs,
        });
        return;
      }
      case 'output_text.delta': {
        const cur = this.#current;
        if (!cur) return;
        cur.text += event.delta;
        this.#notify('item/agentMessage/delta', { threadId, turnId, itemId: cur.id, delta: event.delta });
        return;
      }
      case 'output_item.done': {
        if (event.item.type !== 'message') return;
        const cur = this.#current;
        const id = cur?.id ?? (typeof event.item.id === 'string' ? event.item.id : uuidv7());
        const text = messageText(event.item) || cur?.text || '';
        const completedAtMs = Date.now();
        const item: ThreadItem = {
          type: 'agentMessage',
          id,
          text,
          startedAtMs: cur?.startedAtMs ?? completedAtMs,
          completedAtMs,
        };
        this.#current = undefined;
        this.#attemptItems.push(item);
        this.#agentItems.push(item);
        this.#notify('item/completed', {
          item: wireItem(item),
          threadId,
          turnId,
          // The Responses API reports tokens per response, not per message: unavailable.
          contentTokenCount: null,
          completedAtMs,
        });
        return;
      }
      case 'completed':
      case 'incomplete': {
        if (event.usage) {
          const last = usageBreakdown(event.usage);
          this.#lastUsage = last;
          // Counted on from the thread's total, which a resumed thread restores from its rollout; persisted with
          // the turn.
          const total = addUsage(this.#thread.tokenUsage?.total ?? ZERO_USAGE, last);
          this.#thread.tokenUsage = { turnId, total, last, modelContextWindow: this.#contextWindow };
          this.#notifyUsage(this.#thread.tokenUsage);
        }
        this.#reportRateLimits();
        return;
      }
      case 'retry': {
        // The attempt is abandoned: what it produced is dropped.
        for (const item of this.#attemptItems) this.#agentItems.splice(this.#agentItems.indexOf(item), 1);
        this.#attemptItems = [];
        this.#current = undefined;
        // Upstream reports the retries of a whole attempt; a request resent within one goes unsaid.
        if (event.budget === 'stream') {
          this.#notify('error', { error: reconnectingError(event), willRetry: true, threadId, turnId });
        }
        return;
      }
      default:
        return;
    }
  }
}
