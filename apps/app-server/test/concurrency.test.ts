import { describe, expect, it } from 'vitest';
import { useDevWorld } from './support/dev-world.js';

const world = useDevWorld();

describe('100 concurrent thread/start (flag on)', () => {
  it('make exactly 100 thread-task registrations and 1 identity', { timeout: 60_000 }, async () => {
    const h = await world.server({ flag: true });
    const identitiesBefore = world.backend.identities().length;
    const registered = new Set<string>();
    const all = new Promise<void>((resolve) => {
      h.server.context.auth.onThreadTask((threadId) => {
        registered.add(threadId);
        if (registered.size === 100) resolve();
      });
    });
    const results = await Promise.all(
      Array.from({ length: 100 }, () => h.client.result<{ thread: { id: string } }>('thread/start', {})),
    );
    await all;
    const ids = new Set(results.map((r) => r.thread.id));
    expect(ids.size).toBe(100);
    expect(registered).toEqual(ids);
    const tasks = world.backend
      .tasks()
      .filter((t) => t.kind === 'thread' && ids.has(t.externalTaskRef ?? ''));
    expect(tasks).toHaveLength(100);
    expect(world.backend.identities().length - identitiesBefore).toBe(1);
    expect(new Set(tasks.map((t) => t.agentRuntimeId)).size).toBe(1);
    expect(world.backend.requests({ path: '/backend-api/v1/agent/register' })).toHaveLength(1);
  });
});
