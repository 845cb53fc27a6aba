import { describe, expect, it } from 'vitest';
import { EVENT_SCHEMAS, factToEvents } from '../src/index.js';
import { runtime, threadInitialized, tracking } from './support/facts.js';

const context = { productClientId: 'codex_cli_rs', runtime };

describe('facts become upstream-shaped events', () => {
  it('codex_thread_initialized carries every upstream param, absent ones as null', () => {
    expect(factToEvents(threadInitialized, context)).toEqual([
      {
        event_type: 'codex_thread_initialized',
        event_params: {
          thread_id: 'thread-1',
          app_server_client: {
            product_client_id: 'codex_cli_rs',
            client_name: 'vscode',
            client_version: '1.2.3',
            rpc_transport: 'stdio',
            experimental_api_enabled: true,
          },
          runtime,
          model: 'gpt-5',
          ephemeral: false,
          thread_source: 'user',
          initialization_mode: 'new',
          subagent_source: null,
          parent_thread_id: null,
          created_at: 1_700_000_000,
        },
      },
    ]);
    const json = JSON.stringify(factToEvents(threadInitialized, context)[0]);
    expect(Object.keys(JSON.parse(json).event_params)).toEqual([
      'thread_id',
      'app_server_client',
      'runtime',
      'model',
      'ephemeral',
      'thread_source',
      'initialization_mode',
      'subagent_source',
      'parent_thread_id',
      'created_at',
    ]);
  });

  it('an app-mentioned fact gives one codex_app_mentioned event per mention', () => {
    const events = factToEvents(
      {
        type: 'app_mentioned',
        tracking,
        mentions: [{ connectorId: 'c1', appName: 'One', invocationType: 'explicit' }, {}],
      },
      context,
    );
    expect(events).toEqual([
      {
        event_type: 'codex_app_mentioned',
        event_params: {
          connector_id: 'c1',
          thread_id: 'thread-1',
          turn_id: 'turn-1',
          app_name: 'One',
          product_client_id: 'codex_cli_rs',
          invoke_type: 'explicit',
          model_slug: 'gpt-5',
        },
      },
      {
        event_type: 'codex_app_mentioned',
        event_params: {
          connector_id: null,
          thread_id: 'thread-1',
          turn_id: 'turn-1',
          app_name: null,
          product_client_id: 'codex_cli_rs',
          invoke_type: null,
          model_slug: 'gpt-5',
        },
      },
    ]);
  });

  it('a turn-completed fact gives codex_turn_event with defaults as upstream (service tier "default")', () => {
    const [event] = factToEvents(
      {
        type: 'turn_completed',
        threadId: 'thread-1',
        turnId: 'turn-1',
        model: 'gpt-5',
        modelProvider: 'openai',
        sandboxPolicy: 'workspace_write',
        approvalPolicy: 'on-request',
        approvalsReviewer: 'user',
        sandboxNetworkAccess: false,
        collaborationMode: 'default',
        numInputImages: 1,
        isFirstTurn: true,
        status: 'completed',
        tokens: { input: 10, cachedInput: 2, output: 5, reasoningOutput: 1, total: 15 },
        durationMs: 1200,
        startedAt: 100,
        completedAt: 102,
      },
      context,
    );
    expect(event).toEqual({
      event_type: 'codex_turn_event',
      event_params: {
        thread_id: 'thread-1',
        turn_id: 'turn-1',
        product_client_id: 'codex_cli_rs',
        submission_type: null,
        model: 'gpt-5',
        model_provider: 'openai',
        sandbox_policy: 'workspace_write',
        reasoning_effort: null,
        reasoning_summary: null,
        service_tier: 'default',
        approval_policy: 'on-request',
        approvals_reviewer: 'user',
        sandbox_network_access: false,
        collaboration_mode: 'default',
        personality: null,
        num_input_images: 1,
        is_first_turn: true,
        status: 'completed',
        turn_error: null,
        steer_count: null,
        total_tool_call_count: null,
        shell_command_count: null,
        file_change_count: null,
        mcp_tool_call_count: null,
        dynamic_tool_call_count: null,
        subagent_tool_call_count: null,
        web_search_count: null,
        image_generation_count: null,
        input_tokens: 10,
        cached_input_tokens: 2,
        output_tokens: 5,
        reasoning_output_tokens: 1,
        total_tokens: 15,
        duration_ms: 1200,
        started_at: 100,
        completed_at: 102,
      },
    });
    expect(EVENT_SCHEMAS.codex_turn_event.safeParse(event).success).toBe(true);
  });

  it('each schema rejects what upstream could not have sent', () => {
    const [event] = factToEvents({ ...threadInitialized, createdAt: -1 } as never, context);
    expect(EVENT_SCHEMAS.codex_thread_initialized.safeParse(event).success).toBe(false);
    expect(
      EVENT_SCHEMAS.codex_app_used.safeParse({ event_type: 'codex_app_used', event_params: {} }).success,
    ).toBe(false);
  });
});
