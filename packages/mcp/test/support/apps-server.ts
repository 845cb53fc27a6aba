import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authorizationScheme } from '@codex-ts/auth-provider';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

/** One HTTP request the test apps server saw. */
export interface AppsRequest {
  readonly method: string;
  readonly path: string;
  readonly scheme: string;
  readonly authorization: string | undefined;
  /** The JSON-RPC method of a POST, when it carried one request or notification. */
  readonly rpc: string | undefined;
  readonly status: number;
}

export interface AppsServer {
  readonly url: string;
  readonly chatgptBaseUrl: string;
  readonly seen: AppsRequest[];
  /** The next `n` MCP requests get 401. */
  refuseNext(n: number): void;
  /** Sizes of files the test uploader "stored", by id. */
  readonly files: Map<string, number>;
  /** Adds a tool and tells connected clients the list changed. */
  addTool(name: string): void;
  close(): Promise<void>;
}

/** A loopback `codex_apps` MCP server built with the SDK: echo, file_size, fail, hang, drop_stream. */
export async function startAppsServer(): Promise<AppsServer> {
  const seen: AppsRequest[] = [];
  const files = new Map<string, number>();
  const sessions = new Map<string, { transport: StreamableHTTPServerTransport; server: McpServer }>();
  let refusals = 0;

  const build = () => {
    const server = new McpServer(
      { name: 'codex-apps-test', version: '1.0.0' },
      { capabilities: { tools: { listChanged: true }, logging: {} } },
    );
    server.registerTool(
      'echo',
      {
        description: 'Echoes its text',
        inputSchema: { text: z.string() },
        _meta: {
          connector_id: 'connector_echo',
          connector_name: 'Echo',
          connector_description: 'Says it back',
        },
      },
      async ({ text }) => ({ content: [{ type: 'text', text }] }),
    );
    server.registerTool(
      'file_size',
      {
        description: 'Reports the size of an uploaded file',
        inputSchema: {
          file: z.strictObject({
            file_id: z.string(),
            download_url: z.string().optional(),
            file_name: z.string().optional(),
          }),
        },
        _meta: { connector_id: 'connector_files', connector_name: 'Files', 'openai/fileParams': ['file'] },
      },
      async ({ file }) => {
        const size = files.get(file.file_id);
        return size === undefined
          ? { content: [{ type: 'text', text: `no file ${file.file_id}` }], isError: true }
          : { content: [{ type: 'text', text: `${file.file_name ?? file.file_id}: ${size} bytes` }] };
      },
    );
    server.registerTool(
      'fail',
      {
        description: 'Always fails',
        inputSchema: {},
        _meta: { connector_id: 'connector_echo', connector_name: 'Echo' },
      },
      async () => ({ content: [{ type: 'text', text: 'this tool always fails' }], isError: true }),
    );
    server.registerTool(
      'hang',
      { description: 'Never answers', inputSchema: {} },
      () => new Promise(() => {}),
    );
    server.registerTool(
      'drop_stream',
      { description: 'Drops the connection mid-call', inputSchema: {} },
      async (_args, extra) => {
        await extra.sendNotification({
          method: 'notifications/message',
          params: { level: 'info', data: 'working' },
        });
        return new Promise(() => {});
      },
    );
    return server;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString();
    const body = text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>);
    const authorization = req.headers.authorization;
    const record = (status: number) =>
      seen.push({
        method: req.method ?? '',
        path: req.url ?? '',
        scheme: authorizationScheme(authorization),
        authorization,
        rpc: typeof body?.method === 'string' ? body.method : undefined,
        status,
      });
    if (refusals > 0 || authorization === undefined) {
      refusals = Math.max(0, refusals - 1);
      record(401);
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized"}');
      return;
    }
    record(200);
    const sessionId = req.headers['mcp-session-id'];
    let session = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
    if (!session) {
      if (sessionId !== undefined) {
        res.writeHead(404).end();
        return;
      }
      const server = build();
      const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => {
          sessions.set(id, { transport, server });
        },
      });
      await server.connect(transport);
      session = { transport, server };
    }
    if (body?.method === 'tools/call' && (body.params as { name?: unknown })?.name === 'drop_stream') {
      // After the first event reaches the socket, end the connection mid-response (no final chunk).
      const write = res.write.bind(res) as (...args: unknown[]) => boolean;
      res.write = ((...args: unknown[]) => {
        const written = write(...args);
        res.socket?.end();
        return written;
      }) as typeof res.write;
    }
    await session.transport.handleRequest(req, res, body);
  };

  const http = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return {
    url,
    chatgptBaseUrl: `${url}/backend-api`,
    seen,
    files,
    refuseNext: (n) => {
      refusals = n;
    },
    addTool: (name) => {
      for (const { server } of sessions.values()) {
        server.registerTool(name, { description: 'added', inputSchema: {} }, async () => ({ content: [] }));
      }
    },
    close: async () => {
      for (const { transport } of sessions.values()) await transport.close().catch(() => undefined);
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
