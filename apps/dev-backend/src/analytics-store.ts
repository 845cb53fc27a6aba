/** The analytics feature's in-memory store: the events Codex sent, newest last (lost on restart). */
export interface AnalyticsStore {
  readonly analyticsEvents: unknown[];
}

export function createAnalyticsStore(): AnalyticsStore {
  return { analyticsEvents: [] };
}
