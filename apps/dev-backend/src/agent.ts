import {
  parseSshEd25519PublicKey,
  sealTaskId,
  verifyTaskRegistrationSignature,
} from '@codex-ts/agent-identity';
import { z } from 'zod';
import { authenticate, checkAccount } from './auth.js';
import { authError, HttpError, header, readJson, sendJson } from './http.js';
import { randomHex, rfc3339Seconds } from './ids.js';
import type { Ctx, Router } from './router.js';
import type { TaskRecord } from './state.js';
import type { TaskKind } from './types.js';
import { parseBody } from './validation.js';

const METHOD_TOKEN = /^[A-Z]+$/;

/** GET /backend-api/authenticate_app_v2: bearer only; the biscuit comes back in `x-openai-authorization`. */
async function authenticateApp(ctx: Ctx): Promise<void> {
  const { app, req, res } = ctx;
  const principal = await authenticate(ctx, { allowAssertion: false });
  const method = header(req, 'x-original-method')?.toUpperCase();
  const originalUrl = header(req, 'x-original-url');
  if (!method || !originalUrl) {
    throw new HttpError(400, 'missing_original_request', 'X-Original-Method and X-Original-Url are required');
  }
  if (!METHOD_TOKEN.test(method)) {
    throw new HttpError(400, 'invalid_original_request', 'X-Original-Method is not an HTTP method');
  }
  if (!URL.canParse(originalUrl) || !/^https?:$/.test(new URL(originalUrl).protocol)) {
    throw new HttpError(400, 'invalid_original_request', 'X-Original-Url must be an absolute http(s) URL');
  }
  const ttl = app.options.biscuitTtlSeconds;
  const nowMs = app.clock.nowMs();
  const biscuit = app.biscuits.mint(
    {
      userId: principal.user.userId,
      accountId: principal.accountId,
      method,
      url: originalUrl,
      expiresAtMs: nowMs + ttl * 1000,
    },
    nowMs,
  );
  sendJson(res, 200, { expires_in: ttl }, { 'x-openai-authorization': biscuit });
}

const registerSchema = z.object({
  abom: z.object({
    agent_version: z.string().min(1),
    agent_harness_id: z.string().min(1),
    running_location: z.string().min(1),
  }),
  agent_public_key: z.string().min(1),
  capabilities: z.array(z.string()),
});

/**
 * The biscuit must exist, be unexpired, not be held by another request, and name this request's method and URL.
 * Reserved here, synchronously, before the body is read: the caller consumes it on success or releases it.
 */
function checkBiscuit(ctx: Ctx): { biscuit: string; userId: string; accountId: string } {
  const { app, req, url, record } = ctx;
  const biscuit = header(req, 'x-openai-authorization');
  if (biscuit === undefined) {
    throw authError('missing_authorization', 'X-OpenAI-Authorization (a biscuit) is required');
  }
  record.authScheme = 'biscuit';
  const bound = app.biscuits.get(biscuit);
  if (!bound) throw authError('invalid_biscuit', 'the biscuit is not known (or was already used)');
  if (app.biscuits.isReserved(biscuit)) {
    throw authError('invalid_biscuit', 'the biscuit is being used by another request');
  }
  if (bound.expiresAtMs <= app.clock.nowMs()) {
    app.biscuits.consume(biscuit);
    throw authError('invalid_biscuit', 'the biscuit has expired');
  }
  if (bound.method !== req.method) {
    throw authError('biscuit_mismatch', 'the biscuit was minted for another method');
  }
  const original = new URL(bound.url);
  const host = header(req, 'host') ?? '';
  if (original.host !== host || original.pathname !== url.pathname || original.search !== url.search) {
    throw authError('biscuit_mismatch', 'the biscuit was minted for another URL');
  }
  app.biscuits.reserve(biscuit);
  return { biscuit, userId: bound.userId, accountId: bound.accountId };
}

/** POST /backend-api/v1/agent/register */
async function registerIdentity(ctx: Ctx): Promise<void> {
  const bound = checkBiscuit(ctx);
  try {
    await registerWithBiscuit(ctx, bound);
  } finally {
    // Consumed on success; any failure gives the biscuit back for a corrected retry.
    ctx.app.biscuits.release(bound.biscuit);
  }
}

