/** Timestamps as upstream writes them: RFC 3339, whole seconds, `Z` (e.g. `2026-04-23T00:00:00Z`). */

const PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

export function formatAgentTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** Strict parse: exactly `YYYY-MM-DDTHH:MM:SSZ` naming a real instant; anything else gives undefined. */
export function parseAgentTimestamp(text: string): Date | undefined {
  if (typeof text !== 'string') return undefined;
  const match = PATTERN.exec(text);
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number) as number[];
  const date = new Date(0);
  date.setUTCFullYear(year!, month! - 1, day!);
  date.setUTCHours(hour!, minute!, second!, 0);
  if (Number.isNaN(date.getTime()) || formatAgentTimestamp(date) !== text) return undefined;
  return date;
}

/**
 * A formatter that reuses the string while the second does not change. Headers stay fresh per call (the clock
 * is read every time); only the formatting work is shared.
 */
export function createTimestampFormatter(): (epochMs: number) => string {
  let cachedSecond = Number.NaN;
  let cachedText = '';
  return (epochMs: number): string => {
    const second = Math.floor(epochMs / 1000);
    if (second !== cachedSecond) {
      cachedText = formatAgentTimestamp(new Date(second * 1000));
      cachedSecond = second;
    }
    return cachedText;
  };
}
