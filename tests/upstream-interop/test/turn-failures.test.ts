import { type DevBackend, FAILING_MODEL, INCOMPLETE_MODEL } from '@codex-ts/dev-backend';
import { chatgptAuthJson } from '@codex-ts/dev-backend/testing';
import { describe, expect, it, type TestContext } from 'vitest';
import type { AppServerCommand } from '../src/app-server-session.js';
import { AppServerSession } from '../src/app-server-session.js';
import type { DevBackendConfigOptions } from '../src/codex-home.js';
import { platform, sideBySide, type UpstreamWorld, upstreamTitle, useWorld } from './harness.js';

interface TurnError {
  message: string;
  codexErrorInfo: unknown;
  additionalDetails: string | null;
}

type Config = Omit<DevBackendConfigOptions, 'chatgptBaseUrl'>;

type Counts = Record<string, number>;
interface TokenUsage {
  total: Counts;
  last: Counts;
  modelContextWindow: number | null;
}

/** Both app-servers, each on its own dev backend signed in with ChatGPT, run one turn on `model` that fails. */
function failingTurn(
  context: Pick<TestContext, 'onTestFinished'>,
  o: { config: Config; model: string; before?: (backend: DevBackend) => void; afterATurn?: boolean },
) {
  const world = () =>
    useWorld(context, {
      backend: { tls: true },
      config: o.config,
      auth: async (backend) =>
        chatgptAuthJson(await backend.issueTokens({ email: 'dev@example.com', plan: 'plus' })),
    });
  return sideBySide(world, async (w: UpstreamWorld, command: AppServerCommand) => {
    const session = await AppServerSession.initialized(command);
    try {
      const threadId = await session.startThread(w.home.path, { model: o.model });
      if (o.afterATurn) {
        await session.startTurn(threadId, 'a turn that completes');
        await session.nextNotification('turn/completed');
      }
      o.before?.(w.backend);
      const turnId = await session.startTurn(threadId, 'cut here');
      await session.nextNotification<{ turn: { id: string } }>('turn/completed', (p) => p.turn.id === turnId);
      const methods = session.transcript
        .filter((e) => e.from === 'server' && e.message.id === undefined)
        .map((e) => e.message.method as string)
        .filter((m) => m !== 'item/agentMessage/delta');
      const errors = session.notifications<{ error: TurnError; willRetry: boolean }>('error');
      const { turn } = session.notifications<{ turn: Record<string, unknown> }>('turn/completed').at(-1)!;
      const usage = session
        .notifications<{ turnId: string; tokenUsage: TokenUsage }>('thread/tokenUsage/updated')
        .filter((n) => n.turnId === turnId)
        .map((n) => n.tokenUsage);
      // Upstream also sends a warm-up request (`generate: false`) on a new thread; turns are the others.
      const turnRequests = w.backend
        .modelRequests()
        .filter((b) => (b as { generate?: boolean }).generate !== false).length;
      return {
        methods: methods.slice(methods.lastIndexOf('turn/started')),
        usage,
        errors: errors.map(({ error, willRetry }) => ({
          willRetry,
          keys: Object.keys(error).sort(),
          message: error.message,
          codexErrorInfo: error.codexErrorInfo,
          additionalDetails: error.additionalDetails,
        })),
        turn: {
          status: turn.status,
          items: turn.items,
          itemsView: turn.itemsView,
          message: (turn.error as TurnError).message,
        },
        turnRequests,
        failedStatuses: w.backend
          .requests({ path: '/backend-api/codex/responses' })
          .filter((r) => r.status >= 400)
          .map((r) => r.status),
      };
    } finally {
      await session.close();
    }
  });
}

/** A run whose token counts are only their types: they differ by design (each side sends its own instructions). */
function withoutCounts<T extends { usage: TokenUsage[] }>(run: T): T {
  const types = (c: Counts) => Object.fromEntries(Object.entries(c).map(([k, v]) => [k, typeof v])) as never;
  return { ...run, usage: run.usage.map((u) => ({ ...u, total: types(u.total), last: types(u.last) })) };
}

/**
 * A run without what differs by design: upstream's and our words for a cause, the rate limits of each failed attempt
 * (upstream reports every attempt's; ours reports the turn's once), and the token counts.
 */
function comparable<
  T extends {
    methods: string[];
    errors: Array<{ message: string; additionalDetails: string | null }>;
    turn: { message: string };
    usage: TokenUsage[];
  },
