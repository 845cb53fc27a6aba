import { z } from 'zod';

/**
 * The wire events, one zod schema each. Field names, order and nullability follow upstream's serde structs
 * (`codex-rs/analytics/src/events.rs`): an absent optional value is sent as `null`, never left out.
 */

const nullableString = z.string().nullable();
const count = z.number().int().min(0);
const nullableCount = count.nullable();
const nullableInt = z.number().int().nullable();

export const rpcTransportSchema = z.enum(['stdio', 'websocket', 'in_process']);
export const invocationTypeSchema = z.enum(['explicit', 'implicit']);
export const initializationModeSchema = z.enum(['new', 'forked', 'resumed']);
export const turnStatusSchema = z.enum(['completed', 'failed', 'interrupted']);

export const appServerClientMetadataSchema = z.strictObject({
  product_client_id: z.string(),
  client_name: nullableString,
  client_version: nullableString,
  rpc_transport: rpcTransportSchema,
  experimental_api_enabled: z.boolean().nullable(),
});

export const runtimeMetadataSchema = z.strictObject({
  codex_rs_version: z.string(),
  runtime_os: z.string(),
  runtime_os_version: z.string(),
  runtime_arch: z.string(),
});

export const threadInitializedEventSchema = z.strictObject({
  event_type: z.literal('codex_thread_initialized'),
  event_params: z.strictObject({
    thread_id: z.string().min(1),
    app_server_client: appServerClientMetadataSchema,
    runtime: runtimeMetadataSchema,
    model: z.string(),
    ephemeral: z.boolean(),
    thread_source: z.enum(['user', 'subagent']).nullable(),
    initialization_mode: initializationModeSchema,
    subagent_source: nullableString,
    parent_thread_id: nullableString,
    created_at: count,
  }),
});

const appMetadataSchema = z.strictObject({
  connector_id: nullableString,
  thread_id: nullableString,
  turn_id: nullableString,
  app_name: nullableString,
  product_client_id: nullableString,
  invoke_type: invocationTypeSchema.nullable(),
  model_slug: nullableString,
});

export const appMentionedEventSchema = z.strictObject({
  event_type: z.literal('codex_app_mentioned'),
  event_params: appMetadataSchema,
});

export const appUsedEventSchema = z.strictObject({
  event_type: z.literal('codex_app_used'),
  event_params: appMetadataSchema,
});

export const pluginUsedEventSchema = z.strictObject({
  event_type: z.literal('codex_plugin_used'),
  event_params: z.strictObject({
    plugin_id: nullableString,
    plugin_name: nullableString,
    marketplace_name: nullableString,
    has_skills: z.boolean().nullable(),
    mcp_server_count: nullableCount,
    connector_ids: z.array(z.string()).nullable(),
    product_client_id: nullableString,
    thread_id: nullableString,
    turn_id: nullableString,
    model_slug: nullableString,
  }),
});

export const turnEventSchema = z.strictObject({
  event_type: z.literal('codex_turn_event'),
  event_params: z.strictObject({
    thread_id: z.string().min(1),
    turn_id: z.string().min(1),
    product_client_id: z.string(),
    submission_type: z.enum(['default', 'queued']).nullable(),
    model: nullableString,
    model_provider: z.string(),
    sandbox_policy: z.enum(['full_access', 'read_only', 'workspace_write', 'external_sandbox']).nullable(),
    reasoning_effort: nullableString,
    reasoning_summary: nullableString,
    service_tier: z.string(),
    approval_policy: z.string(),
    approvals_reviewer: z.string(),
    sandbox_network_access: z.boolean(),
    collaboration_mode: z.enum(['plan', 'default']).nullable(),
    personality: nullableString,
    num_input_images: count,
    is_first_turn: z.boolean(),
    status: turnStatusSchema.nullable(),
    turn_error: z.unknown().nullable(),
    steer_count: nullableCount,
    total_tool_call_count: nullableCount,
    shell_command_count: nullableCount,
    file_change_count: nullableCount,
    mcp_tool_call_count: nullableCount,
    dynamic_tool_call_count: nullableCount,
    subagent_tool_call_count: nullableCount,
    web_search_count: nullableCount,
    image_generation_count: nullableCount,
    input_tokens: nullableInt,
    cached_input_tokens: nullableInt,
    output_tokens: nullableInt,
    reasoning_output_tokens: nullableInt,
    total_tokens: nullableInt,
    duration_ms: nullableCount,
    started_at: nullableCount,
    completed_at: nullableCount,
  }),
});

export const acceptedLineFingerprintsEventSchema = z.strictObject({
  event_type: z.literal('codex_accepted_line_fingerprints'),
  event_params: z.strictObject({
    event_type: z.string(),
    turn_id: z.string().min(1),
    thread_id: z.string().min(1),
    product_surface: nullableString,
    model_slug: nullableString,
    completed_at: count,
    repo_hash: nullableString,
    accepted_added_lines: count,
    accepted_deleted_lines: count,
    line_fingerprints: z.array(z.strictObject({ path_hash: z.string(), line_hash: z.string() })),
  }),
});

export type ThreadInitializedEvent = z.infer<typeof threadInitializedEventSchema>;
export type AppMentionedEvent = z.infer<typeof appMentionedEventSchema>;
export type AppUsedEvent = z.infer<typeof appUsedEventSchema>;
export type PluginUsedEvent = z.infer<typeof pluginUsedEventSchema>;
export type TurnEvent = z.infer<typeof turnEventSchema>;
export type AcceptedLineFingerprintsEvent = z.infer<typeof acceptedLineFingerprintsEventSchema>;
export type AppServerClientMetadata = z.infer<typeof appServerClientMetadataSchema>;
export type RuntimeMetadata = z.infer<typeof runtimeMetadataSchema>;

/** Every event this package sends. */
export type AnalyticsEvent =
  | ThreadInitializedEvent
  | AppMentionedEvent
  | AppUsedEvent
  | PluginUsedEvent
  | TurnEvent
  | AcceptedLineFingerprintsEvent;

/** One schema per event type, used to check every event before it leaves the process. */
export const EVENT_SCHEMAS = {
  codex_thread_initialized: threadInitializedEventSchema,
  codex_app_mentioned: appMentionedEventSchema,
  codex_app_used: appUsedEventSchema,
  codex_plugin_used: pluginUsedEventSchema,
  codex_turn_event: turnEventSchema,
  codex_accepted_line_fingerprints: acceptedLineFingerprintsEventSchema,
} as const satisfies Record<AnalyticsEvent['event_type'], z.ZodType>;

/** Event types that must travel in a request of their own (upstream: the accepted-line fingerprints). */
export function isIsolatedEvent(event: AnalyticsEvent): boolean {
  return event.event_type === 'codex_accepted_line_fingerprints';
}
