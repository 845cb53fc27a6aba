import { chatgptAuthJson } from '@codex-ts/dev-backend/testing';
import { describe, expect, it } from 'vitest';
import { AppServerRpcError, AppServerSession } from '../src/app-server-session.js';
import { oursAppServer, platform, upstreamAppServer, upstreamTitle, useWorld } from './harness.js';

describe.skipIf(!platform.supported)(
  upstreamTitle('one CODEX_HOME for upstream 0.169 and codex-ts: each keeps to its own threads'),
  () => {
    it('a thread upstream wrote is not listed by codex-ts, and reading it is refused with what wrote it', async (context) => {
      const w = await useWorld(context, {
        backend: { tls: true },
        config: { model: 'dev-echo' },
        auth: async (backend) => chatgptAuthJson(await backend.issueTokens({ email: 'dev@example.com' })),
      });
      const upstream = await AppServerSession.initialized(upstreamAppServer(w));
      const ours = await AppServerSession.initialized(oursAppServer(w));
      try {
        const threadId = await upstream.startThread(w.home.path);
        await upstream.startTurn(threadId, 'a thread of upstream’s');
        await upstream.nextNotification('turn/completed');
        const own = await ours.request<{ thread: { id: string } }>('thread/start', { cwd: w.home.path });

        const listed = await ours.request<{ data: Array<{ id: string }> }>('thread/list', {});
        expect(listed.data.map((t) => t.id)).toEqual([own.thread.id]);
        const refused = await ours.request('thread/read', { threadId }).catch((e: unknown) => e);
        expect(refused).toBeInstanceOf(AppServerRpcError);
        expect(refused).toMatchObject({
          code: -32600,
          rpcMessage: `thread ${threadId} was written by Codex 0.169.0: codex-ts replays only the threads it wrote`,
        });
      } finally {
        await Promise.all([upstream.close(), ours.close()]);
      }
    });
  },
);
