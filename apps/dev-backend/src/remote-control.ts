import type { WebSocket } from 'ws';
import { z } from 'zod';
import { readJson, sendJson } from './http.js';
import { randomHex, randomToken, rfc3339Seconds } from './ids.js';
import type { Enrollment } from './remote-control-store.js';
import type { Ctx, Router } from './router.js';
import { parseBody } from './validation.js';

const TOKEN_TTL_MS = 60 * 60_000;
const KEPT_ENVELOPES = 100;

const enrollSchema = z.object({
  name: z.string().min(1),
  os: z.string().min(1),
  arch: z.string().min(1),
  app_server_version: z.string().min(1),
  installation_id: z.string().min(1),
});

/** POST /backend-api/wham/remote/control/server/enroll → {server_id, environment_id, remote_control_token, expires_at} */
async function enroll(ctx: Ctx): Promise<void> {
  const { app } = ctx;
  const body = parseBody(enrollSchema, await readJson(ctx.req, app.options.maxBodyBytes));
  const principal = ctx.principal!;
  const existing = [...app.memory.enrollments.values()].find(
    (e) => e.userId === principal.user.userId && e.installationId === body.installation_id,
  );
  const expiresAtMs = app.clock.nowMs() + TOKEN_TTL_MS;
  const enrollment: Enrollment = {
    serverId: existing?.serverId ?? `srv_${randomHex(12)}`,
    environmentId: existing?.environmentId ?? `env_rc_${randomHex(12)}`,
    userId: principal.user.userId,
    accountId: principal.accountId,
    name: body.name,
    os: body.os,
    arch: body.arch,
    appServerVersion: body.app_server_version,
    installationId: body.installation_id,
    remoteControlToken: randomToken('rct_'),
    expiresAtMs,
    received: existing?.received ?? [],
    sockets: existing?.sockets ?? new Set(),
    nextSeqId: existing?.nextSeqId ?? 1,
  };
  app.memory.enrollments.set(enrollment.serverId, enrollment);
  sendJson(ctx.res, 200, {
    server_id: enrollment.serverId,
    environment_id: enrollment.environmentId,
    remote_control_token: enrollment.remoteControlToken,
    expires_at: rfc3339Seconds(new Date(expiresAtMs)),
  });
}

/**
 * The backend side of the remote-control websocket: keeps what the app-server sends, acks `server_message`
 * envelopes, and answers `ping` with `pong`. Tests push client messages with `sendClientMessage`.
 */
export function serveRemoteControlSocket(socket: WebSocket, enrollment: Enrollment): void {
  enrollment.sockets.add(socket);
  socket.on('close', () => enrollment.sockets.delete(socket));
  socket.on('message', (data, isBinary) => {
    if (isBinary) {
      socket.send(
        JSON.stringify({ type: 'error', error: { code: 'binary_not_supported', message: 'text only' } }),
      );
      return;
    }
    let envelope: unknown;
    try {
      envelope = JSON.parse(data.toString());
    } catch {
      socket.send(JSON.stringify({ type: 'error', error: { code: 'invalid_json', message: 'not JSON' } }));
      return;
    }
    if (typeof envelope !== 'object' || envelope === null) return;
    enrollment.received.push(envelope);
    if (enrollment.received.length > KEPT_ENVELOPES) enrollment.received.shift();
    const e = envelope as { type?: unknown; client_id?: unknown; stream_id?: unknown; seq_id?: unknown };
    if (e.type === 'server_message' || e.type === 'server_message_chunk') {
      socket.send(
        JSON.stringify({
          type: 'ack',
          client_id: e.client_id,
          ...(e.stream_id === undefined ? {} : { stream_id: e.stream_id }),
          seq_id: e.seq_id,
        }),
      );
    }
  });
}

/** Sends a `client_message` envelope to every socket of a server; returns how many got it. */
export function sendClientMessage(
  enrollment: Enrollment,
  clientId: string,
  message: unknown,
  streamId?: string,
): number {
  const envelope = {
    type: 'client_message',
    client_id: clientId,
    ...(streamId === undefined ? {} : { stream_id: streamId }),
    seq_id: enrollment.nextSeqId++,
    message,
  };
  let sent = 0;
  for (const socket of enrollment.sockets) {
    if (socket.readyState === socket.OPEN) {
      socket.send(JSON.stringify(envelope));
      sent++;
    }
  }
  return sent;
}

export function remoteControlRoutes(router: Router): void {
  router.add('POST', '/backend-api/wham/remote/control/server/enroll', 'protected', enroll);
}
