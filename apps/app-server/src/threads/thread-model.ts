import type { PersistedThreadTask } from '@codex-ts/login';

/** What a thread's rollout starts with (`session_meta`). */
export interface ThreadMeta {
  readonly id: string;
  readonly createdAt: number;
  readonly cwd: string;
  readonly model: string;
  readonly modelProvider: string;
  readonly cliVersion: string;
  readonly originator: string;
  readonly source: string;
}

export type TurnStatus = 'completed' | 'interrupted' | 'failed' | 'inProgress';

export interface TurnError {
  readonly message: string;
  readonly codexErrorInfo?: unknown;
  readonly additionalDetails?: string | null;
}

export type UserInput = { readonly type: 'text'; readonly text: string; readonly text_elements: unknown[] };

export type ThreadItem =
  | { readonly type: 'userMessage'; readonly id: string; readonly content: UserInput[] }
  | { readonly type: 'agentMessage'; readonly id: string; readonly text: string };

export interface Turn {
  readonly id: string;
  readonly items: ThreadItem[];
  readonly status: TurnStatus;
  readonly error: TurnError | null;
  readonly startedAt: number | null;
  readonly completedAt: number | null;
  readonly durationMs: number | null;
}

/** Everything a rollout holds, replayed. */
export interface ThreadRecord {
  readonly meta: ThreadMeta;
  readonly path: string;
  readonly turns: Turn[];
  readonly task: PersistedThreadTask | undefined;
  readonly updatedAt: number;
}

export type ThreadStatus =
  | { readonly type: 'notLoaded' }
  | { readonly type: 'idle' }
  | { readonly type: 'systemError' }
  | { readonly type: 'active'; readonly activeFlags: string[] };

/** The first user message's text. */
export function threadPreview(turns: readonly Turn[]): string {
  for (const turn of turns) {
    for (const item of turn.items) {
      if (item.type === 'userMessage') return item.content.map((c) => c.text).join('\n');
    }
  }
  return '';
}

/** The wire `Thread` (turns only when asked for). */
export function toWireThread(
  record: ThreadRecord,
  status: ThreadStatus,
  includeTurns: boolean,
): Record<string, unknown> {
  const { meta } = record;
  return {
    id: meta.id,
    sessionId: meta.id,
    preview: threadPreview(record.turns),
    ephemeral: false,
    modelProvider: meta.modelProvider,
    createdAt: meta.createdAt,
    updatedAt: record.updatedAt,
    status,
    cwd: meta.cwd,
    cliVersion: meta.cliVersion,
    source: meta.source,
    projectId: null,
    turns: includeTurns ? record.turns : [],
    model: meta.model,
    path: record.path,
    originator: meta.originator,
    name: null,
  };
}
