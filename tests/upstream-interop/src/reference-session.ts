import type { AppServerSession } from './app-server-session.js';

/** What the reference session needs from the world around the app-server under test. */
export interface ReferenceSessionContext {
  /** Approves a device code as the user would on the verification page (the dev backend: `POST /dev/device/approve`). */
  approveDeviceCode(userCode: string): Promise<void>;
  /** The key the final `apiKey` login uses. */
  apiKey: string;
  /** The working directory of the thread. */
  cwd: string;
  /** The user message of the one turn. */
  prompt: string;
}

/** The results a test asserts on, step by step (the transcript holds every message). */
export interface ReferenceSessionResults {
  initialize: Record<string, unknown>;
  accountRead: Record<string, unknown>;
  rateLimits: Record<string, unknown>;
  models: { data: { id: string; model: string }[] };
  thread: { thread: { id: string } } & Record<string, unknown>;
  turnStart: { turn: { id: string } } & Record<string, unknown>;
  /** The `item/agentMessage/delta` deltas of the turn, in order. */
  deltas: string[];
  turnCompleted: { threadId: string; turn: { id: string; status: string } & Record<string, unknown> };
  apps: Record<string, unknown>;
  deviceLogin: { type: string; loginId: string; userCode: string; verificationUrl: string };
  deviceLoginCompleted: Record<string, unknown>;
  accountAfterDeviceLogin: Record<string, unknown>;
  logout: Record<string, unknown>;
  accountAfterLogout: Record<string, unknown>;
  apiKeyLogin: Record<string, unknown>;
  apiKeyLoginCompleted: Record<string, unknown>;
  accountAfterApiKeyLogin: Record<string, unknown>;
}

type AgentDelta = { turnId: string; delta: string };

/**
 * The scripted session every app-server is measured by: initialize → account/read → account/rateLimits/read →
 * model/list → thread/start → turn/start (waits for turn/completed) → app/list → device-code login → logout →
 * API-key login. It drives any app-server through an AppServerSession and waits on notifications, never on time.
 */
export async function runReferenceSession(
  session: AppServerSession,
  context: ReferenceSessionContext,
): Promise<ReferenceSessionResults> {
  const initialize = await session.request<Record<string, unknown>>('initialize', {
    clientInfo: { name: 'codex_ts_interop', title: 'codex-ts interop suite', version: '0.0.0' },
    capabilities: { experimentalApi: false },
  });
  session.notify('initialized');
  const accountRead = await session.request<Record<string, unknown>>('account/read', { refreshToken: false });
  const rateLimits = await session.request<Record<string, unknown>>('account/rateLimits/read');
  const models = await session.request<ReferenceSessionResults['models']>('model/list', {});

  const thread = await session.request<ReferenceSessionResults['thread']>('thread/start', {
    cwd: context.cwd,
  });
  const threadId = thread.thread.id;
  const turnStart = await session.request<ReferenceSessionResults['turnStart']>('turn/start', {
    threadId,
    input: [{ type: 'text', text: context.prompt, text_elements: [] }],
  });
  const turnCompleted = await session.nextNotification<ReferenceSessionResults['turnCompleted']>(
    'turn/completed',
    (p) => p.threadId === threadId,
  );
  const deltas = session
    .notifications<AgentDelta>('item/agentMessage/delta')
    .filter((d) => d.turnId === turnStart.turn.id)
    .map((d) => d.delta);

  const apps = await session.request<Record<string, unknown>>('app/list', {});

  const deviceLogin = await session.request<ReferenceSessionResults['deviceLogin']>('account/login/start', {
    type: 'chatgptDeviceCode',
  });
  await context.approveDeviceCode(deviceLogin.userCode);
  const deviceLoginCompleted = await session.nextNotification<Record<string, unknown>>(
    'account/login/completed',
    (p) => p.loginId === deviceLogin.loginId,
  );
  const accountAfterDeviceLogin = await session.request<Record<string, unknown>>('account/read', {
    refreshToken: false,
  });

  const logout = await session.request<Record<string, unknown>>('account/logout');
  const accountAfterLogout = await session.request<Record<string, unknown>>('account/read', {
    refreshToken: false,
  });

  const apiKeyLogin = await session.request<Record<string, unknown>>('account/login/start', {
    type: 'apiKey',
    apiKey: context.apiKey,
  });
  const apiKeyLoginCompleted = await session.nextNotification<Record<string, unknown>>(
    'account/login/completed',
    (p) => p.loginId === null || p.loginId === undefined,
  );
  const accountAfterApiKeyLogin = await session.request<Record<string, unknown>>('account/read', {
    refreshToken: false,
  });

  return {
    initialize,
    accountRead,
    rateLimits,
    models,
    thread,
    turnStart,
    deltas,
    turnCompleted,
    apps,
    deviceLogin,
    deviceLoginCompleted,
    accountAfterDeviceLogin,
    logout,
    accountAfterLogout,
    apiKeyLogin,
    apiKeyLoginCompleted,
    accountAfterApiKeyLogin,
  };
}
