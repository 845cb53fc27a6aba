import { z } from 'zod';
import type { App } from './app.js';
import { HttpError, readJson, sendJson } from './http.js';
import { randomHex } from './ids.js';
import type { Ctx, Router } from './router.js';
import type { SeedCloudTask } from './types.js';
import { parseBody } from './validation.js';
import type { CloudTask } from './wham-store.js';

export const seedCloudTaskSchema = z.object({
  accountId: z.string().min(1),
  diff: z.string(),
  title: z.string().min(1).max(200).optional(),
  prompt: z.string().optional(),
  environmentId: z.string().min(1).optional(),
  siblings: z.number().int().min(0).max(3).optional(),
});

/** Stores a seeded task for the user of `accountId` and returns its id. */
export function seedCloudTask(app: App, seed: SeedCloudTask): string {
  const user = app.state.listUsers().find((u) => u.accountId === seed.accountId);
  if (!user) throw new HttpError(404, 'user_not_found', `no user has account ${seed.accountId}`);
  const now = app.clock.nowMs() / 1000;
  const title = seed.title ?? 'seeded task';
  const task: CloudTask = {
    id: `task_e_${randomHex(12)}`,
    userId: user.userId,
    title,
    environmentId: seed.environmentId ?? 'env_dev',
    branch: null,
    prompt: seed.prompt ?? title,
    turnId: `turn_${randomHex(8)}`,
    siblingTurnIds: Array.from({ length: seed.siblings ?? 0 }, () => `turn_${randomHex(8)}`),
    assistantText: `Done: ${title}`,
    diff: seed.diff,
    createdAt: now,
    updatedAt: now,
  };
  app.memory.cloudTasks.set(task.id, task);
  return task.id;
}

/** POST /dev/cloud-tasks {accountId, diff, title?, prompt?, environmentId?, siblings?} → {id} */
async function postCloudTask(ctx: Ctx): Promise<void> {
  const body = parseBody(seedCloudTaskSchema, await readJson(ctx.req, ctx.app.options.maxBodyBytes));
  const seed: SeedCloudTask = { accountId: body.accountId, diff: body.diff };
  if (body.title !== undefined) seed.title = body.title;
  if (body.prompt !== undefined) seed.prompt = body.prompt;
  if (body.environmentId !== undefined) seed.environmentId = body.environmentId;
  if (body.siblings !== undefined) seed.siblings = body.siblings;
  sendJson(ctx.res, 200, { id: seedCloudTask(ctx.app, seed) });
}

export function cloudTaskSeedingRoutes(router: Router): void {
  router.add('POST', '/dev/cloud-tasks', 'public', postCloudTask);
}
