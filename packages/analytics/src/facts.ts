/**
 * What call sites hand to `track()`: plain objects in camelCase, turned into wire events by the background loop.
 * Optional fields left out are sent as `null`.
 */

/** The thread, turn and model an app or plugin fact belongs to. */
export interface TrackingContext {
  readonly threadId: string;
  readonly turnId: string;
  readonly modelSlug: string;
}

export interface AppInvocation {
  readonly connectorId?: string | null;
  readonly appName?: string | null;
  readonly invocationType?: 'explicit' | 'implicit' | null;
}

/** The app-server client a thread was started from (the `initialize` request's client info). */
export interface AppServerClientInfo {
  readonly name?: string | null;
  readonly version?: string | null;
  readonly rpcTransport: 'stdio' | 'websocket' | 'in_process';
  readonly experimentalApiEnabled?: boolean | null;
}

export interface ThreadInitializedFact {
  readonly type: 'thread_initialized';
  readonly threadId: string;
  readonly client: AppServerClientInfo;
  readonly model: string;
  readonly ephemeral: boolean;
  /** `user` for cli/vscode/exec sessions, `subagent` for sub-agents, `null` otherwise. */
  readonly threadSource?: 'user' | 'subagent' | null;
  readonly initializationMode: 'new' | 'forked' | 'resumed';
  readonly subagentSource?: string | null;
  readonly parentThreadId?: string | null;
  /** Unix seconds. */
  readonly createdAt: number;
}

export interface AppMentionedFact {
  readonly type: 'app_mentioned';
  readonly tracking: TrackingContext;
  readonly mentions: readonly AppInvocation[];
}

/** Repeated facts for the same (turn, connector) are sent once. */
export interface AppUsedFact {
  readonly type: 'app_used';
  readonly tracking: TrackingContext;
  readonly app: AppInvocation;
}

export interface PluginInfo {
  readonly pluginId: string;
  readonly pluginName?: string | null;
  readonly marketplaceName?: string | null;
  readonly hasSkills?: boolean | null;
  readonly mcpServerCount?: number | null;
  readonly connectorIds?: readonly string[] | null;
}

/** Repeated facts for the same (turn, plugin) are sent once. */
export interface PluginUsedFact {
  readonly type: 'plugin_used';
  readonly tracking: TrackingContext;
  readonly plugin: PluginInfo;
}

export interface TurnCompletedFact {
  readonly type: 'turn_completed';
  readonly threadId: string;
  readonly turnId: string;
  readonly submissionType?: 'default' | 'queued' | null;
  readonly model?: string | null;
  readonly modelProvider: string;
  readonly sandboxPolicy?: 'full_access' | 'read_only' | 'workspace_write' | 'external_sandbox' | null;
  readonly reasoningEffort?: string | null;
  readonly reasoningSummary?: string | null;
  /** `default` when left out. */
  readonly serviceTier?: string | null;
  readonly approvalPolicy: string;
  readonly approvalsReviewer: string;
  readonly sandboxNetworkAccess: boolean;
  readonly collaborationMode?: 'plan' | 'default' | null;
  readonly personality?: string | null;
  readonly numInputImages: number;
  readonly isFirstTurn: boolean;
  readonly status?: 'completed' | 'failed' | 'interrupted' | null;
  readonly turnError?: unknown;
  readonly counts?: {
    readonly steer?: number;
    readonly totalToolCalls?: number;
    readonly shellCommands?: number;
    readonly fileChanges?: number;
    readonly mcpToolCalls?: number;
    readonly dynamicToolCalls?: number;
    readonly subagentToolCalls?: number;
    readonly webSearches?: number;
    readonly imageGenerations?: number;
  };
  readonly tokens?: {
    readonly input: number;
    readonly cachedInput: number;
    readonly output: number;
    readonly reasoningOutput: number;
    readonly total: number;
  };
  readonly durationMs?: number | null;
  /** Unix seconds. */
  readonly startedAt?: number | null;
  /** Unix seconds. */
  readonly completedAt?: number | null;
}

/** Sent in a request of its own. */
export interface AcceptedLineFingerprintsFact {
  readonly type: 'accepted_line_fingerprints';
  readonly threadId: string;
  readonly turnId: string;
  readonly productSurface?: string | null;
  readonly modelSlug?: string | null;
  /** Unix seconds. */
  readonly completedAt: number;
  readonly repoHash?: string | null;
  readonly acceptedAddedLines: number;
  readonly acceptedDeletedLines: number;
  readonly lineFingerprints: ReadonlyArray<{ readonly pathHash: string; readonly lineHash: string }>;
}

/** Everything `track()` accepts. */
export type AnalyticsFact =
  | ThreadInitializedFact
  | AppMentionedFact
  | AppUsedFact
  | PluginUsedFact
  | TurnCompletedFact
  | AcceptedLineFingerprintsFact;
