/** One item of the conversation (a message, a function call, its output, reasoning…), as the Responses API has it. */
export type ResponseItem = { readonly type?: string; readonly [key: string]: unknown };

/** What a turn asks the model. */
export interface TurnRequest {
  readonly model: string;
  readonly instructions: string;
  readonly input: readonly ResponseItem[];
  /** JSON tool definitions; `[]` by default. */
  readonly tools?: readonly unknown[];
  readonly parallelToolCalls?: boolean;
  /** `{effort, summary}`; `null` (sent as `null`) by default. */
  readonly reasoning?: { readonly effort?: string; readonly summary?: string } | null;
  /** E.g. `['reasoning.encrypted_content']`; `[]` by default. */
  readonly include?: readonly string[];
  /** The thread id by default. */
  readonly promptCacheKey?: string;
  /** Sent as the `text` controls (verbosity, output schema) when given. */
  readonly text?: unknown;
  /** `client_metadata`, e.g. `{'x-codex-installation-id': …}`. */
  readonly clientMetadata?: Readonly<Record<string, string>>;
  /** The `x-codex-turn-metadata` header value (a JSON string) when given. */
  readonly turnMetadata?: string;
}

/** The Responses body upstream Codex sends: `store: false`, `stream: true`, `tool_choice: 'auto'`. */
export function responsesBody(request: TurnRequest, threadId: string): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model: request.model,
    instructions: request.instructions,
    input: request.input,
    tools: request.tools ?? [],
    tool_choice: 'auto',
    parallel_tool_calls: request.parallelToolCalls ?? false,
    reasoning: request.reasoning ?? null,
    store: false,
    stream: true,
    include: request.include ?? [],
    prompt_cache_key: request.promptCacheKey ?? threadId,
  };
  if (request.text !== undefined) body.text = request.text;
  if (request.clientMetadata !== undefined) body.client_metadata = request.clientMetadata;
  return body;
}

/** Who is calling: sent as `originator` and `User-Agent`. */
export interface ClientIdentity {
  /** `codex_cli_rs` by default, as upstream's CLI. */
  readonly originator?: string;
  readonly userAgent?: string;
}

export const DEFAULT_ORIGINATOR = 'codex_cli_rs';
export const WEBSOCKET_BETA_HEADER = 'responses_websockets=2026-02-06';

/**
 * The non-auth headers of a turn (per attempt): provider headers, `env_http_headers` read from `env`,
 * `session_id`, `originator`, `User-Agent`, `x-client-request-id` (the thread id), `x-codex-turn-metadata`.
 * HTTP adds `Accept: text/event-stream` and `Content-Type`; a websocket handshake adds `OpenAI-Beta`.
 */
export function turnHeaders(o: {
  readonly transport: 'http' | 'websocket';
  readonly httpHeaders?: Readonly<Record<string, string>> | undefined;
  readonly envHttpHeaders?: Readonly<Record<string, string>> | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly sessionId: string;
  readonly threadId: string;
  readonly client: ClientIdentity;
  readonly turnMetadata?: string | undefined;
}): Record<string, string> {
  const headers: Record<string, string> = { ...o.httpHeaders };
  for (const [name, variable] of Object.entries(o.envHttpHeaders ?? {})) {
    const value = o.env[variable]?.trim();
    if (value) headers[name] = value;
  }
  const originator = o.client.originator ?? DEFAULT_ORIGINATOR;
  headers.originator = originator;
  headers['User-Agent'] = o.client.userAgent ?? `${originator} (codex-ts; Node ${process.versions.node})`;
  headers.session_id = o.sessionId;
  headers['x-client-request-id'] = o.threadId;
  if (o.turnMetadata !== undefined) headers['x-codex-turn-metadata'] = o.turnMetadata;
  if (o.transport === 'http') {
    headers.Accept = 'text/event-stream';
    headers['Content-Type'] = 'application/json';
  } else {
    headers['OpenAI-Beta'] = WEBSOCKET_BETA_HEADER;
  }
  return headers;
}
