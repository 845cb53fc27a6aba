import type { CodexAuth } from './auth.js';

/** Refresh when the access token expires within this window. */
export const REFRESH_WINDOW_MS = 5 * 60_000;
/** Without a parseable `exp`, refresh when `last_refresh` is older than this (upstream: 8 days). */
export const TOKEN_REFRESH_INTERVAL_MS = 8 * 24 * 3600_000;

/**
 * The one staleness rule: the epoch ms from which managed ChatGPT tokens are due for a refresh (5 minutes before
 * the access token's `exp`; else 8 days after `last_refresh`). Infinity when they never are (API keys,
 * host-supplied tokens, nothing to go by).
 */
export function refreshDueAtMs(auth: CodexAuth): number {
  if (auth.mode !== 'chatgpt') return Number.POSITIVE_INFINITY;
  if (auth.accessTokenExpiresAtMs !== undefined) return auth.accessTokenExpiresAtMs - REFRESH_WINDOW_MS;
  if (auth.lastRefresh) {
    const t = Date.parse(auth.lastRefresh);
    if (Number.isFinite(t)) return t + TOKEN_REFRESH_INTERVAL_MS;
  }
  return Number.POSITIVE_INFINITY;
}

export function needsRefresh(auth: CodexAuth, nowMs = Date.now()): boolean {
  return nowMs >= refreshDueAtMs(auth);
}
