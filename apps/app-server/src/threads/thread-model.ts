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
  readonly misalignment?: null;
}

/** An image's `detail` as the client asked for it (null: not given). */
export type ImageDetail = 'auto' | 'low' | 'high' | 'original';

/**
 * A user input as upstream's wire `UserInput` has it (and the rollout keeps it): images by URL, file id or local path,
 * never their bytes. Key order as upstream serialises them.
 */
export type UserInput =
  | { readonly type: 'text'; readonly text: string; readonly text_elements: unknown[] }
  | { readonly type: 'image'; readonly url: string; readonly detail: ImageDetail | null }
  | { readonly type: 'image'; readonly fileId: string; readonly detail: ImageDetail | null }
  | { readonly type: 'localImage'; readonly detail: ImageDetail | null; readonly path: string };

/**
 * An item as the rollout keeps it: only what codex-ts has (the wire adds the absent features, turn-wire.ts).
 * `startedAtMs`/`completedAtMs` are measured when the item starts and completes; rollouts written before they were
 * recorded replay without them (null on the wire).
 */
export type ThreadItem =
  | {
      readonly type: 'userMessage';
      readonly id: string;
      readonly content: UserInput[];
      /** turn/start's `clientUserMessageId`, when the client sent one. */
      readonly clientId?: string | null;
      readonly startedAtMs?: number | null;
      readonly completedAtMs?: number | null;
    }
  | {
      readonly type: 'agentMessage';
      readonly id: string;
      readonly text: string;
      readonly startedAtMs?: number | null;
      readonly completedAtMs?: number | null;
    };

export interface Turn {
  readonly id: string;
  /** The first turn of the chain of work this turn belongs to (itself unless turn/start named one). */
  readonly rootTurnId?: string | null;
  readonly items: ThreadItem[];
  readonly status: TurnStatus;
  readonly error: TurnError | null;
  readonly startedAt: number | null;
  readonly completedAt: number | null;
  readonly durationMs: number | null;
}

/**
 * A thread's durable read receipt, kept as upstream keeps one per local thread: the first position the user has not
 * seen, and an opaque revision that changes with every published result and every mark (so a mark made on an older
 * snapshot is refused). Persisted in the rollout (`read_state` lines, the last one wins), so it survives a restart.
 */
export interface ReadReceipt {
  /** `null`: read. `''`: the whole thread marked unread. Else the earliest completed turn needing attention. */
  readonly firstUnreadTurn: string | null;
  readonly revision: string;
  /** The last turn whose result was published: a result is published once, never again on replay. */
  readonly lastPublishedTurn: string | null;
}

/** Token counts as `thread/tokenUsage/updated` reports them. */
export interface UsageBreakdown {
  totalTokens: number;
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteInputTokens: number;
  outputTokens: number;
  reasoningOutputTokens: number;
}

/**
 * A thread's token usage as of its latest turn that reported one: the sum over the thread's turns, the turn's own,
 * and the model's context window then. Persisted in the rollout (`token_usage` lines, the last one wins), so a
 * resumed thread reports it again and goes on counting from it.
 */
export interface ThreadTokenUsage {
  readonly turnId: string;
  readonly total: UsageBreakdown;
  readonly last: UsageBreakdown;
  readonly modelContextWindow: number | null;
}

/** Everything a rollout holds, replayed. */
export interface ThreadRecord {
  readonly meta: ThreadMeta;
  readonly path: string;
  readonly turns: Turn[];
  readonly task: PersistedThreadTask | undefined;
  readonly updatedAt: number;
  /** The thread's read receipt; undefined until the first one is recorded. */
  readonly readState: ReadReceipt | undefined;
  /** The thread's token usage; undefined until a turn reports one. */
  readonly tokenUsage: ThreadTokenUsage | undefined;
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
      if (item.type === 'userMessage')
        return item.content.flatMap((c) => (c.type === 'text' ? [c.text] : [])).join('\n');
    }
  }
  return '';
}
