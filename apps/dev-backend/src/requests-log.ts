import type { DevRequestRecord } from './types.js';

/** A record filled in while a request is handled (it gets its id and status at the end); never holds a secret. */
export type RecordDraft = Omit<DevRequestRecord, 'id' | 'status'>;

/** The recent requests, newest last, capped. */
export class RequestLog {
  private readonly records: DevRequestRecord[] = [];
  private nextId = 1;

  constructor(private readonly max: number) {}

  start(
    method: string,
    path: string,
    at: Date,
    routing: { accountId?: string; fedramp?: string } = {},
  ): RecordDraft {
    const draft: RecordDraft = { at: at.toISOString(), method, path, authScheme: 'none' };
    if (routing.accountId) draft.sentAccountId = routing.accountId.slice(0, 200);
    if (routing.fedramp?.trim().toLowerCase() === 'true') draft.sentFedramp = true;
    return draft;
  }

  finish(draft: RecordDraft, status: number): void {
    this.records.push({ id: this.nextId++, ...draft, status });
    if (this.records.length > this.max) this.records.splice(0, this.records.length - this.max);
  }

  list(filter: { path?: string; method?: string } = {}): DevRequestRecord[] {
    const method = filter.method?.toUpperCase();
    return this.records
      .filter(
        (r) => (filter.path === undefined || r.path === filter.path) && (!method || r.method === method),
      )
      .map((r) => ({ ...r }));
  }

  clear(): void {
    this.records.length = 0;
  }
}
