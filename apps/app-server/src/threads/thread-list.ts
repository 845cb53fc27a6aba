import { invalidRequest } from '../jsonrpc.js';
import { type ThreadRecord, threadPreview } from './thread-model.js';

export type SortKey = 'created_at' | 'updated_at' | 'recency_at' | 'section_position';
export type SortDirection = 'asc' | 'desc';

export interface ListQuery {
  cursor?: string | undefined;
  limit?: number | undefined;
  sortKey?: SortKey | undefined;
  sortDirection?: SortDirection | undefined;
  modelProviders?: string[] | undefined;
  cwd?: string | string[] | undefined;
  searchTerm?: string | undefined;
}

export interface ListPage {
  readonly page: ThreadRecord[];
  readonly nextCursor: string | null;
  readonly backwardsCursor: string | null;
}

export const DEFAULT_LIST_LIMIT = 25;

/**
 * Where a page starts: the sort timestamp (seconds, written as an ISO time) and, for a cursor that continues after
 * a thread, that thread's id (exclusive). A cursor without an id is inclusive: every thread of that second onwards.
 */
interface Anchor {
  readonly at: number;
  readonly id: string | undefined;
}

const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)(?:\|([0-9a-f-]{36}))?$/;

function encode(at: number, id?: string): string {
  const time = new Date(at * 1000).toISOString();
  return id === undefined ? time : `${time}|${id}`;
}

function decode(cursor: string): Anchor {
  const m = CURSOR.exec(cursor);
  const ms = m ? Date.parse(m[1]!) : Number.NaN;
  if (!m || !Number.isFinite(ms)) throw invalidRequest(`invalid cursor: ${cursor}`);
  return { at: Math.floor(ms / 1000), id: m[2] };
}

/**
 * One page of stored threads: filtered, ordered by the sort key (then id), continuing from `cursor`. `nextCursor`
 * continues after the page's last thread; `backwardsCursor` (a page with threads) is for the opposite direction and
 * anchors at the start of the page's first second, so threads of that same second are not skipped.
 */
export function listPage(all: readonly ThreadRecord[], q: ListQuery): ListPage {
  let records = [...all];
  const cwds = q.cwd === undefined ? undefined : [q.cwd].flat();
  if (cwds) records = records.filter((r) => cwds.includes(r.meta.cwd));
  if (q.modelProviders?.length)
    records = records.filter((r) => q.modelProviders!.includes(r.meta.modelProvider));
  if (q.searchTerm) {
    const term = q.searchTerm.toLowerCase();
    records = records.filter((r) => threadPreview(r.turns).toLowerCase().includes(term));
  }
  const byUpdated = q.sortKey === 'updated_at' || q.sortKey === 'recency_at';
  const key = (r: ThreadRecord) => (byUpdated ? r.updatedAt : r.meta.createdAt);
  const dir = q.sortDirection === 'asc' ? 1 : -1;
  const order = (ak: number, aid: string, bk: number, bid: string) =>
    dir * (ak - bk) || dir * aid.localeCompare(bid);
  records.sort((a, b) => order(key(a), a.meta.id, key(b), b.meta.id));
  if (q.cursor !== undefined) {
    const anchor = decode(q.cursor);
    records = records.filter((r) =>
      anchor.id === undefined
        ? dir * (key(r) - anchor.at) >= 0
        : order(key(r), r.meta.id, anchor.at, anchor.id) > 0,
    );
  }
  const limit = Math.max(1, q.limit ?? DEFAULT_LIST_LIMIT);
  const page = records.slice(0, limit);
  const last = page.at(-1);
  const first = page[0];
  return {
    page,
    nextCursor: last && records.length > limit ? encode(key(last), last.meta.id) : null,
    backwardsCursor: first ? encode(key(first)) : null,
  };
}