>(run: T): T {
  return {
    ...withoutCounts(run),
    methods: run.methods.filter((m) => m !== 'account/rateLimits/updated'),
    errors: run.errors.map((e) => ({
      ...e,
      message: e.message.startsWith('Reconnecting... ') ? e.message : typeof e.message,
      additionalDetails: typeof e.additionalDetails,
    })),
    turn: { ...run.turn, message: typeof run.turn.message },
  };
}

describe.skipIf(!platform.supported)(
  upstreamTitle('turns that do not complete: codex-ts-app-server against upstream 0.169 `app-server`'),
  () => {
    it('response.incomplete fails the turn the same way: the same notifications in order, the same error, no retry', async (context) => {
      const { upstream, ours } = await failingTurn(context, {
        config: { model: 'dev-echo' },
        model: INCOMPLETE_MODEL,
      });
      // The model is not in the models list: both assume upstream's fallback window.
      expect(withoutCounts(ours)).toEqual(withoutCounts(upstream));
      expect(ours.usage.map((u) => u.modelContextWindow)).toEqual([258_400]);
      expect(ours.errors).toEqual([
        {
          willRetry: false,
          keys: ['additionalDetails', 'codexErrorInfo', 'message', 'misalignment'],
          message: 'Incomplete response returned, reason: max_output_tokens',
          codexErrorInfo: 'other',
          additionalDetails: null,
        },
      ]);
      expect(ours.turnRequests).toBe(1);
    });

    it('turn/interrupt while the request waits: the same notifications and the same interrupted turn/completed', async (context) => {
      const world = () =>
        useWorld(context, {
          backend: { tls: true },
          config: { model: 'dev-echo', customProvider: true },
          auth: async (backend) =>
            chatgptAuthJson(await backend.issueTokens({ email: 'dev@example.com', plan: 'plus' })),
        });
      const { upstream, ours } = await sideBySide(world, async (w, command) => {
        const session = await AppServerSession.initialized(command);
        try {
          const threadId = await session.startThread(w.home.path);
          w.backend.injectFault({ path: '/backend-api/codex/responses', delayMs: 60_000 });
          const turnId = await session.startTurn(threadId, 'stop');
          // Once the user message is in (upstream may otherwise stop the turn before it reports it).
          await session.nextNotification<{ item: { type: string } }>(
            'item/completed',
            (p) => p.item.type === 'userMessage',
          );
          const answer = await session.request('turn/interrupt', { threadId, turnId });
          const done = await session.nextNotification<{ turn: Record<string, unknown> }>('turn/completed');
          const methods = session.transcript
            .filter((e) => e.from === 'server' && e.message.id === undefined)
            .map((e) => e.message.method as string);
          const { status, error, items, itemsView } = done.turn;
          return {
            answer,
            methods: methods.slice(methods.indexOf('turn/started')),
            turn: { status, error, items, itemsView },
          };
        } finally {
          await session.close();
        }
      });
      expect(ours).toEqual(upstream);
      expect(ours.turn).toEqual({ status: 'interrupted', error: null, items: [], itemsView: 'notLoaded' });
    });

    // A provider of the config's (HTTP, as ours) with small budgets, so upstream's retries fit a test's time.
    const budgets = { customProvider: true, retries: { request: 1, stream: 1 } } satisfies Config;

    it('response.failed: each retry of the attempt is "Reconnecting... n/max" (stream disconnected, the cause), then the turn fails as `other`', async (context) => {
      const { upstream, ours } = await failingTurn(context, { config: budgets, model: FAILING_MODEL });
      expect(comparable(ours)).toEqual(comparable(upstream));
      expect(ours.errors.map((e) => [e.willRetry, e.message, e.codexErrorInfo])).toEqual([
        [true, 'Reconnecting... 1/1', { responseStreamDisconnected: { httpStatusCode: null } }],
        [false, 'the response failed (server_error): the dev-fail model always fails', 'other'],
      ]);
      expect(ours.errors[0]!.additionalDetails).toContain('the dev-fail model always fails');
      expect(ours.turnRequests).toBe(2);
    });

    it('500 throughout: requests resent unsaid, each attempt retried aloud, then `internalServerError`', async (context) => {
      const { upstream, ours } = await failingTurn(context, {
        config: budgets,
        model: 'dev-echo',
        before: (backend) =>
          backend.injectFault({ path: '/backend-api/codex/responses', status: 500, count: 100 }),
      });
      expect(comparable(ours)).toEqual(comparable(upstream));
      expect(ours.errors.map((e) => [e.willRetry, e.message, e.codexErrorInfo])).toEqual([
        [true, 'Reconnecting... 1/1', { responseStreamDisconnected: { httpStatusCode: null } }],
        [false, expect.any(String), 'internalServerError'],
      ]);
      // (1 + 1 request retry) × (1 + 1 stream retry).
      expect(ours.failedStatuses).toEqual([500, 500, 500, 500]);
    });

    // Statuses as upstream 0.169 treats them: which are resent within an attempt, which retry the attempt, which end
    // the turn at once, and the final `codexErrorInfo` of each.
    it.for([
      {
        status: 404,
        failed: [404, 404],
        errors: [
          [true, { responseStreamDisconnected: { httpStatusCode: 404 } }],
          [false, { httpConnectionFailed: { httpStatusCode: 404 } }],
        ],
      },
      {
        status: 408,
        failed: [408, 408],
        errors: [
          [true, { responseStreamDisconnected: { httpStatusCode: 408 } }],
          [false, { httpConnectionFailed: { httpStatusCode: 408 } }],
        ],
      },
      {
        status: 429,
        failed: [429],
        errors: [[false, { responseTooManyFailedAttempts: { httpStatusCode: 429 } }]],
      },
      {
        status: 400,
        body: { error: { type: 'invalid_request_error', message: 'bad thing', code: 'invalid_value' } },
        failed: [400],
        errors: [[false, 'other']],
      },
      {
        status: 503,
        body: { error: { code: 'server_is_overloaded', message: 'busy' } },
        failed: [503, 503],
        errors: [[false, 'serverOverloaded']],
      },
    ] as Array<{ status: number; body?: unknown; failed: number[]; errors: unknown[] }>)(
      'a $status throughout: the same requests, retries and final error',
      async ({ status, body, failed, errors }, context) => {
        const { upstream, ours } = await failingTurn(context, {
          config: budgets,
          model: 'dev-echo',
          before: (backend) =>
            backend.injectFault({
              path: '/backend-api/codex/responses',
              status,
              count: 100,
              ...(body === undefined ? {} : { body }),
            }),
        });
        expect(comparable(ours)).toEqual(comparable(upstream));
        expect(ours.failedStatuses).toEqual(failed);
        expect(ours.errors.map((e) => [e.willRetry, e.codexErrorInfo])).toEqual(errors);
      },
    );

    /**
     * A turn that completes, then one that fails on a limit (`status` with `body`): the same run both sides, in which
     * the failed turn reports the thread's usage before it goes idle.
     */
    async function limitAfterATurn(context: TestContext, status: number, body: unknown) {
      const runs = await failingTurn(context, {
        config: budgets,
        model: 'dev-echo',
        afterATurn: true,
        before: (backend) =>
          backend.injectFault({ path: '/backend-api/codex/responses', status, count: 100, body }),
      });
      expect(comparable(runs.ours)).toEqual(comparable(runs.upstream));
      expect(runs.ours.methods).toEqual([
        'turn/started',
        'item/started',
        'item/completed',
        'thread/tokenUsage/updated',
        'thread/status/changed',
        'error',
        'turn/completed',
      ]);
      return runs;
    }

    it("the context window exceeded after a turn: the thread's usage filled to the window, then the error", async (context) => {
      const { upstream, ours } = await limitAfterATurn(context, 400, {
        error: { code: 'context_length_exceeded', message: 'too long' },
      });
      const [filled] = ours.usage;
      const window = filled!.modelContextWindow!;
      expect(window).toBe(upstream.usage[0]!.modelContextWindow);
      expect(filled!.total).toEqual(upstream.usage[0]!.total);
      expect(filled!.total).toMatchObject({ totalTokens: window, inputTokens: 0, outputTokens: 0 });
      expect(filled!.last.totalTokens).toBeGreaterThan(0);
      expect(filled!.last.totalTokens).toBeLessThan(window);
    });

    it("a usage limit after a turn: the thread's usage again, then the error", async (context) => {
      const { ours } = await limitAfterATurn(context, 429, {
        error: { type: 'usage_limit_reached', message: 'limit', plan_type: 'plus', resets_at: 1900000000 },
      });
      // The usage again, as it stood after the first turn.
      expect(ours.usage).toHaveLength(1);
      expect(ours.usage[0]!.total.totalTokens).toBe(ours.usage[0]!.last.totalTokens);
      expect(ours.errors.map((e) => e.codexErrorInfo)).toEqual(['usageLimitExceeded']);
    });
  },
);
