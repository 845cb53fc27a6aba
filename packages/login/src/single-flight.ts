/**
 * One operation in flight at a time: callers that arrive while it runs share its promise; the next call after it
 * settles starts a new one. Written once, used by the token refresher, the identity lifecycle and the task registry.
 */
export class SingleFlight<T> {
  #pending: Promise<T> | undefined;

  /** The operation in flight, if any. */
  get pending(): Promise<T> | undefined {
    return this.#pending;
  }

  run(start: () => Promise<T>): Promise<T> {
    if (this.#pending) return this.#pending;
    const p = start().finally(() => {
      if (this.#pending === p) this.#pending = undefined;
    });
    this.#pending = p;
    return p;
  }
}

/** A SingleFlight per key (one task registration per thread id). */
export class KeyedSingleFlight<K, T> {
  readonly #flights = new Map<K, Promise<T>>();

  pending(key: K): Promise<T> | undefined {
    return this.#flights.get(key);
  }

  run(key: K, start: () => Promise<T>): Promise<T> {
    const existing = this.#flights.get(key);
    if (existing) return existing;
    const p = start().finally(() => {
      if (this.#flights.get(key) === p) this.#flights.delete(key);
    });
    this.#flights.set(key, p);
    return p;
  }

  /** Stops sharing the flight for `key` (its result is no longer wanted by new callers). */
  forget(key: K): void {
    this.#flights.delete(key);
  }

  clear(): void {
    this.#flights.clear();
  }
}
