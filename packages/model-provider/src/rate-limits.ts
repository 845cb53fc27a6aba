import type { HeaderReader } from '@codex-ts/auth-provider';

/** One rate-limit window: how much is used, its length, when it resets (unix seconds). */
export interface RateLimitWindow {
  readonly usedPercent: number;
  readonly windowMinutes?: number;
  readonly resetsAt?: number;
}

export interface CreditsSnapshot {
  readonly hasCredits: boolean;
  readonly unlimited: boolean;
  readonly balance?: string;
}

/** The rate-limit state a response reported in its `x-codex-*` headers. */
export interface RateLimitSnapshot {
  /** `codex` for the `x-codex-*` family, `codex_other` for `x-codex-other-*`. */
  readonly limitId: string;
  readonly limitName?: string;
  readonly primary?: RateLimitWindow;
  readonly secondary?: RateLimitWindow;
  readonly credits?: CreditsSnapshot;
  /** The account's plan (`x-codex-plan-type`), when the response names it. */
  readonly planType?: string;
}

/**
 * Reads the Codex rate-limit headers (`x-codex-primary-used-percent`, `…-window-minutes`, `…-reset-at`, the
 * `secondary` trio, `x-codex-credits-*`, `x-codex-limit-name`, `x-codex-plan-type`) for one limit family (`codex` by default).
 * Undefined when the headers carry nothing for it.
 */
export function parseRateLimits(headers: HeaderReader, limitId = 'codex'): RateLimitSnapshot | undefined {
  const family = limitId.trim().toLowerCase().replaceAll('_', '-') || 'codex';
  const prefix = `x-${family}`;
  const primary = parseWindow(headers, `${prefix}-primary`);
  const secondary = parseWindow(headers, `${prefix}-secondary`);
  const credits = parseCredits(headers);
  if (!primary && !secondary && !credits) return undefined;
  const limitName = headers.get(`${prefix}-limit-name`)?.trim();
  const planType = headers.get('x-codex-plan-type')?.trim();
  return {
    limitId: family.replaceAll('-', '_'),
    ...(limitName ? { limitName } : {}),
    ...(primary ? { primary } : {}),
    ...(secondary ? { secondary } : {}),
    ...(credits ? { credits } : {}),
    ...(planType ? { planType } : {}),
  };
}

function parseWindow(headers: HeaderReader, prefix: string): RateLimitWindow | undefined {
  const usedPercent = parseNumber(headers.get(`${prefix}-used-percent`));
  if (usedPercent === undefined) return undefined;
  const windowMinutes = parseInteger(headers.get(`${prefix}-window-minutes`));
  const resetsAt = parseInteger(headers.get(`${prefix}-reset-at`));
  const hasData =
    usedPercent !== 0 || (windowMinutes !== undefined && windowMinutes !== 0) || resetsAt !== undefined;
  if (!hasData) return undefined;
  return {
    usedPercent,
    ...(windowMinutes === undefined ? {} : { windowMinutes }),
    ...(resetsAt === undefined ? {} : { resetsAt }),
  };
}

function parseCredits(headers: HeaderReader): CreditsSnapshot | undefined {
  const hasCredits = parseBoolean(headers.get('x-codex-credits-has-credits'));
  const unlimited = parseBoolean(headers.get('x-codex-credits-unlimited'));
  if (hasCredits === undefined || unlimited === undefined) return undefined;
  const balance = headers.get('x-codex-credits-balance')?.trim();
  return { hasCredits, unlimited, ...(balance ? { balance } : {}) };
}

function parseNumber(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const n = Number(value.trim());
  return Number.isFinite(n) ? n : undefined;
}

function parseInteger(value: string | null): number | undefined {
  if (value === null || !/^-?\d+$/.test(value.trim())) return undefined;
  return Number.parseInt(value.trim(), 10);
}

function parseBoolean(value: string | null): boolean | undefined {
  const v = value?.trim().toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  return undefined;
}

/**
 * A `codex.rate_limits` event (sent in the websocket stream, where there are no per-turn headers):
 * `{type, plan_type?, rate_limits: {primary?, secondary?: {used_percent, window_minutes?, reset_at?}}, credits?,
 * metered_limit_name? | limit_name?}`. Undefined when it is not one.
 */
export function rateLimitsFromEvent(
  event: Record<string, unknown>,
): { rateLimits: RateLimitSnapshot; planType?: string } | undefined {
  if (event.type !== 'codex.rate_limits') return undefined;
  const limits = record(event.rate_limits);
  const primary = eventWindow(record(limits?.primary));
  const secondary = eventWindow(record(limits?.secondary));
  const c = record(event.credits);
  const credits =
    c && typeof c.has_credits === 'boolean' && typeof c.unlimited === 'boolean'
      ? {
          hasCredits: c.has_credits,
          unlimited: c.unlimited,
          ...(typeof c.balance === 'string' ? { balance: c.balance } : {}),
        }
      : undefined;
  const name = typeof event.metered_limit_name === 'string' ? event.metered_limit_name : event.limit_name;
  const limitId =
    typeof name === 'string' && name.trim() ? name.trim().toLowerCase().replaceAll('-', '_') : 'codex';
  const rateLimits: RateLimitSnapshot = {
    limitId,
    ...(primary ? { primary } : {}),
    ...(secondary ? { secondary } : {}),
    ...(credits ? { credits } : {}),
  };
  return typeof event.plan_type === 'string' ? { rateLimits, planType: event.plan_type } : { rateLimits };
}

function eventWindow(window: Record<string, unknown> | undefined): RateLimitWindow | undefined {
  if (!window || typeof window.used_percent !== 'number') return undefined;
  return {
    usedPercent: window.used_percent,
    ...(typeof window.window_minutes === 'number' ? { windowMinutes: window.window_minutes } : {}),
    ...(typeof window.reset_at === 'number' ? { resetsAt: window.reset_at } : {}),
  };
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}
