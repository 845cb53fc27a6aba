import { z } from 'zod';
import type { App } from './app.js';
import { MAX_CLOCK_OFFSET_SECONDS } from './clock.js';
import { faultSchema } from './faults.js';
import { HttpError, readJson, sendHtml, sendJson } from './http.js';
import { approveDeviceCode } from './oauth.js';
import { renderDevPage } from './page.js';
import { sendClientMessage } from './remote-control.js';
import type { Ctx, Router } from './router.js';
import type { DevIdentityInfo, DevTaskInfo, DevTokens, DevUserInfo, IssueTokensOptions } from './types.js';
import { parseBody } from './validation.js';

const tokensSchema = z.strictObject({
  email: z.string().min(1).optional(),
  plan: z.string().min(1).optional(),
  accountId: z.string().min(1).optional(),
  fedramp: z.boolean().optional(),
  expiresIn: z.number().int().optional(),
  userId: z.string().min(1).optional(),
});

export async function issueDevTokens(app: App, o: IssueTokensOptions = {}): Promise<DevTokens> {
  const user = app.state.ensureUser(o, app.clock.now());
  const tokens = await app.tokens.issue(user, o.expiresIn === undefined ? {} : { expiresIn: o.expiresIn });
  return {
    id_token: tokens.id_token,
    access_token: tokens.access_token,
    refresh_token: tokens.refresh_token,
    account_id: user.accountId,
  };
}

export function usersInfo(app: App): DevUserInfo[] {
  return app.state.listUsers().map(({ userId, email, plan, accountId, fedramp }) => ({
    userId,
    email,
    plan,
    accountId,
    fedramp,
  }));
}

export function identitiesInfo(app: App): DevIdentityInfo[] {
  return app.state
    .listIdentities()
    .map(({ agentRuntimeId, publicKeySsh, userId, accountId, registeredAt }) => ({
      agentRuntimeId,
      publicKeySsh,
      userId,
      accountId,
      registeredAt,
    }));
}

export function tasksInfo(app: App): DevTaskInfo[] {
  return app.state.listTasks().map(({ agentRuntimeId, taskId, kind, externalTaskRef }) => ({
    agentRuntimeId,
    taskId,
    kind,
    ...(externalTaskRef === undefined ? {} : { externalTaskRef }),
  }));
}

async function postTokens(ctx: Ctx): Promise<void> {
  const body = parseBody(tokensSchema, (await readJson(ctx.req, ctx.app.options.maxBodyBytes, false)) ?? {});
  sendJson(ctx.res, 200, await issueDevTokens(ctx.app, body as IssueTokensOptions));
}

function getRequests(ctx: Ctx): void {
  const path = ctx.url.searchParams.get('path');
  const method = ctx.url.searchParams.get('method');
  sendJson(ctx.res, 200, ctx.app.log.list({ ...(path ? { path } : {}), ...(method ? { method } : {}) }));
}

function deleteRequests(ctx: Ctx): void {
  ctx.app.log.clear();
  sendJson(ctx.res, 200, {});
}

async function postFault(ctx: Ctx): Promise<void> {
  const body = parseBody(faultSchema, await readJson(ctx.req, ctx.app.options.maxBodyBytes));
  let fault: unknown;
  try {
    fault = ctx.app.faults.add(body);
  } catch (error) {
    if (error instanceof z.ZodError) throw new HttpError(400, 'invalid_body', error.issues[0]?.message ?? '');
    throw error;
  }
  sendJson(ctx.res, 201, { fault });
}

function getFaults(ctx: Ctx): void {
  sendJson(ctx.res, 200, ctx.app.faults.list());
}

function deleteFaults(ctx: Ctx): void {
  ctx.app.faults.clear();
  sendJson(ctx.res, 200, {});
}

function getState(ctx: Ctx): void {
  const { app } = ctx;
  sendJson(ctx.res, 200, {
    users: usersInfo(app),
    identities: identitiesInfo(app),
    tasks: tasksInfo(app),
    clockOffsetSeconds: app.clock.offset,
  });
}

