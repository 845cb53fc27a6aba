/**
 * The process's view of the server clock. Assertions and task-registration timestamps use
 * `now()`; a stale/future-timestamp 401 may correct the offset once from the response `Date`.
 */
export class AgentClock {
  #offsetMs = 0;
  #corrected = false;
  #version = 0;

  /** Changes when the offset does (caches of signed headers compare it). */
  get version(): number {
    return this.#version;
  }

  get offsetMs(): number {
    return this.#offsetMs;
  }
  get corrected(): boolean {
    return this.#corrected;
  }

  /** undefined when no offset is applied (lets the signer read the clock itself, the cheap path). */
  now(): Date | undefined {
    return this.#offsetMs === 0 ? undefined : new Date(Date.now() + this.#offsetMs);
  }

  /**
   * Sets the offset from an HTTP `Date` header. Only once per process (returns false afterwards,
   * or when the header is missing/unparseable).
   */
  correctFromDateHeader(dateHeader: string | null | undefined, receivedAtMs = Date.now()): boolean {
    if (this.#corrected || !dateHeader) return false;
    const serverMs = Date.parse(dateHeader);
    if (!Number.isFinite(serverMs)) return false;
    this.#corrected = true;
    this.#version++;
    // Date has whole-second precision: the server second started at serverMs, so aim at its middle.
    this.#offsetMs = serverMs + 500 - receivedAtMs;
    if (Math.abs(this.#offsetMs) < 1000) this.#offsetMs = 0;
    return true;
  }
}
