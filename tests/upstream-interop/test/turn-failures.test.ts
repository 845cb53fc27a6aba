import { INCOMPLETE_MODEL } from '@codex-ts/dev-backend';
import { chatgptAuthJson } from '@codex-ts/dev-backend/testing';
import { describe, expect, it } from 'vitest';
import { AppServerSession } from '../src/app-server-session.js';
import { platform, sideBySide, upstreamTitle, useWorld } from './harness.js';

interface TurnError {
  message: string;
  codexErrorInfo: unknown;
  additionalDetails: string | null;
}

describe.skipIf(!platform.supported)(
  upstreamTitle(
    'a turn whose response is cut short: codex-ts-app-server against upstream 0.169 `app-server`',
  ),
  () => {
    it('response.incomplete fails the turn the same way: the same notifications in order, the same error, no retry', async (context) => {
      const world = () =>
        useWorld(context, {
          backend: { tls: true },
          config: { model: 'dev-echo' },
          auth: async (backend) =>
            chatgptAuthJson(await backend.issueTokens({ email: 'dev@example.com', plan: 'plus' })),
        });
      const { upstream, ours } = await sideBySide(world, async (w, command) => {
        const session = await AppServerSession.initialized(command);
        try {
          const { thread } = await session.request<{ thread: { id: string } }>('thread/start', {
            model: INCOMPLETE_MODEL,
            cwd: w.home.path,
          });
          await session.request('turn/start', {
            threadId: thread.id,
            input: [{ type: 'text', text: 'cut here', text_elements: [] }],
          });
          await session.nextNotification('turn/completed');
          const methods = session.transcript
            .filter((e) => e.from === 'server' && e.message.id === undefined)
            .map((e) => e.message.method as string)
            .filter((m) => m !== 'item/agentMessage/delta');
          const errors = session.notifications<{ error: TurnError; willRetry: boolean }>('error');
          const { turn } = session.notifications<{ turn: Record<string, unknown> }>('turn/completed')[0]!;
          // Upstream also sends a warm-up request (`generate: false`) on a new thread; turns are the others.
          const turnRequests = w.backend
            .modelRequests()
            .filter((b) => (b as { generate?: boolean }).generate !== false).length;
          return {
            methods: methods.slice(methods.indexOf('turn/started')),
            errors: errors.map(({ error, willRetry }) => ({
              willRetry,
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
          };
        } finally {
          await session.close();
        }
      });
      expect(ours).toEqual(upstream);
      expect(ours.errors).toEqual([
        {
          willRetry: false,
          message: 'Incomplete response returned, reason: max_output_tokens',
          codexErrorInfo: 'other',
          additionalDetails: null,
        },
      ]);
      expect(ours.turnRequests).toBe(1);
    });
  },
);
