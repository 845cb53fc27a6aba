/**
 * A set of keys that never grows past `max`: when full it is cleared (upstream's rule, 4096 keys), so a repeat
 * after a clear is counted again rather than memory growing without bound.
 */
export class BoundedKeySet {
  private readonly keys = new Set<string>();

  constructor(readonly max: number) {}

  /** True when the key was not in the set (and is now). */
  add(key: string): boolean {
    if (this.keys.has(key)) return false;
    if (this.keys.size >= this.max) this.keys.clear();
    this.keys.add(key);
    return true;
  }

  get size(): number {
    return this.keys.size;
  }
}
