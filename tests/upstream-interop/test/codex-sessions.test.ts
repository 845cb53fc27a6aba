import { fileURLToPath } from 'node:url';
import { chatgptAuthJson } from '@codex-ts/dev-backend/testing';
import { describe, expect, it } from 'vitest';
import { type AppServerCommand, AppServerRpcError, AppServerSession } from '../src/app-server-session.js';
import { platform, type UpstreamWorld, upstreamBinary, upstreamTitle, useWorld } from './harness.js';

const OURS = fileURLToPath(new URL('./cli.js', import.meta.resolve('@codex-ts/app-server')));

async function opened(w: UpstreamWorld, argv: AppServerCommand['argv'], env: Record<string, string>) {
  const session = AppServerSession.start({ argv, env, cwd: w.home.path });
  await session.request('initialize', { clientInfo: { name: 'codex_ts_interop', version: '0.0.0' } });
  session.notify('initialized');
  return session;
}

describe.skipIf(!platform.supported)(
  upstreamTitle('one CODEX_HOME for upstream 0.169 and codex-ts: each keeps to its own threads'),
  () => {
    it('a thread upstream wrote is not listed by codex-ts, and reading it is refused with what wrote it', async (context) => {
      const w = await useWorld(context, {
        backend: { tls: true },
        config: { model: 'dev-echo' },
        auth: async (backend) => chatgptAuthJson(await backend.issueTokens({ email: 'dev@example.com' })),
      });
      const upstream = await opened(w, [upstreamBinary('0.169.0'), 'app-server'], w.env);
      const ours = await opened(w, [process.execPath, OURS], {
        ...w.env,
        NODE_EXTRA_CA_CERTS: w.backend.caFile!,
      });
      try {
        const { thread } = await upstream.request<{ thread: { id: string } }>('thread/start', {
          cwd: w.home.path,
        });
        await upstream.request('turn/start', {
          threadId: thread.id,
          input: [{ type: 'text', text: 'a thread of upstream’s', text_elements: [] }],
        });
        await upstream.nextNotification('turn/completed');
        const own = await ours.request<{ thread: { id: string } }>('thread/start', { cwd: w.home.path });

        const listed = await ours.request<{ data: Array<{ id: string }> }>('thread/list', {});
        expect(listed.data.map((t) => t.id)).toEqual([own.thread.id]);
        const refused = await ours.request('thread/read', { threadId: thread.id }).catch((e: unknown) => e);
        expect(refused).toBeInstanceOf(AppServerRpcError);
        expect(refused).toMatchObject({
          code: -32600,
          rpcMessage: `thread ${thread.id} was written by Codex 0.169.0: codex-ts replays only the threads it wrote`,
        });
      } finally {
        await Promise.all([upstream.close(), ours.close()]);
      }
    });
  },
);
