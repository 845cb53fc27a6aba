/** The server clock: real time plus an adjustable offset, so tests can move time instead of waiting. */
export class Clock {
  private offsetSeconds = 0;

  constructor(offsetSeconds = 0) {
    this.setOffset(offsetSeconds);
  }

  setOffset(seconds: number): void {
    if (!Number.isFinite(seconds)) throw new RangeError('clock offset must be a finite number of seconds');
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
