import { describe, expect, it } from 'vitest';
import { RpcError } from '../src/jsonrpc.js';
import { listPage } from '../src/threads/thread-list.js';
import type { ThreadRecord } from '../src/threads/thread-model.js';
import { threadRecord } from './support/thread-record.js';

/** A stored thread created at `createdAt` (seconds), last updated at `updatedAt`. */
function stored(n: number, createdAt: number, updatedAt = createdAt): ThreadRecord {
  return threadRecord(`00000000-0000-7000-8000-${String(n).padStart(12, '0')}`, createdAt, { updatedAt });
}

const ids = (page: readonly ThreadRecord[]) => page.map((r) => Number(r.meta.id.slice(-12)));
const iso = (s: number) => new Date(s * 1000).toISOString();

// Threads 1..5; 2, 3 and 4 were created in the same second.
const all = [stored(1, 1000), stored(2, 2000), stored(3, 2000), stored(4, 2000), stored(5, 3000, 3500)];

describe('thread/list pages', () => {
  it('continues after the last thread of a page, ties in one second broken by id', () => {
    const first = listPage(all, { limit: 2 });
    expect(ids(first.page)).toEqual([5, 4]);
    expect(first.nextCursor).toBe(`${iso(2000)}|${all[3]!.meta.id}`);
    expect(first.backwardsCursor).toBe(iso(3000));
    const second = listPage(all, { limit: 2, cursor: first.nextCursor! });
    expect(ids(second.page)).toEqual([3, 2]);
    const third = listPage(all, { limit: 2, cursor: second.nextCursor! });
    expect(third).toEqual({ page: [all[0]], nextCursor: null, backwardsCursor: iso(1000) });
  });

  it('the backwards cursor, in the other direction, starts at the page’s first second: nothing of it is skipped', () => {
    const second = listPage(all, { limit: 2, cursor: listPage(all, { limit: 2 }).nextCursor! });
    expect(second.backwardsCursor).toBe(iso(2000));
    const back = listPage(all, { sortDirection: 'asc', cursor: second.backwardsCursor! });
    expect(ids(back.page)).toEqual([2, 3, 4, 5]);
    expect(back.backwardsCursor).toBe(iso(2000));
    expect(ids(listPage(all, { sortDirection: 'desc', cursor: back.backwardsCursor! }).page)).toEqual([
      4, 3, 2, 1,
    ]);
  });

  it('sorts by update time for updated_at and recency_at; an empty page has no cursors', () => {
    const byUpdate = listPage([stored(1, 1000, 5000), stored(2, 2000, 2000)], {
      sortKey: 'recency_at',
      limit: 1,
    });
    expect(ids(byUpdate.page)).toEqual([1]);
    expect(byUpdate.backwardsCursor).toBe(iso(5000));
    expect(listPage([], {})).toEqual({ page: [], nextCursor: null, backwardsCursor: null });
  });

  it('refuses a cursor it did not give out', () => {
    for (const cursor of ['Mg', '2026-11-21T08:03:57.387Z|nope', 'yesterday']) {
      let thrown: unknown;
      try {
        listPage(all, { cursor });
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(RpcError);
      expect((thrown as RpcError).toJSON()).toEqual({ code: -32600, message: `invalid cursor: ${cursor}` });
    }
  });
});
