import { describe, expect, it } from 'vitest';
import { CodexAuth } from '../src/auth.js';
import {
  needsRefresh,
  REFRESH_WINDOW_MS,
  refreshDueAtMs,
  TOKEN_REFRESH_INTERVAL_MS,
} from '../src/token-freshness.js';

const NOW = Date.parse('2026-06-01T12:00:00.000Z');

function jwt(payload: Record<string, unknown>): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${enc({ alg: 'none' })}.${enc(payload)}.sig`;
}

function chatgpt(o: {
  exp?: number;
  lastRefresh?: string;
  mode?: 'chatgpt' | 'chatgptAuthTokens';
}): CodexAuth {
  return CodexAuth.fromAuthDotJson(
    {
      auth_mode: o.mode ?? 'chatgpt',
      tokens: {
        id_token: jwt({}),
        access_token: o.exp === undefined ? 'opaque-token' : jwt({ exp: o.exp }),
        refresh_token: 'r',
      },
      ...(o.lastRefresh ? { last_refresh: o.lastRefresh } : {}),
    },
    'file',
    '/h/auth.json',
  )!;
}

const sec = (ms: number) => ms / 1000;

describe('the one staleness rule', () => {
  it.each<[string, CodexAuth, number]>([
    [
      'exp in an hour: due 5 minutes before',
      chatgpt({ exp: sec(NOW + 3600_000) }),
      NOW + 3600_000 - REFRESH_WINDOW_MS,
    ],
    [
      'no exp: 8 days after last_refresh',
      chatgpt({ lastRefresh: new Date(NOW).toISOString() }),
      NOW + TOKEN_REFRESH_INTERVAL_MS,
    ],
    [
      'exp wins over last_refresh',
      chatgpt({ exp: sec(NOW + 60_000), lastRefresh: new Date(NOW).toISOString() }),
      NOW + 60_000 - REFRESH_WINDOW_MS,
    ],
    ['no exp, no last_refresh: never', chatgpt({}), Number.POSITIVE_INFINITY],
    ['unparseable last_refresh: never', chatgpt({ lastRefresh: 'yesterday' }), Number.POSITIVE_INFINITY],
    [
      'host-supplied tokens: never (the host refreshes)',
      chatgpt({ exp: sec(NOW), mode: 'chatgptAuthTokens' }),
      Number.POSITIVE_INFINITY,
    ],
    ['API key: never', CodexAuth.fromApiKey('sk-x', 'env'), Number.POSITIVE_INFINITY],
  ])('%s', (_name, auth, due) => {
    expect(refreshDueAtMs(auth)).toBe(due);
  });

  it.each([
    [NOW + REFRESH_WINDOW_MS + 1, false],
    [NOW + REFRESH_WINDOW_MS, true],
    [NOW, true],
  ])('exp %d → needsRefresh %s', (expMs, due) => {
    expect(needsRefresh(chatgpt({ exp: sec(expMs) }), NOW)).toBe(due);
  });
});
