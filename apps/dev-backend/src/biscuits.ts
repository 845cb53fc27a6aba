import { randomToken } from './ids.js';

export interface Biscuit {
  userId: string;
  accountId: string;
  /** Upper-case X-Original-Method. */
  method: string;
  /** X-Original-Url as sent. */
  url: string;
  expiresAtMs: number;
}

/**
 * Opaque, random, short-lived, single-use human authorizations ("biscuits"), memory only. A request reserves the
 * biscuit when it checks it (synchronously, before reading its body), so of N concurrent requests presenting one
 * biscuit exactly one can win; it consumes it on success and releases it when it fails for another reason.
 */
export class BiscuitStore {
  private readonly biscuits = new Map<string, Biscuit>();
  private readonly reserved = new Set<string>();

  mint(biscuit: Biscuit, nowMs: number): string {
    this.prune(nowMs);
    const value = randomToken('bsc_');
    this.biscuits.set(value, biscuit);
    return value;
  }

  get(value: string): Biscuit | undefined {
    return this.biscuits.get(value);
  }

  /** Whether a request in flight holds the biscuit. */
  isReserved(value: string): boolean {
    return this.reserved.has(value);
  }

  /** Holds the biscuit for one request; false when it is unknown or already held. */
  reserve(value: string): boolean {
    if (!this.biscuits.has(value) || this.reserved.has(value)) return false;
    this.reserved.add(value);
    return true;
  }

  /** Gives a held biscuit back (its request failed before using it). */
  release(value: string): void {
    this.reserved.delete(value);
  }

  consume(value: string): void {
    this.biscuits.delete(value);
    this.reserved.delete(value);
  }

  private prune(nowMs: number): void {
    for (const [value, b] of this.biscuits) {
      if (b.expiresAtMs <= nowMs && !this.reserved.has(value)) this.biscuits.delete(value);
    }
  }
}
