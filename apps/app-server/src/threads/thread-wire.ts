import { wireTurn } from '../turns/turn-wire.js';
import { type ThreadRecord, type ThreadStatus, threadPreview } from './thread-model.js';

/** How a thread is shown: with its turns, as loaded in this process, and whether in a listing of stored threads. */
export interface ThreadView {
  readonly includeTurns: boolean;
  /** The thread is loaded here (its environment is selected; it takes turns). */
  readonly loaded: boolean;
  /** thread/list reports stored metadata: no live capability, as upstream's listing. */
  readonly listing?: boolean;
}

/** The one environment of a codex-ts thread: the local machine, its workspace the thread's cwd. */
export function threadEnvironments(cwd: string): Array<Record<string, unknown>> {
  return [{ environmentId: 'local', cwd, runtimeWorkspaceRoots: [cwd] }];
}

/**
 * The wire `Thread` (turns only when asked for, each with every item the rollout has). The features codex-ts threads
 * do not have are sent as upstream sends them for a thread without them: null (or their schema default).
 */
export function toWireThread(
  record: ThreadRecord,
  status: ThreadStatus,
  view: ThreadView,
): Record<string, unknown> {
  const { meta } = record;
  return {
    id: meta.id,
    // null: the thread is not loaded, so no environment is selected.
    environments: view.loaded ? threadEnvironments(meta.cwd) : null,
    extra: null, // no implementation-specific thread data
    sessionId: meta.id,
    forkedFromId: null, // codex-ts does not fork threads
    attachedToThreadId: null, // nor attach one to another
    parentThreadId: null, // nor spawn sub-agents
    preview: threadPreview(record.turns),
    ephemeral: false,
    section: null, // no thread sections
    sectionEnteredAt: null,
    projectId: null,
    // `legacy`: a thread's history is read whole (thread/read, thread/resume); codex-ts serves none of the paginated
    // history methods (thread/turns/list, thread/items/list) a `paginated` thread promises.
    historyMode: 'legacy',
    modelProvider: meta.modelProvider,
    model: meta.model,
    reasoningEffort: null, // codex-ts sends no reasoning effort with a turn
    createdAt: meta.createdAt,
    updatedAt: record.updatedAt,
    // A codex-ts thread's only activity is its turns: it is as recent as its last update.
    recencyAt: record.updatedAt,
    status,
    path: record.path,
    cwd: meta.cwd,
    cliVersion: meta.cliVersion,
    originator: meta.originator,
    source: meta.source,
    canAcceptDirectInput: view.loaded && !view.listing ? true : null,
    threadSource: null, // no analytics source classification
    agentNickname: null, // no sub-agents
    agentRole: null,
    gitInfo: null, // no git metadata captured
    name: null,
    daybreakEnabled: null, // no Daybreak choice saved
    turns: view.includeTurns ? record.turns.map((t) => wireTurn(t, 'full')) : [],
  };
}

/**
 * What thread/start and thread/resume report besides the thread (this server runs no tools: read-only). The
 * permissions are those of upstream's implicit built-in `:read-only` profile (codex-ts has no configurable
 * profiles); no service tier or reasoning effort is sent with a turn (null); `multiAgentMode` is deprecated upstream
 * and always `explicitRequestOnly` (codex-ts has no sub-agents at all).
 *
 * thread/resume adds what upstream 0.169 adds there, in its places (compared live in the interop suite): the
 * `default` collaboration mode on the thread's model, no initial turns page, and no backwards cursors. The cursors
 * page a `paginated` thread through thread/turns/list and thread/items/list; a codex-ts thread is `legacy` and its
 * resume carries every turn, so there is nothing to page (null).
 */
export function threadSettings(record: ThreadRecord, resumed = false): Record<string, unknown> {
  const { meta } = record;
  return {
    model: meta.model,
    modelProvider: meta.modelProvider,
    serviceTier: null,
    disabledPluginIds: [],
    cwd: meta.cwd,
    runtimeWorkspaceRoots: [meta.cwd],
    instructionSources: [],
    approvalPolicy: 'on-request',
    approvalsReviewer: 'user',
    sandbox: { type: 'readOnly', networkAccess: false },
    activePermissionProfile: { id: ':read-only', extends: null },
    reasoningEffort: null,
    ...(resumed
      ? {
          collaborationMode: {
            mode: 'default',
            settings: { model: meta.model, reasoning_effort: null, developer_instructions: null },
          },
        }
      : {}),
    multiAgentMode: 'explicitRequestOnly',
    ...(resumed ? { initialTurnsPage: null, turnsBackwardsCursor: null, itemsBackwardsCursor: null } : {}),
  };
}
