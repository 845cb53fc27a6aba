import type {
  RateLimitDetailsPayload,
  RateLimitStatusPayload,
  RateLimitWindowPayload,
} from './schemas/rate-limits.js';

/** Why the user hit a limit, when the backend says so. */
export type RateLimitReachedType =
  | 'rate_limit_reached'
  | 'workspace_owner_credits_depleted'
  | 'workspace_member_credits_depleted'
  | 'workspace_owner_usage_limit_reached'
  | 'workspace_member_usage_limit_reached';

const REACHED_TYPES: ReadonlySet<string> = new Set<RateLimitReachedType>([
  'rate_limit_reached',
  'workspace_owner_credits_depleted',
  'workspace_member_credits_depleted',
  'workspace_owner_usage_limit_reached',
  'workspace_member_usage_limit_reached',
]);

export interface RateLimitWindow {
  readonly usedPercent: number;
  /** The window length rounded up to minutes; absent for a non-positive length. */
  readonly windowMinutes: number | undefined;
  /** Unix seconds. */
  readonly resetsAt: number;
}

/** A workspace member's share of the workspace's credits (spend control). */
export interface SpendControlLimit {
  /** Decimal strings, as the backend sends them. */
  readonly limit: string;
  readonly used: string;
  readonly remainingPercent: number;
  /** Unix seconds. */
  readonly resetsAt: number;
}

export interface CreditsSnapshot {
  readonly hasCredits: boolean;
  readonly unlimited: boolean;
  readonly balance: string | undefined;
}

/** One limit: `codex` (the main one) or an additional metered feature. */
export interface RateLimitSnapshot {
  readonly limitId: string;
  readonly limitName: string | undefined;
  readonly primary: RateLimitWindow | undefined;
  readonly secondary: RateLimitWindow | undefined;
  /** Only on the `codex` snapshot. */
  readonly credits: CreditsSnapshot | undefined;
  readonly planType: string;
  /** Only on the `codex` snapshot; an unknown kind is left out. */
  readonly rateLimitReachedType: RateLimitReachedType | undefined;
  /** The model whose name and reasoning options describe this limit (additional limits only). */
  readonly normalModelSlug: string | undefined;
  /** Only on the `codex` snapshot: whether the workspace's spend control is reached (undefined: not reported). */
  readonly spendControlReached: boolean | undefined;
  /** Only on the `codex` snapshot. */
  readonly individualLimit: SpendControlLimit | undefined;
}

function window(payload: RateLimitWindowPayload | null | undefined): RateLimitWindow | undefined {
  if (!payload) return undefined;
  const seconds = payload.limit_window_seconds;
  return {
    usedPercent: payload.used_percent,
    windowMinutes: seconds > 0 ? Math.ceil(seconds / 60) : undefined,
    resetsAt: payload.reset_at,
  };
}

function windows(details: RateLimitDetailsPayload | null | undefined) {
  return { primary: window(details?.primary_window), secondary: window(details?.secondary_window) };
}

/** The snapshots of a usage payload: `codex` first, then each additional limit (upstream's mapping). */
export function rateLimitSnapshots(payload: RateLimitStatusPayload): RateLimitSnapshot[] {
  const kind = payload.rate_limit_reached_type?.type;
  const individual = payload.spend_control?.individual_limit;
  const credits = payload.credits;
  const snapshots: RateLimitSnapshot[] = [
    {
      limitId: 'codex',
      limitName: undefined,
      ...windows(payload.rate_limit),
      credits: credits
        ? {
            hasCredits: credits.has_credits,
            unlimited: credits.unlimited,
            balance: credits.balance ?? undefined,
          }
        : undefined,
      planType: payload.plan_type,
      rateLimitReachedType:
        kind !== undefined && REACHED_TYPES.has(kind) ? (kind as RateLimitReachedType) : undefined,
      normalModelSlug: undefined,
      spendControlReached: payload.spend_control?.reached,
      individualLimit: individual
        ? {
            limit: individual.limit,
            used: individual.used,
            remainingPercent: individual.remaining_percent,
            resetsAt: individual.reset_at,
          }
        : undefined,
    },
  ];
  for (const extra of payload.additional_rate_limits ?? []) {
    snapshots.push({
      limitId: extra.metered_feature,
      limitName: extra.limit_name,
      ...windows(extra.rate_limit),
      credits: undefined,
      planType: payload.plan_type,
      rateLimitReachedType: undefined,
      normalModelSlug: extra.normal_model_slug ?? undefined,
      spendControlReached: undefined,
      individualLimit: undefined,
    });
  }
  return snapshots;
}

/** The `codex` snapshot when present, else the first. */
export function preferredSnapshot(snapshots: readonly RateLimitSnapshot[]): RateLimitSnapshot {
  return snapshots.find((s) => s.limitId === 'codex') ?? snapshots[0]!;
}
