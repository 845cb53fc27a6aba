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

describe('account/rateLimits/read', () => {
  it('ChatGPT auth: backend-client’s /wham/usage over the background task, as upstream’s snapshot', async () => {
    const home = tempHome();
    writeConfig(home, backend, true);
    const tokens = await backend.issueTokens({ email: uniqueEmail(), plan: 'plus' });
    writeChatgptAuth(home, tokens);
    h = await harness(home, backendEnv(backend, home));
    await h.client.initialize();
    const res = await h.client.result<{
      rateLimits: Record<string, unknown>;
      rateLimitsByLimitId: Record<string, unknown>;
    }>('account/rateLimits/read');
    expect(res.rateLimits).toMatchObject({
      limitId: 'codex',
      primary: { usedPercent: expect.any(Number), windowDurationMins: expect.any(Number) },
      planType: 'plus',
    });
    expect(res.rateLimitsByLimitId.codex).toEqual(res.rateLimits);
    expect(res).toMatchObject({ accountId: tokens.account_id });
    const usage = backend.requests({ path: '/backend-api/wham/usage' });
    expect(usage.map((r) => [r.status, r.authScheme, r.taskKind])).toEqual([
      [200, 'assertion', 'background'],
    ]);
  });

  it('a turn’s rate-limit data becomes account/rateLimits/updated', async () => {
    const home = tempHome();
    writeConfig(home, backend, false);
    writeChatgptAuth(home, await backend.issueTokens({ email: uniqueEmail(), plan: 'plus' }));
    h = await harness(home, backendEnv(backend, home));
    await h.client.initialize();
    const { thread } = await h.client.result<{ thread: { id: string } }>('thread/start', {});
    await h.client.result('turn/start', {
      threadId: thread.id,
      input: [{ type: 'text', text: 'x', text_elements: [] }],
    });
    const updated = await h.client.next('account/rateLimits/updated');
    expect(updated.params).toMatchObject({ rateLimits: { limitId: 'codex' } });
    await h.client.next('turn/completed');
  });

  it('API key: -32600 as upstream, and nothing is asked', async () => {
    const home = tempHome();
    writeConfig(home, backend, false);
    h = await harness(home, backendEnv(backend, home));
    await h.client.initialize();
    await h.client.result('account/login/start', { type: 'apiKey', apiKey: 'sk-rl' });
    expect((await h.client.call('account/rateLimits/read')).error).toEqual({
      code: -32600,
      message: 'codex account authentication required to read rate limits',
    });
    expect(backend.requests()).toEqual([]);
  });
});
