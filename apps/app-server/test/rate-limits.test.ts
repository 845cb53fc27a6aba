import { describe, expect, it } from 'vitest';
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
