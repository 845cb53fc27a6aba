import {
  type AuthProvider,
  bearerAuthProvider,
  createAuthFetch,
  type FetchLike,
} from '@codex-ts/auth-provider';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  type CallToolResult,
  CallToolResultSchema,
  type Tool,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { type AppsTool, appsTool } from './apps-tool.js';
import type { FileUploader } from './collaborators.js';
import { toAppsMcpError } from './error-mapping.js';
import { AppsMcpError } from './errors.js';
import { uploadFileArguments } from './file-arguments.js';
import { StreamWatchTransport } from './stream-watch-transport.js';
import { qualifyToolNames } from './tool-names.js';
import {
  type AppsToolsCacheKey,
  appsToolsCachePath,
  type CachedAppsTool,
  readAppsToolsCache,
  writeAppsToolsCache,
} from './tools-cache.js';
import { codexAppsMcpUrl } from './urls.js';

export const DEFAULT_STARTUP_TIMEOUT_MS = 30_000;
export const DEFAULT_TOOL_TIMEOUT_MS = 300_000;
export const CODEX_CONNECTORS_TOKEN_ENV = 'CODEX_CONNECTORS_TOKEN';

export interface CodexAppsConnectionOptions {
  /** The ChatGPT base URL, e.g. `https://chatgpt.com/backend-api`. */
  readonly chatgptBaseUrl: string;
  /** Authorizes every MCP HTTP request (the background task's assertion, or bearer), asked per request. */
  readonly provider: AuthProvider;
  /** Config `apps_mcp_path_override` (e.g. `ps/mcp`). */
  readonly pathOverride?: string;
  /** Where `CODEX_CONNECTORS_TOKEN` is read; default `process.env`. When set, it is sent as a bearer instead. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** `$CODEX_HOME`, for the tools cache; with `cacheKey`. Without both, nothing is cached on disk. */
  readonly codexHome?: string;
  readonly cacheKey?: AppsToolsCacheKey;
  readonly startupTimeoutMs?: number;
  readonly toolTimeoutMs?: number;
  /** Uploads file arguments (backend-client's client satisfies it). */
  readonly fileUploader?: FileUploader;
  /** The fetch underneath `createAuthFetch`; the global one by default. */
  readonly fetch?: FetchLike;
  readonly clientInfo?: { readonly name: string; readonly version: string };
}

export interface CallToolOptions {
  /** The thread's provider: file arguments are uploaded with it. Default: the connection's provider. */
  readonly provider?: AuthProvider;
  readonly signal?: AbortSignal;
  /** Relative file paths resolve against it. */
  readonly cwd?: string;
}

/**
 * The `codex_apps` connection: a Streamable HTTP MCP client (the official SDK) whose every HTTP request —
 * initialize, `tools/list`, `tools/call`, the SSE GET, the session DELETE — goes through
 * `createAuthFetch(provider)`, so each carries fresh headers and a 401 gets the provider's one recovery.
 */
export class CodexAppsConnection {
  readonly url: string;
  private readonly options: Omit<CodexAppsConnectionOptions, 'env' | 'provider'>;
  private readonly provider: AuthProvider;
  private readonly cachePath: string | undefined;
  private readonly validator = new AjvJsonSchemaValidator();
  private client: Client | undefined;
  private transport: StreamWatchTransport | undefined;
  private tools: AppsTool[] | undefined;
  private listeners = new Set<(tools: readonly AppsTool[]) => void>();
  private toolsVersion = 0;
  private starting: Promise<readonly AppsTool[]> | undefined;

  constructor(options: CodexAppsConnectionOptions) {
    const { env: _env, provider: _provider, ...kept } = options;
    this.options = kept;
    this.url = codexAppsMcpUrl(options.chatgptBaseUrl, options.pathOverride);
    const token = (options.env ?? process.env)[CODEX_CONNECTORS_TOKEN_ENV]?.trim();
    this.provider = token ? bearerAuthProvider({ token }) : options.provider;
    this.cachePath =
      options.codexHome !== undefined && options.cacheKey !== undefined
        ? appsToolsCachePath(options.codexHome, options.cacheKey)
        : undefined;
  }

  /** The tools from the disk cache for this account (no network), or `undefined` when there is none to trust. */
  cachedTools(): AppsTool[] | undefined {
    if (this.cachePath === undefined) return undefined;
    const cached = readAppsToolsCache(this.cachePath);
    return cached === undefined ? undefined : qualify(cached.map((c) => c.tool));
  }

  /** Bumped each time the tool list changes; compare to notice a change. */
  get version(): number {
    return this.toolsVersion;
  }

