import { recordingAuthProvider, startScriptedServer } from '@codex-ts/auth-provider/testing';
import { BackendClient } from '@codex-ts/backend-client';
import { describe, expect, it } from 'vitest';
import { HttpCloudBackend } from '../src/index.js';

const details = {
  task: { id: 't1', title: 'A task', environment_id: 'env_1', updated_at: 1_700_000_000, extra: 'kept' },
  task_status_display: {
    latest_turn_status_display: {
      turn_status: 'failed',
      diff_stats: { files_modified: 2, lines_added: 3, lines_removed: 4 },
    },
    environment_label: 'Env One',
  },
  current_user_turn: {
    id: 'u1',
    input_items: [{ type: 'message', role: 'user', content: [{ content_type: 'text', text: 'do it' }] }],
  },
  current_assistant_turn: {
    id: 'a1',
    attempt_placement: 0,
    turn_status: 'in_progress',
    sibling_turn_ids: ['a2'],
    output_items: [
      { type: 'message', role: 'assistant', content: [{ content_type: 'text', text: 'working' }] },
    ],
  },
};

describe('HttpCloudBackend', () => {
  it('maps task details; concurrent readers of one task share one request, later ones ask again', async () => {
    const server = await startScriptedServer(() => ({ status: 200, body: JSON.stringify(details) }));
    try {
      const cloud = new HttpCloudBackend(
        new BackendClient({ baseUrl: `${server.url}/backend-api`, auth: recordingAuthProvider() }),
      );
      const [summary, text] = await Promise.all([cloud.getTaskSummary('t1'), cloud.getTaskText('t1')]);
      expect(server.seen).toHaveLength(1);
      expect(summary).toEqual({
        id: 't1',
        title: 'A task',
        status: 'error',
        updatedAt: '2023-11-14T22:13:20.000Z',
        environmentId: 'env_1',
        environmentLabel: 'Env One',
        summary: { filesChanged: 2, linesAdded: 3, linesRemoved: 4 },
        attemptTotal: 2,
      });
      expect(text).toEqual({
        prompt: 'do it',
        messages: ['working'],
        turnId: 'a1',
        siblingTurnIds: ['a2'],
        attemptPlacement: 0,
        attemptStatus: 'in-progress',
      });
      await cloud.getTaskMessages('t1');
      expect(server.seen).toHaveLength(2);
      expect(await cloud.getTaskDiff('t1')).toBeUndefined();
    } finally {
      await server.close();
    }
  });
});