const clockSchema = z.strictObject({
  offsetSeconds: z.number().finite().min(-MAX_CLOCK_OFFSET_SECONDS).max(MAX_CLOCK_OFFSET_SECONDS),
});

async function postClock(ctx: Ctx): Promise<void> {
  const body = parseBody(clockSchema, await readJson(ctx.req, ctx.app.options.maxBodyBytes));
  ctx.app.clock.setOffset(body.offsetSeconds);
  sendJson(ctx.res, 200, { offsetSeconds: ctx.app.clock.offset });
}

function forgetIdentity(ctx: Ctx): void {
  ctx.app.state.forgetIdentity(ctx.params.id ?? '');
  sendJson(ctx.res, 200, {});
}

function forgetTask(ctx: Ctx): void {
  ctx.app.state.forgetTask(ctx.params.id ?? '');
  sendJson(ctx.res, 200, {});
}

const approveSchema = z.strictObject({ user_code: z.string().min(1), email: z.string().min(1).optional() });

async function approveDevice(ctx: Ctx): Promise<void> {
  const { app } = ctx;
  const body = parseBody(approveSchema, await readJson(ctx.req, app.options.maxBodyBytes));
  const user = app.state.ensureUser(body.email ? { email: body.email } : {}, app.clock.now());
  if (!approveDeviceCode(app, body.user_code, user)) {
    throw new HttpError(404, 'invalid_user_code', 'that code is unknown, used or expired');
  }
  sendJson(ctx.res, 200, { approved: true, user_id: user.userId });
}

function getRemoteControl(ctx: Ctx): void {
  sendJson(
    ctx.res,
    200,
    [...ctx.app.memory.enrollments.values()].map((e) => ({
      server_id: e.serverId,
      environment_id: e.environmentId,
      name: e.name,
      installation_id: e.installationId,
      connected: e.sockets.size,
      received: e.received,
    })),
  );
}

const sendSchema = z.strictObject({
  server_id: z.string().min(1),
  client_id: z.string().min(1),
  stream_id: z.string().min(1).optional(),
  message: z.unknown(),
});

async function postRemoteControlSend(ctx: Ctx): Promise<void> {
  const body = parseBody(sendSchema, await readJson(ctx.req, ctx.app.options.maxBodyBytes));
  const enrollment = ctx.app.memory.enrollments.get(body.server_id);
  if (!enrollment) throw new HttpError(404, 'server_not_found', 'Remote app server not found');
  sendJson(ctx.res, 200, {
    sent: sendClientMessage(enrollment, body.client_id, body.message, body.stream_id),
  });
}

/** GET /dev/analytics-events: the analytics events the backend recorded, oldest first (the last 1000). */
function getAnalyticsEvents(ctx: Ctx): void {
  sendJson(ctx.res, 200, ctx.app.memory.analyticsEvents);
}

function page(ctx: Ctx): void {
  sendHtml(ctx.res, 200, renderDevPage(ctx.app));
}

/** Helpers for tests and people; no authentication (the server binds to loopback). */
export function devRoutes(router: Router): void {
  router
    .add('GET', '/dev', 'public', page)
    .add('POST', '/dev/tokens', 'public', postTokens)
    .add('GET', '/dev/requests', 'public', getRequests)
    .add('DELETE', '/dev/requests', 'public', deleteRequests)
    .add('GET', '/dev/analytics-events', 'public', getAnalyticsEvents)
    .add('POST', '/dev/faults', 'public', postFault)
    .add('GET', '/dev/faults', 'public', getFaults)
    .add('DELETE', '/dev/faults', 'public', deleteFaults)
    .add('GET', '/dev/state', 'public', getState)
    .add('POST', '/dev/clock', 'public', postClock)
    .add('DELETE', '/dev/identities/:id', 'public', forgetIdentity)
    .add('DELETE', '/dev/tasks/:id', 'public', forgetTask)
    .add('POST', '/dev/device/approve', 'public', approveDevice)
    .add('GET', '/dev/remote-control', 'public', getRemoteControl)
    .add('POST', '/dev/remote-control/send', 'public', postRemoteControlSend);
}
