import { describe, expect, it } from 'vitest';
import { createTimestampFormatter, formatAgentTimestamp, parseAgentTimestamp } from '../src/timestamp.js';

describe('agent timestamps', () => {
  it('formats whole seconds with Z', () => {
    expect(formatAgentTimestamp(new Date('2026-04-23T00:00:00.999Z'))).toBe('2026-04-23T00:00:00Z');
    expect(formatAgentTimestamp(new Date(Date.UTC(1999, 11, 31, 23, 59, 59)))).toBe('1999-12-31T23:59:59Z');
  });

  it('parses the strict form only', () => {
    expect(parseAgentTimestamp('2026-04-23T00:00:00Z')).toEqual(new Date('2026-04-23T00:00:00Z'));
    expect(parseAgentTimestamp('2024-02-29T12:34:56Z')).toEqual(new Date('2024-02-29T12:34:56Z'));
    for (const bad of [
      '2026-04-23T00:00:00.000Z',
      '2026-04-23T00:00:00+00:00',
      '2026-04-23t00:00:00z',
      '2026-04-23 00:00:00Z',
      '2026-04-23T00:00:00',
      '2026-02-30T00:00:00Z',
      '2025-02-29T00:00:00Z',
      '2026-04-23T24:00:00Z',
      '2026-04-23T00:60:00Z',
      '2026-04-23T00:00:60Z',
      '2026-13-01T00:00:00Z',
      ' 2026-04-23T00:00:00Z',
      '',
    ]) {
      expect(parseAgentTimestamp(bad), bad).toBeUndefined();
    }
  });

  it('reuses the formatted string within a second and moves on with the clock', () => {
    const format = createTimestampFormatter();
    const base = Date.UTC(2026, 3, 23);
    expect(format(base)).toBe('2026-04-23T00:00:00Z');
    expect(format(base + 999)).toBe('2026-04-23T00:00:00Z');
    expect(format(base + 1000)).toBe('2026-04-23T00:00:01Z');
    expect(format(base - 1)).toBe('2026-04-22T23:59:59Z');
  });
});
