import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

/** One MCP session of the apps server: bound to the user who initialized it. */
export interface AppsMcpSession {
  readonly userId: string;
  readonly server: McpServer;
  readonly transport: StreamableHTTPServerTransport;
}

/** The apps MCP feature's in-memory store: open sessions by `Mcp-Session-Id` (lost on restart). */
export interface AppsMcpStore {
  readonly appsMcpSessions: Map<string, AppsMcpSession>;
}

export function createAppsMcpStore(): AppsMcpStore {
  return { appsMcpSessions: new Map() };
}
