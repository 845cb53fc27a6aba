/** One usage window as upstream's rate-limit data describes it. */
export interface RateLimitWindowData {
  usedPercent: number;
  windowMinutes: number;
  /** Unix seconds. */
  resetAt: number;
}

/** What the dev backend reports about a user's limits: always generous, never reached. */
export interface RateLimitData {
  primary: RateLimitWindowData;
  secondary: RateLimitWindowData;
  credits: { hasCredits: boolean; unlimited: boolean; balance: string };
  /** The metered limit in force (`x-codex-active-limit`). */
  activeLimit: string;
}

const PRIMARY_MINUTES = 5 * 60;
const SECONDARY_MINUTES = 7 * 24 * 60;

/** The 5-hour and weekly windows, starting now on the server clock, nothing used. */
export function rateLimitData(nowSeconds: number): RateLimitData {
  return {
    primary: { usedPercent: 0, windowMinutes: PRIMARY_MINUTES, resetAt: nowSeconds + PRIMARY_MINUTES * 60 },
    secondary: {
      usedPercent: 0,
      windowMinutes: SECONDARY_MINUTES,
      resetAt: nowSeconds + SECONDARY_MINUTES * 60,
    },
    credits: { hasCredits: false, unlimited: false, balance: '0' },
    activeLimit: 'codex',
  };
}

/** The `x-codex-*` response headers upstream reads rate limits from (SSE responses and websocket upgrades). */
export function rateLimitHeaders(data: RateLimitData): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, window] of [
    ['primary', data.primary],
    ['secondary', data.secondary],
  ] as const) {
    headers[`x-codex-${name}-used-percent`] = String(window.usedPercent);
    headers[`x-codex-${name}-window-minutes`] = String(window.windowMinutes);
    headers[`x-codex-${name}-reset-at`] = String(window.resetAt);
  }
  headers['x-codex-credits-has-credits'] = String(data.credits.hasCredits);
  headers['x-codex-credits-unlimited'] = String(data.credits.unlimited);
  headers['x-codex-credits-balance'] = data.credits.balance;
  headers['x-codex-active-limit'] = data.activeLimit;
  return headers;
}

/** The websocket equivalent: a `codex.rate_limits` event sent before `response.created`. */
export function rateLimitEvent(data: RateLimitData, planType: string): Record<string, unknown> {
  const window = (w: RateLimitWindowData) => ({
    used_percent: w.usedPercent,
    window_minutes: w.windowMinutes,
    reset_at: w.resetAt,
  });
  return {
    type: 'codex.rate_limits',
    plan_type: planType,
    metered_limit_name: data.activeLimit,
    rate_limits: {
      allowed: true,
      limit_reached: false,
      primary: window(data.primary),
      secondary: window(data.secondary),
    },
    credits: {
      has_credits: data.credits.hasCredits,
      unlimited: data.credits.unlimited,
      balance: data.credits.balance,
    },
  };
}
