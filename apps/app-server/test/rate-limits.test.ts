import { describe, expect, it, vi } from 'vitest';
import { useDevWorld } from './support/dev-world.js';

const world = useDevWorld();

describe('account/rateLimits/read', () => {
  it('ChatGPT auth: backend-client’s /wham/usage over the background task, as upstream’s snapshot', async () => {
    const home = await world.home({ flag: true, signedIn: false });
    const tokens = await world.signIn(home, { plan: 'plus' });
    const h = await world.server({ home });
    const res = await h.client.result<Record<string, unknown>>('account/rateLimits/read');
    const window = (mins: number) => ({
      usedPercent: 0,
      windowDurationMins: mins,
      resetsAt: expect.any(Number),
    });
    const codex = {
      limitId: 'codex',
      limitName: null,
      normalModelSlug: null,
      primary: window(300),
      secondary: window(10080),
      credits: { hasCredits: false, unlimited: false, balance: '0' },
      individualLimit: null,
      spendControlReached: false,
      planType: 'plus',
      rateLimitReachedType: null,
    };
    expect(res).toEqual({
      rateLimits: codex,
      rateLimitsByLimitId: { codex },
      ordinaryUsageAllowed: true,
      rateLimitResetCredits: { availableCount: 0, credits: [] },
      accountId: tokens.account_id,
      rateLimitUpsell: null,
    });
    for (const path of ['/backend-api/wham/usage', '/backend-api/wham/rate-limit-reset-credits']) {
      expect(world.backend.requests({ path }).map((r) => [r.status, r.authScheme, r.taskKind])).toEqual([
        [200, 'assertion', 'background'],
      ]);
    }
  });

  it('a business member: the individual share of the workspace’s credits', async () => {
    const h = await world.server({ plan: 'business' });
    const res = await h.client.result<{ rateLimits: Record<string, unknown> }>('account/rateLimits/read');
    expect(res.rateLimits).toMatchObject({
      planType: 'business',
      spendControlReached: false,
      individualLimit: { limit: '100', used: '0', remainingPercent: 100, resetsAt: expect.any(Number) },
    });
  });

  it('a turn’s rate-limit data becomes account/rateLimits/updated', async () => {
    const h = await world.server({ plan: 'plus' });
    const { thread } = await h.client.result<{ thread: { id: string } }>('thread/start', {});
    await h.client.result('turn/start', {
      threadId: thread.id,
      input: [{ type: 'text', text: 'x', text_elements: [] }],
    });
    const updated = await h.client.next('account/rateLimits/updated');
    // The headers name the plan; quota alias, spend control and reached type are not in a rolling update.
    expect(updated.params).toEqual({
      rateLimits: {
        limitId: 'codex',
        limitName: null,
        normalModelSlug: null,
        primary: { usedPercent: 0, windowDurationMins: 300, resetsAt: expect.any(Number) },
        secondary: { usedPercent: 0, windowDurationMins: 10080, resetsAt: expect.any(Number) },
        credits: { hasCredits: false, unlimited: false, balance: '0' },
        individualLimit: null,
        spendControlReached: null,
        planType: 'plus',
        rateLimitReachedType: null,
      },
    });
    await h.client.next('turn/completed');
  });

  it('a turn that fails after the response headers still reports their rate limits, before it goes idle', async () => {
    const h = await world.server({ plan: 'plus' });
    const { thread } = await h.client.result<{ thread: { id: string } }>('thread/start', {});
    const input = [{ type: 'text', text: 'x', text_elements: [] }];
    await h.client.result('turn/start', { threadId: thread.id, input });
    await h.client.next('turn/completed');
    // The next turn gets its response headers and then fails (no usage, so no token-usage report to ride on); the
    // response itself is read to its end, so the backend is done with it when the test is.
    const session = h.server.context.threads.require(thread.id).model!.session;
    const stream = session.stream.bind(session);
    const spy = vi.spyOn(session, 'stream').mockImplementation(async function* (request, options) {
      for await (const event of stream(request, options)) if (event.type === 'metadata') yield event;
      throw new Error('the stream broke after its headers');
    });
    try {
      const before = h.client.raw.length;
      const { turn } = await h.client.result<{ turn: { id: string } }>('turn/start', {
        threadId: thread.id,
        input,
      });
      await h.client.next('turn/completed', (p) => (p.turn as { id: string }).id === turn.id);
      const sent = h.client.raw.slice(before) as Array<{ method?: string; params?: unknown }>;
      const methods = sent.flatMap((m) => (m.method ? [m.method] : []));
      // Upstream 0.169's order for a failed turn: the final error last before turn/completed.
      expect(methods.slice(-4)).toEqual([
        'account/rateLimits/updated',
        'thread/status/changed',
        'error',
        'turn/completed',
      ]);
      const updates = sent.filter((m) => m.method === 'account/rateLimits/updated');
      expect(updates).toHaveLength(1);
      expect(updates[0]!.params).toMatchObject({ rateLimits: { limitId: 'codex', planType: 'plus' } });
    } finally {
      spy.mockRestore();
    }
  });

  it('API key: -32600 as upstream, and nothing is asked', async () => {
    const h = await world.server({ signedIn: false });
    await h.client.result('account/login/start', { type: 'apiKey', apiKey: 'sk-rl' });
    expect((await h.client.call('account/rateLimits/read')).error).toEqual({
      code: -32600,
      message: 'codex account authentication required to read rate limits',
    });
    expect(world.backend.requests()).toEqual([]);
  });
});
