import type { DevAuthScheme, DevRequestRecord, TaskKind } from './types.js';

/** Filled in while a request is handled; never holds a token, biscuit or assertion. */
export interface RecordDraft {
  at: string;
  method: string;
  path: string;
  authScheme: DevAuthScheme;
  agentRuntimeId?: string;
  taskId?: string;
  taskKind?: TaskKind;
  reason?: string;
  sentAccountId?: string;
  sentFedramp?: boolean;
}

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
    const record: DevRequestRecord = {
      id: this.nextId++,
      at: draft.at,
      method: draft.method,
      path: draft.path,
      authScheme: draft.authScheme,
      status,
    };
    if (draft.agentRuntimeId !== undefined) record.agentRuntimeId = draft.agentRuntimeId;
    if (draft.taskId !== undefined) record.taskId = draft.taskId;
    if (draft.taskKind !== undefined) record.taskKind = draft.taskKind;
    if (draft.reason !== undefined) record.reason = draft.reason;
    if (draft.sentAccountId !== undefined) record.sentAccountId = draft.sentAccountId;
    if (draft.sentFedramp) record.sentFedramp = true;
    this.records.push(record);
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
