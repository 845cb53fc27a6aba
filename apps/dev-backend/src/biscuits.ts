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

/** Opaque, random, short-lived, single-use human authorizations ("biscuits"), memory only. */
export class BiscuitStore {
  private readonly biscuits = new Map<string, Biscuit>();

  mint(biscuit: Biscuit, nowMs: number): string {
    this.prune(nowMs);
    const value = randomToken('bsc_');
    this.biscuits.set(value, biscuit);
    return value;
  }

  get(value: string): Biscuit | undefined {
    return this.biscuits.get(value);
  }

  consume(value: string): void {
    this.biscuits.delete(value);
  }

  private prune(nowMs: number): void {
    for (const [value, b] of this.biscuits) {
      if (b.expiresAtMs <= nowMs) this.biscuits.delete(value);
    }
  }
}
