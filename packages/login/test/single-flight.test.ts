import { describe, expect, it } from 'vitest';
import { KeyedSingleFlight, SingleFlight } from '../src/single-flight.js';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((a, b) => {
    resolve = a;
    reject = b;
  });
  return { promise, resolve, reject };
}

describe('SingleFlight', () => {
  it('shares one run among callers and starts a new one after it settles', async () => {
    const flight = new SingleFlight<number>();
    let starts = 0;
    const d = deferred<number>();
    const counted = (p: Promise<number>) => () => {
      starts++;
      return p;
    };
    const a = flight.run(counted(d.promise));
    const b = flight.run(counted(Promise.resolve(0)));
    expect(b).toBe(a);
    expect(flight.pending).toBe(a);
    d.resolve(7);
    expect(await Promise.all([a, b])).toEqual([7, 7]);
    expect(flight.pending).toBe(undefined);
    expect(await flight.run(counted(Promise.resolve(8)))).toBe(8);
    expect(starts).toBe(2);
  });

  it('a failure is shared, then forgotten', async () => {
    const flight = new SingleFlight<number>();
    const d = deferred<number>();
    const a = flight.run(() => d.promise);
    const b = flight.run(() => Promise.resolve(1));
    d.reject(new Error('boom'));
    await expect(a).rejects.toThrow('boom');
    await expect(b).rejects.toThrow('boom');
    expect(await flight.run(() => Promise.resolve(2))).toBe(2);
  });

  it('keyed: one run per key', async () => {
    const flight = new KeyedSingleFlight<string, string>();
    const d = deferred<string>();
    const a = flight.run('t1', () => d.promise);
    expect(flight.run('t1', () => Promise.resolve('other'))).toBe(a);
    expect(await flight.run('t2', () => Promise.resolve('t2'))).toBe('t2');
    d.resolve('t1');
    expect(await a).toBe('t1');
    expect(flight.pending('t1')).toBe(undefined);
  });
});
