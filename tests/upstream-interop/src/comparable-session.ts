import { AppServerRpcError, type AppServerSession } from './app-server-session.js';
import type { ReferenceSessionContext } from './reference-session.js';

/** What one step of the session got back: a result, an error, or "this server does not serve that method". */
export type StepOutcome =
  | { kind: 'result'; method: string; result: unknown }
  | { kind: 'error'; method: string; code: number; message: string }
  | { kind: 'unknownMethod'; method: string };

/** Each step's outcome under a stable label (`account/read@start`, `turn/start`, …), in order. */
export type SessionOutcomes = Map<string, StepOutcome>;

/** `-32600 Invalid request: unknown variant …`: the method is not one this server serves. */
function isUnknownMethod(err: unknown): boolean {
  return (
    err instanceof AppServerRpcError && err.code === -32600 && err.rpcMessage.includes('unknown variant')
  );
}

/**
 * The reference session (initialize → account/read → account/rateLimits/read → model/list → thread/start →
 * turn/start until turn/completed → thread/read → thread/list → app/list → device-code login → logout → API-key
 * login), run so that it can be compared between two servers: a method one server does not serve is recorded as
 * such and the steps that need its result are skipped, instead of ending the session. Waits on notifications,
 * never on time.
 */
export async function runComparableSession(
  session: AppServerSession,
  context: ReferenceSessionContext,
): Promise<SessionOutcomes> {
  const outcomes: SessionOutcomes = new Map();
  const step = async <T>(label: string, method: string, params?: unknown): Promise<T | undefined> => {
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

  await step('initialize', 'initialize', {
    clientInfo: { name: 'codex_ts_interop', title: 'codex-ts interop suite', version: '0.0.0' },
    capabilities: { experimentalApi: false },
  });
  session.notify('initialized');
  await step('account/read@start', 'account/read', { refreshToken: false });
  await step('account/rateLimits/read', 'account/rateLimits/read');
  await step('model/list', 'model/list', {});

  const thread = await step<{ thread: { id: string } }>('thread/start', 'thread/start', { cwd: context.cwd });
  const threadId = thread?.thread.id;
  if (threadId !== undefined) {
    const completed = session.nextNotification<{ threadId: string }>(
      'turn/completed',
      (p) => p.threadId === threadId,
    );
    const turn = await step('turn/start', 'turn/start', {
      threadId,
      input: [{ type: 'text', text: context.prompt, text_elements: [] }],
    });
    if (turn !== undefined) await completed;
    else completed.catch(() => {});
    await step('thread/read', 'thread/read', { threadId, includeTurns: turn !== undefined });
    await step('thread/list', 'thread/list', {});
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