async function registerWithBiscuit(
  ctx: Ctx,
  bound: { biscuit: string; userId: string; accountId: string },
): Promise<void> {
  const { app, req, res } = ctx;
  const authz = header(req, 'authorization');
  if (authz?.toLowerCase().startsWith('bearer ')) {
    const check = await app.tokens.verifyAccessToken(authz.slice(7).trim());
    if (check.ok && check.user.userId !== bound.userId) {
      throw authError('biscuit_mismatch', 'the biscuit belongs to another user');
    }
  }
  checkAccount(ctx, bound.accountId);
  const body = parseBody(registerSchema, await readJson(req, app.options.maxBodyBytes));
  let publicKey: Uint8Array;
  try {
    publicKey = parseSshEd25519PublicKey(body.agent_public_key);
  } catch {
    throw new HttpError(400, 'invalid_public_key', 'agent_public_key is not an ssh-ed25519 public key');
  }
  app.biscuits.consume(bound.biscuit);
  const agentRuntimeId = `agent_${randomHex(16)}`;
  app.state.addIdentity({
    agentRuntimeId,
    publicKeySsh: body.agent_public_key.trim(),
    publicKey: Buffer.from(publicKey).toString('base64'),
    userId: bound.userId,
    accountId: bound.accountId,
    registeredAt: rfc3339Seconds(app.clock.now()),
    abom: body.abom,
    capabilities: body.capabilities,
  });
  ctx.record.agentRuntimeId = agentRuntimeId;
  sendJson(res, 200, { agent_runtime_id: agentRuntimeId });
}

const taskSchema = z.strictObject({
  timestamp: z.string(),
  signature: z.string(),
  external_task_ref: z.string().min(1).optional(),
});

/** A registration with an `external_task_ref` asks for a thread task; one without, for a background task. */
function requestedTaskKind(body: unknown): TaskKind | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  return (body as { external_task_ref?: unknown }).external_task_ref === undefined ? 'background' : 'thread';
}

/** POST /backend-api/v1/agent/{runtime}/task/register: the signature is the only authentication. */
async function registerTask(ctx: Ctx): Promise<void> {
  const { app, req, res, record } = ctx;
  const runtimeId = ctx.params.runtime ?? '';
  record.authScheme = 'signature';
  record.agentRuntimeId = runtimeId;
  // The kind the client asked for is logged even when the registration fails (unknown runtime, bad signature).
  const raw = await readJson(req, app.options.maxBodyBytes).then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  const requested = 'value' in raw ? requestedTaskKind(raw.value) : undefined;
  if (requested) record.taskKind = requested;
  const identity = app.state.identity(runtimeId);
  const publicKey = app.state.publicKeyFor(runtimeId);
  if (!identity || !publicKey) throw authError('unknown_runtime', 'the agent runtime is not registered');
  if ('error' in raw) throw raw.error;
  const body = parseBody(taskSchema, raw.value);
  const check = verifyTaskRegistrationSignature({
    agentRuntimeId: runtimeId,
    timestamp: body.timestamp,
    signature: body.signature,
    publicKey,
    now: app.clock.now(),
    windowSeconds: app.options.assertionWindowSeconds,
  });
  if (!check.ok) {
    if (check.reason === 'malformed_registration') {
      throw new HttpError(400, 'malformed_registration', check.message, true);
    }
    throw authError(check.reason, check.message);
  }
  const ref = body.external_task_ref;
  let task: TaskRecord | undefined = ref === undefined ? undefined : app.state.taskByRef(runtimeId, ref);
  if (!task) {
    task = {
      agentRuntimeId: runtimeId,
      taskId: `task_${randomHex(16)}`,
      kind: ref === undefined ? 'background' : 'thread',
      ...(ref === undefined ? {} : { externalTaskRef: ref }),
      registeredAt: rfc3339Seconds(app.clock.now()),
    };
    app.state.addTask(task);
  }
  record.taskId = task.taskId;
  record.taskKind = task.kind;
  if (app.options.taskIdResponse === 'plain') {
    sendJson(res, 200, { task_id: task.taskId });
    return;
  }
  const sealed = await sealTaskId(task.taskId, {
    ed25519PublicKey: Buffer.from(identity.publicKey, 'base64'),
  });
  sendJson(res, 200, { encrypted_task_id: sealed });
}

export function agentRoutes(router: Router): void {
  router
    .add('GET', '/backend-api/authenticate_app_v2', 'public', authenticateApp)
    .add('POST', '/backend-api/v1/agent/register', 'public', registerIdentity)
    .add('POST', '/backend-api/v1/agent/:runtime/task/register', 'public', registerTask);
}
