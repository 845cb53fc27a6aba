import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { backend, postJson } from './helpers.js';

// What upstream Codex 0.169 needs from the dev backend (issue 8 §2); tests/upstream-interop drives the real binary.

const RATE_LIMIT_HEADERS = [
  'x-codex-active-limit',
  'x-codex-credits-balance',
  'x-codex-credits-has-credits',
  'x-codex-credits-unlimited',
  'x-codex-primary-reset-at',
  'x-codex-primary-used-percent',
  'x-codex-primary-window-minutes',
  'x-codex-secondary-reset-at',
  'x-codex-secondary-used-percent',
  'x-codex-secondary-window-minutes',
];

function rateLimitHeadersOf(headers: Headers | Record<string, string | string[] | undefined>) {
  const entries =
    headers instanceof Headers
      ? [...headers.entries()]
      : Object.entries(headers).map(([k, v]) => [k, String(v)]);
  return Object.fromEntries(entries.filter(([name]) => name!.startsWith('x-codex-')));
}

function expectedRateLimitHeaders(nowSeconds: number) {
  return {
    'x-codex-primary-used-percent': '0',
    'x-codex-primary-window-minutes': '300',
    'x-codex-primary-reset-at': String(nowSeconds + 5 * 3600),
    'x-codex-secondary-used-percent': '0',
    'x-codex-secondary-window-minutes': '10080',
    'x-codex-secondary-reset-at': String(nowSeconds + 7 * 86400),
    'x-codex-credits-has-credits': 'false',
    'x-codex-credits-unlimited': 'false',
    'x-codex-credits-balance': '0',
    'x-codex-active-limit': 'codex',
  };
}

describe('rate limits on Responses', () => {
  it('an SSE response carries the x-codex-* rate-limit headers', async () => {
    const b = await backend({ clockOffsetSeconds: 0 });
    const tokens = await b.issueTokens();
    const before = Math.floor(Date.now() / 1000);
    const res = await postJson(
      `${b.chatgptBaseUrl}/codex/responses`,
      { model: 'dev-echo', stream: true, input: [{ role: 'user', content: 'hi' }] },
      { authorization: `Bearer ${tokens.access_token}` },
    );
    await res.text();
    const { 'x-codex-plan-type': planType, ...headers } = rateLimitHeadersOf(res.headers);
    expect(planType).toBe('plus');
    expect(Object.keys(headers).sort()).toEqual(RATE_LIMIT_HEADERS);
    const now = Number(headers['x-codex-primary-reset-at']) - 5 * 3600;
    expect(now - before).toBeGreaterThanOrEqual(0);
    expect(headers).toEqual(expectedRateLimitHeaders(now));
  });

  it('a websocket carries them on the upgrade and sends codex.rate_limits before each response', async () => {
    const b = await backend();
    const tokens = await b.issueTokens({ plan: 'pro' });
    const ws = new WebSocket(`${b.chatgptBaseUrl.replace('http', 'ws')}/codex/responses`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    let upgrade: Record<string, string | string[] | undefined> = {};
    ws.once('upgrade', (res) => {
      upgrade = res.headers;
    });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const frames: Record<string, unknown>[] = [];
    const completed = new Promise<void>((resolve) => {
      ws.on('message', (data) => {
        const event = JSON.parse(String(data)) as Record<string, unknown>;
        frames.push(event);
        if (event.type === 'response.completed') resolve();
      });
    });
    ws.send(
      JSON.stringify({
        type: 'response.create',
        model: 'dev-echo',
        input: [{ role: 'user', content: 'hi' }],
      }),
    );
    await completed;
    ws.close();
    const headers = rateLimitHeadersOf(upgrade);
    const now = Number(headers['x-codex-primary-reset-at']) - 5 * 3600;
    expect(headers).toEqual(expectedRateLimitHeaders(now));
    expect(frames.map((f) => f.type).slice(0, 2)).toEqual(['codex.rate_limits', 'response.created']);
    expect(frames[0]).toEqual({
      type: 'codex.rate_limits',
      plan_type: 'pro',
      metered_limit_name: 'codex',
      rate_limits: {
        allowed: true,
        limit_reached: false,
        primary: { used_percent: 0, window_minutes: 300, reset_at: now + 5 * 3600 },
        secondary: { used_percent: 0, window_minutes: 10080, reset_at: now + 7 * 86400 },
      },
      credits: { has_credits: false, unlimited: false, balance: '0' },
    });
  });
});

describe('usage (GET wham/usage)', () => {
  async function usageFor(plan: string) {
    const b = await backend({ clockOffsetSeconds: 0 });
    const tokens = await b.issueTokens({ plan });
    const res = await fetch(`${b.chatgptBaseUrl}/wham/usage`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    return { tokens, body: (await res.json()) as Record<string, unknown> };
  }

  it('names the account and user, and reports spend control not reached with no share for a personal plan', async () => {
    const { tokens, body } = await usageFor('plus');
    expect(body).toMatchObject({
      plan_type: 'plus',
      spend_control: { reached: false, individual_limit: null },
      account_id: tokens.account_id,
      user_id: expect.stringMatching(/^user-/),
      rate_limit_reached_type: null,
    });
  });

  it('gives a business member an individual share of the workspace credits, nothing spent', async () => {
    const { body } = await usageFor('business');
    const now = Math.floor(Date.now() / 1000);
    const share = (body.spend_control as { individual_limit: Record<string, number> }).individual_limit;
    expect(share).toEqual({
      limit: '100',
      used: '0',
      remaining: '100',
      used_percent: 0,
      remaining_percent: 100,
      reset_after_seconds: 30 * 86400,
      reset_at: expect.any(Number),
    });
    expect(Math.abs(share.reset_at! - (now + 30 * 86400))).toBeLessThanOrEqual(2);
  });
});
