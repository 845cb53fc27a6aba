import type { AnalyticsEvent, AppMentionedEvent, RuntimeMetadata } from './events.js';
import type { AnalyticsFact, AppInvocation, TrackingContext, TurnCompletedFact } from './facts.js';

/** What every event is stamped with: who sends it. */
export interface EventContext {
  /** Upstream's originator, e.g. `codex_cli_rs`. */
  readonly productClientId: string;
  readonly runtime: RuntimeMetadata;
}

const orNull = <T>(value: T | null | undefined): T | null => value ?? null;

function appMetadata(
  tracking: TrackingContext,
  app: AppInvocation,
  context: EventContext,
): AppMentionedEvent['event_params'] {
  return {
    connector_id: orNull(app.connectorId),
    thread_id: tracking.threadId,
    turn_id: tracking.turnId,
    app_name: orNull(app.appName),
    product_client_id: context.productClientId,
    invoke_type: orNull(app.invocationType),
    model_slug: tracking.modelSlug,
  };
}

function turnEvent(fact: TurnCompletedFact, context: EventContext): AnalyticsEvent {
  const counts = fact.counts ?? {};
  const tokens = fact.tokens;
  return {
    event_type: 'codex_turn_event',
    event_params: {
      thread_id: fact.threadId,
      turn_id: fact.turnId,
      product_client_id: context.productClientId,
      submission_type: orNull(fact.submissionType),
      model: orNull(fact.model),
      model_provider: fact.modelProvider,
      sandbox_policy: orNull(fact.sandboxPolicy),
      reasoning_effort: orNull(fact.reasoningEffort),
      reasoning_summary: orNull(fact.reasoningSummary),
      service_tier: fact.serviceTier ?? 'default',
      approval_policy: fact.approvalPolicy,
      approvals_reviewer: fact.approvalsReviewer,
      sandbox_network_access: fact.sandboxNetworkAccess,
      collaboration_mode: orNull(fact.collaborationMode),
      personality: orNull(fact.personality),
      num_input_images: fact.numInputImages,
      is_first_turn: fact.isFirstTurn,
      status: orNull(fact.status),
      turn_error: orNull(fact.turnError),
      steer_count: orNull(counts.steer),
      total_tool_call_count: orNull(counts.totalToolCalls),
      shell_command_count: orNull(counts.shellCommands),
      file_change_count: orNull(counts.fileChanges),
      mcp_tool_call_count: orNull(counts.mcpToolCalls),
      dynamic_tool_call_count: orNull(counts.dynamicToolCalls),
      subagent_tool_call_count: orNull(counts.subagentToolCalls),
      web_search_count: orNull(counts.webSearches),
      image_generation_count: orNull(counts.imageGenerations),
      input_tokens: tokens ? tokens.input : null,
      cached_input_tokens: tokens ? tokens.cachedInput : null,
      output_tokens: tokens ? tokens.output : null,
      reasoning_output_tokens: tokens ? tokens.reasoningOutput : null,
      total_tokens: tokens ? tokens.total : null,
      duration_ms: orNull(fact.durationMs),
      started_at: orNull(fact.startedAt),
      completed_at: orNull(fact.completedAt),
    },
  };
}

/** The events one fact turns into (an app-mentioned fact gives one event per mention). Not yet validated. */
export function factToEvents(fact: AnalyticsFact, context: EventContext): AnalyticsEvent[] {
  switch (fact.type) {
    case 'thread_initialized':
      return [
        {
          event_type: 'codex_thread_initialized',
          event_params: {
            thread_id: fact.threadId,
            app_server_client: {
              product_client_id: context.productClientId,
              client_name: orNull(fact.client.name),
              client_version: orNull(fact.client.version),
              rpc_transport: fact.client.rpcTransport,
              experimental_api_enabled: orNull(fact.client.experimentalApiEnabled),
            },
            runtime: context.runtime,
            model: fact.model,
            ephemeral: fact.ephemeral,
            thread_source: orNull(fact.threadSource),
            initialization_mode: fact.initializationMode,
            subagent_source: orNull(fact.subagentSource),
            parent_thread_id: orNull(fact.parentThreadId),
            created_at: fact.createdAt,
          },
        },
      ];
    case 'app_mentioned':
      return fact.mentions.map((mention) => ({
        event_type: 'codex_app_mentioned',
        event_params: appMetadata(fact.tracking, mention, context),
      }));
    case 'app_used':
      return [{ event_type: 'codex_app_used', event_params: appMetadata(fact.tracking, fact.app, context) }];
    case 'plugin_used':
      return [
        {
          event_type: 'codex_plugin_used',
          event_params: {
            plugin_id: fact.plugin.pluginId,
            plugin_name: orNull(fact.plugin.pluginName),
            marketplace_name: orNull(fact.plugin.marketplaceName),
            has_skills: orNull(fact.plugin.hasSkills),
            mcp_server_count: orNull(fact.plugin.mcpServerCount),
            connector_ids: fact.plugin.connectorIds ? [...fact.plugin.connectorIds] : null,
            product_client_id: context.productClientId,
            thread_id: fact.tracking.threadId,
            turn_id: fact.tracking.turnId,
            model_slug: fact.tracking.modelSlug,
          },
        },
      ];
    case 'turn_completed':
      return [turnEvent(fact, context)];
    case 'accepted_line_fingerprints':
      return [
        {
          event_type: 'codex_accepted_line_fingerprints',
          event_params: {
            event_type: 'codex.accepted_line_fingerprints',
            turn_id: fact.turnId,
            thread_id: fact.threadId,
            product_surface: orNull(fact.productSurface),
            model_slug: orNull(fact.modelSlug),
            completed_at: fact.completedAt,
            repo_hash: orNull(fact.repoHash),
            accepted_added_lines: fact.acceptedAddedLines,
            accepted_deleted_lines: fact.acceptedDeletedLines,
            line_fingerprints: fact.lineFingerprints.map((f) => ({
              path_hash: f.pathHash,
              line_hash: f.lineHash,
            })),
          },
        },
      ];
    default:
      return [];
  }
}
