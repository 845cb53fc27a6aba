import { randomUUID } from 'node:crypto';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { App } from './app.js';
import type { AppsMcpSession } from './apps-mcp-store.js';
import { HttpError, header, readJson } from './http.js';
import type { Ctx, Router } from './router.js';

/** Where the ChatGPT apps MCP server lives: upstream's `wham/apps`, and `ps/mcp` as newer servers serve it. */
export const APPS_MCP_PATHS = ['/backend-api/wham/apps', '/backend-api/ps/mcp'] as const;
const MAX_SESSIONS = 256;

/** The connectors' tools: one echoes, one reports the size of an uploaded file, one always fails. */
function buildServer(app: App, userId: string): McpServer {
  const server = new McpServer(
    { name: 'codex-ts-dev-backend-apps', version: '0.1.0' },
    { capabilities: { tools: { listChanged: true } } },
  );
  server.registerTool(
    'github_echo',
    {
      title: 'Echo',
      description: 'Echoes its text back (GitHub, dev)',
      inputSchema: { text: z.string() },
      _meta: { connector_id: 'connector_dev_github', connector_name: 'GitHub (dev)' },
    },
    async ({ text }) => ({ content: [{ type: 'text', text }] }),
  );
  server.registerTool(
    'drive_file_size',
    {
      title: 'File size',
      description: 'Reports the size in bytes of a file uploaded to /backend-api/files (Drive, dev)',
      inputSchema: {
        file: z.strictObject({
          file_id: z.string(),
          download_url: z.string().optional(),
          file_name: z.string().optional(),
        }),
      },
      _meta: {
        connector_id: 'connector_dev_drive',
        connector_name: 'Drive (dev)',
        'openai/fileParams': ['file'],
      },
    },
    async ({ file }) => {
      const record = app.memory.files.get(file.file_id);
      if (!record || record.userId !== userId || record.content === undefined) {
        return { content: [{ type: 'text', text: `no uploaded file ${file.file_id}` }], isError: true };
      }
      return {
        content: [{ type: 'text', text: `${record.fileName}: ${record.content.length} bytes` }],
        structuredContent: {
          file_id: record.fileId,
          file_name: record.fileName,
          size: record.content.length,
        },
      };
    },
  );
  server.registerTool(
    'calendar_fail',
    {
      title: 'Fail',
      description: 'Always fails (Calendar, dev)',
      inputSchema: {},
      _meta: { connector_id: 'connector_dev_calendar', connector_name: 'Calendar (dev)' },
    },
    async () => ({ content: [{ type: 'text', text: 'the calendar is unavailable' }], isError: true }),
  );
  return server;
}

async function openSession(app: App, userId: string): Promise<StreamableHTTPServerTransport> {
  const sessions = app.memory.appsMcpSessions;
  const server = buildServer(app, userId);
  const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    onsessioninitialized: (id) => {
      if (sessions.size >= MAX_SESSIONS) {
        const [oldest] = sessions.keys();
        if (oldest !== undefined) {
          void sessions.get(oldest)?.transport.close();
          sessions.delete(oldest);
        }
      }
      sessions.set(id, { userId, server, transport } satisfies AppsMcpSession);
    },
  });
  transport.onclose = () => {
    if (transport.sessionId !== undefined) sessions.delete(transport.sessionId);
  };
  await server.connect(transport);
  return transport;
}

/**
 * POST/GET/DELETE on the apps MCP endpoint (Streamable HTTP, the SDK's server). Authenticated like every other
 * protected route (bearer or assertion; the request log shows which); a session belongs to the user who opened it.
 */
async function appsMcp(ctx: Ctx): Promise<void> {
  const { app } = ctx;
  const userId = ctx.principal!.user.userId;
  const body = ctx.req.method === 'POST' ? await readJson(ctx.req, app.options.maxBodyBytes) : undefined;
  const sessionId = header(ctx.req, 'mcp-session-id');
  let transport: StreamableHTTPServerTransport;
  if (sessionId !== undefined) {
    const session = app.memory.appsMcpSessions.get(sessionId);
    if (!session || session.userId !== userId)
      throw new HttpError(404, 'session_not_found', 'no such MCP session');
    transport = session.transport;
  } else {
    if (!isInitializeRequest(body)) {
      throw new HttpError(400, 'missing_session', 'Mcp-Session-Id is required after initialize');
    }
    transport = await openSession(app, userId);
  }
  await transport.handleRequest(ctx.req, ctx.res, body);
}

export function appsMcpRoutes(router: Router): void {
  for (const path of APPS_MCP_PATHS) {
    router
      .add('POST', path, 'protected', appsMcp)
      .add('GET', path, 'protected', appsMcp)
      .add('DELETE', path, 'protected', appsMcp);
  }
}
