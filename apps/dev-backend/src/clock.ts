/**
 * The largest clock offset either way: 100 years. Far more than any skew test needs, and far inside the range a
 * JavaScript Date can hold (an offset of 1e300 s made every later request throw while formatting the time).
 */
export const MAX_CLOCK_OFFSET_SECONDS = 100 * 366 * 86_400;

/** Whether `seconds` is a usable clock offset. */
export function isClockOffset(seconds: number): boolean {
  return Number.isFinite(seconds) && Math.abs(seconds) <= MAX_CLOCK_OFFSET_SECONDS;
}

/** The server clock: real time plus an adjustable offset, so tests can move time instead of waiting. */
export class Clock {
  private offsetSeconds = 0;

  constructor(offsetSeconds = 0) {
    this.setOffset(offsetSeconds);
  }

  setOffset(seconds: number): void {
    if (!isClockOffset(seconds)) {
      throw new RangeError(`clock offset must be a number of seconds within ±${MAX_CLOCK_OFFSET_SECONDS}`);
    }
    this.offsetSeconds = seconds;
  }

  get offset(): number {
    return this.offsetSeconds;
  }

  nowMs(): number {
    return Date.now() + this.offsetSeconds * 1000;
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }
}
