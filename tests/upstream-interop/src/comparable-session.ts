import { AppServerRpcError, type AppServerSession } from './app-server-session.js';
import type { ReferenceSessionContext } from './reference-session.js';

/** What one step of the session got back: a result, an error, or "this server does not serve that method". */
export type StepOutcome =
  | { kind: 'result'; method: string; result: unknown }
  | { kind: 'error'; method: string; code: number; message: string }
  | { kind: 'unknownMethod'; method: string };

/** Each step's outcome under a stable label (`account/read@start`, `turn/start`, …), in order. */
export type SessionOutcomes = Map<string, StepOutcome>;

export interface ComparableSessionContext extends ReferenceSessionContext {
  /**
   * Starts another server process on the same `CODEX_HOME`. Given, the first process is closed after its turn and
   * `thread/list`, and the session goes on in the new one: `thread/resume` of the thread, another turn, `thread/read`,
   * then the rest. (Upstream refuses to resume a thread another live process holds: "already has an active writer".)
   */
  startAnother?: () => AppServerSession;
}

/** `-32600 Invalid request: unknown variant …`: the method is not one this server serves. */
function isUnknownMethod(err: unknown): boolean {
  return (
    err instanceof AppServerRpcError && err.code === -32600 && err.rpcMessage.includes('unknown variant')
  );
}

type Step = <T>(label: string, method: string, params?: unknown) => Promise<T | undefined>;

/** A step runner on `session` that records each outcome in `outcomes`. */
function stepsOn(session: AppServerSession, outcomes: SessionOutcomes): Step {
  return async <T>(label: string, method: string, params?: unknown): Promise<T | undefined> => {
    try {
      const result = await session.request<T>(method, params);
      outcomes.set(label, { kind: 'result', method, result });
      return result;
    } catch (err) {
      if (isUnknownMethod(err)) outcomes.set(label, { kind: 'unknownMethod', method });
      else if (err instanceof AppServerRpcError) {
        outcomes.set(label, { kind: 'error', method, code: err.code, message: err.rpcMessage });
      } else throw err;
      return undefined;
    }
  };
}

/** `initialize` and `initialized`, as a client opens a session. */
async function initialize(session: AppServerSession, step: Step, label: string): Promise<void> {
  await step(label, 'initialize', {
    clientInfo: { name: 'codex_ts_interop', title: 'codex-ts interop suite', version: '0.0.0' },
    capabilities: { experimentalApi: false },
  });
  session.notify('initialized');
}

/** One turn on `threadId`, waited on until `turn/completed`; undefined when `turn/start` failed. */
async function turn(
  session: AppServerSession,
  step: Step,
  label: string,
  threadId: string,
  prompt: string,
): Promise<unknown> {
  const completed = session.nextNotification<{ threadId: string }>(
    'turn/completed',
    (p) => p.threadId === threadId,
  );
  const started = await step(label, 'turn/start', {
    threadId,
    input: [{ type: 'text', text: prompt, text_elements: [] }],
  });
  if (started !== undefined) await completed;
  else completed.catch(() => {});
  return started;
}

/**
 * The reference session (initialize → account/read → account/rateLimits/read → model/list → thread/start →
 * turn/start until turn/completed → thread/read → thread/list → [a new process: thread/resume → a turn → thread/read]
 * → app/list → device-code login → logout → API-key login), run so that it can be compared between two
 * servers: a method one server does not serve is recorded as such and the steps that need its result are skipped,
 * instead of ending the session. Waits on notifications, never on time.
 */
export async function runComparableSession(
  first: AppServerSession,
  context: ComparableSessionContext,
): Promise<SessionOutcomes> {
  const outcomes: SessionOutcomes = new Map();
  let session = first;
  let step = stepsOn(session, outcomes);
  await initialize(session, step, 'initialize');
  await step('account/read@start', 'account/read', { refreshToken: false });
  await step('account/rateLimits/read', 'account/rateLimits/read');
  await step('model/list', 'model/list', {});

  const thread = await step<{ thread: { id: string } }>('thread/start', 'thread/start', { cwd: context.cwd });
  const threadId = thread?.thread.id;
  if (threadId !== undefined) {
    const turned = await turn(session, step, 'turn/start', threadId, context.prompt);
    await step('thread/read', 'thread/read', { threadId, includeTurns: turned !== undefined });
    await step('thread/list', 'thread/list', {});
    if (turned !== undefined && context.startAnother) {
      await session.close();
      session = context.startAnother();
      step = stepsOn(session, outcomes);
      await initialize(session, step, 'initialize@resumed');
      const resumed = await step('thread/resume', 'thread/resume', { threadId });
      if (resumed !== undefined) {
        const again = await turn(session, step, 'turn/start@resumed', threadId, context.prompt);
        await step('thread/read@resumed', 'thread/read', { threadId, includeTurns: again !== undefined });
      }
    }
  }
  await step('app/list', 'app/list', {});

  const device = await step<{ loginId: string; userCode: string }>(
    'account/login/start@device',
    'account/login/start',
    {
      type: 'chatgptDeviceCode',
    },
  );
  if (device !== undefined) {
    const completed = session.nextNotification<{ loginId: string }>(
      'account/login/completed',
      (p) => p.loginId === device.loginId,
    );
    await context.approveDeviceCode(device.userCode);
    await completed;
    await step('account/read@device', 'account/read', { refreshToken: false });
  }
  await step('account/logout', 'account/logout');
  await step('account/read@loggedOut', 'account/read', { refreshToken: false });
  const apiKey = await step('account/login/start@apiKey', 'account/login/start', {
    type: 'apiKey',
    apiKey: context.apiKey,
  });
  if (apiKey !== undefined) {
    await session.nextNotification<{ loginId?: string | null }>(
      'account/login/completed',
      (p) => p.loginId === null || p.loginId === undefined,
    );
    await step('account/read@apiKey', 'account/read', { refreshToken: false });
  }
  return outcomes;
}
