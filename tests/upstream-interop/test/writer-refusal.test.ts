import { chatgptAuthJson } from '@codex-ts/dev-backend/testing';
import type { TestContext } from 'vitest';
import { describe, expect, it } from 'vitest';
import { type AppServerCommand, AppServerRpcError, AppServerSession } from '../src/app-server-session.js';
import { platform, sideBySide, type UpstreamWorld, upstreamTitle, useWorld } from './harness.js';

async function world(context: TestContext): Promise<UpstreamWorld> {
  return useWorld(context, {
    backend: { tls: true },
    config: { model: 'dev-echo' },
    auth: async (backend) => chatgptAuthJson(await backend.issueTokens({ email: 'dev@example.com' })),
  });
}

/**
 * A thread with one turn, held by a live server; a second server on the same CODEX_HOME resumes it (refused), then
 * again once the first has closed. What the first resume answered, with the thread's id taken out.
 */
async function refusal(w: UpstreamWorld, command: AppServerCommand) {
  const first = await AppServerSession.initialized(command);
  const second = await AppServerSession.initialized(command);
  try {
    const threadId = await first.startThread(w.home.path);
    await first.startTurn(threadId, 'hold this thread');
    await first.nextNotification('turn/completed');
    const refused = await second.request('thread/resume', { threadId }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppServerRpcError);
    await first.close();
    const resumed = await second.request<{ thread: { id: string } }>('thread/resume', {
      threadId,
    });
    expect(resumed.thread.id).toBe(threadId);
    const { code, rpcMessage } = refused as AppServerRpcError;
    return { code, message: rpcMessage.replace(threadId, '<thread>') };
  } finally {
    await Promise.all([first.close(), second.close()]);
  }
}

describe.skipIf(!platform.supported)(
  upstreamTitle('a thread another live app-server holds: codex-ts refuses the resume as upstream 0.169 does'),
  () => {
    it('the same error from both while the first server runs; the resume succeeds once it has closed', async (context) => {
      const { upstream, ours } = await sideBySide(() => world(context), refusal);
      expect(upstream).toEqual({ code: -32600, message: 'thread <thread> already has an active writer' });
      expect(ours).toEqual(upstream);
    });
  },
);
