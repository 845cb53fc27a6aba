import { type AnalyticsEvent, isIsolatedEvent } from './events.js';

/**
 * Splits events into request bodies in order: an isolated event goes alone, the others are grouped up to
 * `maxEvents` per request.
 */
export function eventBatches(events: readonly AnalyticsEvent[], maxEvents: number): AnalyticsEvent[][] {
  const batches: AnalyticsEvent[][] = [];
  let current: AnalyticsEvent[] = [];
  for (const event of events) {
    if (isIsolatedEvent(event)) {
      if (current.length > 0) batches.push(current);
      batches.push([event]);
      current = [];
      continue;
    }
    current.push(event);
    if (current.length >= maxEvents) {
      batches.push(current);
      current = [];
    }
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