  /**
   * Connects (initialize) and lists the tools, within the startup timeout; writes the cache. Single flight: callers
   * during a start share it, and a started connection answers with its tools. A failed start can be tried again.
   */
  start(options: { signal?: AbortSignal } = {}): Promise<readonly AppsTool[]> {
    if (this.client) return Promise.resolve(this.tools ?? []);
    this.starting ??= this.connect(options).finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async connect(options: { signal?: AbortSignal }): Promise<readonly AppsTool[]> {
    const timeout = this.options.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS;
    const deadline = AbortSignal.timeout(timeout);
    const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
    const authFetch = createAuthFetch(this.provider, this.options.fetch ? { fetch: this.options.fetch } : {});
    const transport = new StreamWatchTransport(new URL(this.url), authFetch);
    const client = new Client(this.options.clientInfo ?? { name: 'codex-ts-mcp-client', version: '0.1.0' }, {
      capabilities: {},
    });
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      void this.refreshTools().catch(() => undefined);
    });
    client.onerror = () => undefined;
    try {
      await client.connect(transport, { signal, timeout });
      this.client = client;
      this.transport = transport;
      return await this.refreshTools({ signal, timeout });
    } catch (error) {
      await transport.close().catch(() => undefined);
      this.client = undefined;
      if (deadline.aborted && !options.signal?.aborted) {
        throw new AppsMcpError('startup_timeout', `the apps MCP server did not start within ${timeout} ms`, {
          cause: error,
        });
      }
      throw toAppsMcpError(error, 'startup', options.signal);
    }
  }

  /** The current tools: live once started, else from the cache, else none. */
  listTools(): readonly AppsTool[] {
    return this.tools ?? this.cachedTools() ?? [];
  }

  /** Lists the tools again from the server (all pages), updates the cache and tells the listeners. */
  async refreshTools(options: { signal?: AbortSignal; timeout?: number } = {}): Promise<readonly AppsTool[]> {
    const client = this.requireClient();
    const raw: Tool[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor === undefined ? {} : { cursor }, {
        ...(options.signal ? { signal: options.signal } : {}),
        timeout: options.timeout ?? this.options.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS,
      });
      raw.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor);
    const tools = qualify(raw);
    this.tools = tools;
    this.toolsVersion++;
    if (this.cachePath !== undefined) writeAppsToolsCache(this.cachePath, tools.map(cacheEntry));
    for (const listener of this.listeners) listener(tools);
    return tools;
  }

  /** Called with the new list whenever the tools change. Returns the unsubscribe function. */
  onToolsChanged(listener: (tools: readonly AppsTool[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Calls a tool by its qualified (`mcp__codex_apps__…`) or raw name. The arguments are checked against the
   * model-visible input schema; file arguments are uploaded first with `options.provider` (the thread's).
   */
  async callTool(
    name: string,
    args: Record<string, unknown> = {},
    options: CallToolOptions = {},
  ): Promise<CallToolResult> {
    const client = this.requireClient();
    const tool =
      this.tools?.find((t) => t.qualifiedName === name) ?? this.tools?.find((t) => t.tool.name === name);
    if (!tool) throw new AppsMcpError('unknown_tool', `no apps tool named ${name}`);
    const check = this.validator.getValidator(tool.modelInputSchema as never)(args);
    if (!check.valid) {
      throw new AppsMcpError(
        'invalid_arguments',
        `${tool.qualifiedName}: ${check.errorMessage ?? 'invalid arguments'}`,
      );
    }
    const rewritten = await uploadFileArguments(tool, args, {
      uploader: this.options.fileUploader,
      provider: options.provider ?? this.provider,
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    try {
      return (await client.callTool({ name: tool.tool.name, arguments: rewritten }, CallToolResultSchema, {
        ...(options.signal ? { signal: options.signal } : {}),
        timeout: this.options.toolTimeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS,
      })) as CallToolResult;
    } catch (error) {
      throw toAppsMcpError(error, 'tool', options.signal);
    }
  }

  /** Ends the session (DELETE) and closes the transport. */
  async close(): Promise<void> {
    const transport = this.transport;
    this.client = undefined;
    this.transport = undefined;
    if (!transport) return;
    await transport.terminateSession().catch(() => undefined);
    await transport.close().catch(() => undefined);
  }

  /** What `util.inspect` shows: the URL and state, never a credential. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `CodexAppsConnection { url: '${this.url}', started: ${this.client !== undefined}, tools: ${this.tools?.length ?? 'none'} }`;
  }

  toJSON(): { url: string; started: boolean } {
    return { url: this.url, started: this.client !== undefined };
  }

  private requireClient(): Client {
    if (!this.client) throw new AppsMcpError('not_connected', 'the apps MCP connection is not started');
    return this.client;
  }
}

function qualify(raw: readonly Tool[]): AppsTool[] {
  const names = qualifyToolNames(raw.map((t) => t.name));
  const byRaw = new Map(raw.map((t) => [t.name, t]));
  return [...names].map(([qualified, rawName]) => appsTool(qualified, byRaw.get(rawName)!));
}

function cacheEntry(tool: AppsTool): CachedAppsTool {
  return { tool: tool.tool, connectorId: tool.connectorId, connectorName: tool.connectorName };
}
