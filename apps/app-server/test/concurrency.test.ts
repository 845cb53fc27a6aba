import { describe, expect, it } from 'vitest';
import {
  backendEnv,
  type DevBackend,
  type Harness,
  harness,
  tempHome,
  uniqueEmail,
  useDevBackend,
  writeChatgptAuth,
  writeConfig,
} from './support/fixture.js';

let backend: DevBackend;
useDevBackend((b) => {
  backend = b;
});

let h: Harness | undefined;

describe('100 concurrent thread/start (flag on)', () => {
  it('make exactly 100 thread-task registrations and 1 identity', { timeout: 60_000 }, async () => {
    const home = tempHome();
    writeConfig(home, backend, true);
    writeChatgptAuth(home, await backend.issueTokens({ email: uniqueEmail() }));
    h = await harness(home, backendEnv(backend, home));
    await h.client.initialize();
    const identitiesBefore = backend.identities().length;
    const registered = new Set<string>();
    const all = new Promise<void>((resolve) => {
      h!.server.context.auth.onThreadTask((threadId) => {
        registered.add(threadId);
        if (registered.size === 100) resolve();
      });
    });
    const results = await Promise.all(
      Array.from({ length: 100 }, () => h!.client.result<{ thread: { id: string } }>('thread/start', {})),
    );
    await all;
    const ids = new Set(results.map((r) => r.thread.id));
    expect(ids.size).toBe(100);
    expect(registered).toEqual(ids);
    const tasks = backend.tasks().filter((t) => t.kind === 'thread' && ids.has(t.externalTaskRef ?? ''));
    expect(tasks).toHaveLength(100);
    expect(backend.identities().length - identitiesBefore).toBe(1);
    expect(new Set(tasks.map((t) => t.agentRuntimeId)).size).toBe(1);
    expect(backend.requests({ path: '/backend-api/v1/agent/register' })).toHaveLength(1);
  });
});
