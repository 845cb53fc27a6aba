import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
  STATUS_CODES,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { AUTHORIZATION_ERROR_HEADER } from '@codex-ts/agent-identity';
import { WebSocketServer } from 'ws';
import { agentRoutes } from './agent.js';
import type { App } from './app.js';
import { appsMcpRoutes } from './apps-mcp.js';
import { authenticate } from './auth.js';
import { cloudTaskSeedingRoutes } from './cloud-task-seeding.js';
import { codexRoutes } from './codex.js';
import { connectorRoutes } from './connectors.js';
import { devRoutes } from './dev.js';
import { fileRoutes } from './files.js';
import { errorBody, HttpError, header, sendError, sendJson } from './http.js';
import { oauthRoutes } from './oauth.js';
import { rateLimitData, rateLimitHeaders } from './rate-limits.js';
import { remoteControlRoutes, serveRemoteControlSocket } from './remote-control.js';
import type { RecordDraft } from './requests-log.js';
import { responsesRoutes, serveResponsesSocket } from './responses.js';
import { type Ctx, Router } from './router.js';
import { sentAuthScheme } from './sent-auth-scheme.js';
import type { DevFault } from './types.js';
import { whamRoutes } from './wham.js';
import { workspaceRoutes } from './workspace.js';

const RESPONSES_WS_PATH = '/backend-api/codex/responses';
const REMOTE_CONTROL_WS_PATH = '/backend-api/wham/remote/control/server';

export function buildRouter(): Router {
  const router = new Router();
  agentRoutes(router);
  whamRoutes(router);
  workspaceRoutes(router);
  codexRoutes(router);
  fileRoutes(router);
  connectorRoutes(router);
  appsMcpRoutes(router);
  responsesRoutes(router);
  remoteControlRoutes(router);
  oauthRoutes(router);
  devRoutes(router);
  cloudTaskSeedingRoutes(router);
  return router;
}

function normalizePath(pathname: string): string {
  return pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
}

/** `/dev/*` is neither logged nor subject to faults, so tests can inspect and steer without side effects. */
function isDevPath(path: string): boolean {
  return path === '/dev' || path.startsWith('/dev/');
}

function routing(req: IncomingMessage): { accountId?: string; fedramp?: string } {
  const accountId = header(req, 'chatgpt-account-id');
  const fedramp = header(req, 'x-openai-fedramp');
  return { ...(accountId ? { accountId } : {}), ...(fedramp ? { fedramp } : {}) };
}

function parseTarget(req: IncomingMessage): URL | undefined {
  const raw = req.url ?? '';
  if (!raw.startsWith('/')) return undefined;
  try {
    return new URL(`http://dev-backend.invalid${raw}`);
  } catch {
    return undefined;
  }
}

function wait(ms: number, abort: { once(event: 'close', fn: () => void): unknown }): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    abort.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function faultBody(fault: DevFault): unknown {
  return (
    fault.body ?? errorBody('injected_fault', `fault injected by the dev backend (status ${fault.status})`)
  );
}

/** Applies a fault; true when the request is finished (answered or dropped). */
async function applyFault(fault: DevFault, req: IncomingMessage, res: ServerResponse, record: RecordDraft) {
  if (fault.delayMs) await wait(fault.delayMs, res);
  if (res.destroyed || res.writableEnded) return true;
  if (fault.drop) {
    record.reason = 'fault_drop';
    req.socket.destroy();
    return true;
  }
  if (fault.status !== undefined) {
    record.reason = 'injected_fault';
    sendJson(res, fault.status, faultBody(fault));
    return true;
  }
  return false;
}

function handleError(res: ServerResponse, record: RecordDraft, error: unknown, req: IncomingMessage): void {
  const httpError =
    error instanceof HttpError ? error : new HttpError(500, 'internal_error', 'the dev backend failed');
  if (!(error instanceof HttpError)) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`dev-backend: internal error on ${req.method} ${record.path}: ${message}\n`);
  }
  record.reason = httpError.code;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendError(res, httpError);
  if (httpError.status === 413) req.resume();
}

export async function handleRequest(app: App, router: Router, req: IncomingMessage, res: ServerResponse) {
  res.setHeader('Date', app.clock.now().toUTCString());
  const method = (req.method ?? 'GET').toUpperCase();
  const url = parseTarget(req);
  const path = url ? normalizePath(url.pathname) : (req.url ?? '');
  const record = app.log.start(method, path, app.clock.now(), routing(req));
  const encoding = header(req, 'content-encoding');
  if (encoding) record.sentContentEncoding = encoding.slice(0, 40);
  const logged = !isDevPath(path);
  if (logged) res.once('close', () => app.log.finish(record, res.headersSent ? res.statusCode : 0));
  try {
    if (!url)
      throw new HttpError(400, 'invalid_request_target', 'the request target must be an absolute path');
    if (logged) {
      const fault = app.faults.take(method, path);
      if (fault && (await applyFault(fault, req, res, record))) return;
    }
    const match = router.match(method, path);
    if (match.kind !== 'found') record.authScheme = sentAuthScheme(req);
    if (match.kind === 'not_found') throw new HttpError(404, 'not_found', `no route for ${method} ${path}`);
    if (match.kind === 'method_not_allowed') {
      res.setHeader('allow', match.allow.join(', '));
      throw new HttpError(405, 'method_not_allowed', `${method} is not allowed on ${path}`);
    }
    const ctx: Ctx = { app, req, res, url, params: match.params, record };
    if (match.auth === 'protected') ctx.principal = await authenticate(ctx);
    await match.handler(ctx);
  } catch (error) {
    handleError(res, record, error, req);
  }
}

function rejectUpgrade(
  app: App,
  socket: Duplex,
  status: number,
  body: unknown,
  headers: Record<string, string>,
) {
  const text = JSON.stringify(body);
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    `Date: ${app.clock.now().toUTCString()}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(text)}`,
    'Connection: close',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  socket.end(`${lines.join('\r\n')}\r\n\r\n${text}`);
}

async function handleUpgrade(
  app: App,
  wss: WebSocketServer,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
) {
  const url = parseTarget(req);
  const path = url ? normalizePath(url.pathname) : '';
  const record = app.log.start('GET', path, app.clock.now(), routing(req));
  const fail = (error: HttpError, body?: unknown) => {
    record.reason = error.code;
    app.log.finish(record, error.status);
    const headers: Record<string, string> = error.authError
      ? { [AUTHORIZATION_ERROR_HEADER]: error.code }
      : {};
    rejectUpgrade(app, socket, error.status, body ?? errorBody(error.code, error.message), headers);
  };
  try {
    if (path !== RESPONSES_WS_PATH && path !== REMOTE_CONTROL_WS_PATH) {
      record.authScheme = sentAuthScheme(req);
      return fail(new HttpError(404, 'not_found', 'no websocket endpoint here'));
    }
    const fault = app.faults.take('GET', path);
    if (fault?.delayMs) await wait(fault.delayMs, socket);
    if (fault?.drop) {
      record.reason = 'fault_drop';
      app.log.finish(record, 0);
      socket.destroy();
      return;
    }
    if (fault?.status !== undefined) {
      record.reason = 'injected_fault';
      app.log.finish(record, fault.status);
      rejectUpgrade(app, socket, fault.status, faultBody(fault), {});
      return;
    }
    let onSocket: (ws: import('ws').WebSocket) => void;
    if (path === RESPONSES_WS_PATH) {
      const principal = await authenticate({ app, req, record });
      onSocket = (ws) => serveResponsesSocket(ws, app, principal.user.plan);
    } else {
      const serverId = header(req, 'x-codex-server-id');
      const enrollment = serverId === undefined ? undefined : app.memory.enrollments.get(serverId);
      if (!enrollment) {
        return fail(new HttpError(404, 'server_not_found', 'Remote app server not found'), {
          detail: 'Remote app server not found',
        });
      }
      const authz = header(req, 'authorization') ?? '';
      const rct = authz.startsWith('Bearer ') ? authz.slice(7).trim() : '';
      if (rct !== '' && rct === enrollment.remoteControlToken) {
        record.authScheme = 'bearer';
        if (enrollment.expiresAtMs <= app.clock.nowMs()) {
          throw new HttpError(401, 'expired_bearer', 'the remote control token has expired', true);
        }
      } else {
        const principal = await authenticate({ app, req, record });
        if (principal.user.userId !== enrollment.userId) {
          throw new HttpError(403, 'account_mismatch', 'this server belongs to another user', true);
        }
      }
      onSocket = (ws) => serveRemoteControlSocket(ws, enrollment);
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      app.log.finish(record, 101);
      onSocket(ws);
    });
  } catch (error) {
    if (error instanceof HttpError) return fail(error);
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`dev-backend: internal error on upgrade ${path}: ${message}\n`);
    fail(new HttpError(500, 'internal_error', 'the dev backend failed'));
  }
}

function reportInternalError(what: string, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`dev-backend: internal error on ${what}: ${message}\n`);
}

const SETUP_FAILURE_BODY = JSON.stringify(errorBody('internal_error', 'the dev backend failed'));
const SETUP_FAILURE_RESPONSE =
  'HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json; charset=utf-8\r\n' +
  `Content-Length: ${Buffer.byteLength(SETUP_FAILURE_BODY)}\r\nConnection: close\r\n\r\n${SETUP_FAILURE_BODY}`;

/**
 * The last guard: an error outside a handler's own error handling (request setup, logging) answers 500 and never
 * reaches the process as an unhandled rejection. Uses no server state, which may be what failed.
 */
function answerSetupFailure(req: IncomingMessage, res: ServerResponse, error: unknown): void {
  reportInternalError(`${req.method} ${req.url ?? ''}`, error);
  try {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(500, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(SETUP_FAILURE_BODY)),
    });
    res.end(SETUP_FAILURE_BODY);
  } catch {
    res.destroy();
  }
}

export interface HttpStack {
  server: Server;
  wss: WebSocketServer;
}

export function createHttpStack(app: App, tls?: { certPem: string; keyPem: string }): HttpStack {
  const router = buildRouter();
  const wss = new WebSocketServer({ noServer: true, maxPayload: app.options.maxBodyBytes });
  wss.on('headers', (headers, req) => {
    headers.push(`Date: ${app.clock.now().toUTCString()}`);
    if (parseTarget(req)?.pathname === RESPONSES_WS_PATH) {
      for (const [name, value] of Object.entries(rateLimitHeaders(rateLimitData(app.clock.nowSeconds())))) {
        headers.push(`${name}: ${value}`);
      }
    }
  });
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    handleRequest(app, router, req, res).catch((error: unknown) => answerSetupFailure(req, res, error));
  };
  const server = tls
    ? createHttpsServer({ cert: tls.certPem, key: tls.keyPem }, handler)
    : createServer(handler);
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    handleUpgrade(app, wss, req, socket, head).catch((error: unknown) => {
      reportInternalError(`upgrade ${req.url ?? ''}`, error);
      socket.end(SETUP_FAILURE_RESPONSE);
    });
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) {
      rejectUpgrade(app, socket, 400, errorBody('bad_request', 'malformed HTTP request'), {});
    } else {
      socket.destroy();
    }
  });
  return { server, wss };
}
