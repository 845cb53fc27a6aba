import { createHash } from 'node:crypto';
import { z } from 'zod';
import { HttpError, readJson, sendJson } from './http.js';
import { randomHex } from './ids.js';
import type { Ctx, Principal, Router } from './router.js';
import { parseBody } from './validation.js';
import type { CloudTask } from './wham-store.js';

const DEV_ENVIRONMENT = { id: 'env_dev', label: 'dev-backend', is_pinned: true } as const;

function principal(ctx: Ctx): Principal {
  if (!ctx.principal) throw new HttpError(500, 'internal_error', 'route is missing authentication');
  return ctx.principal;
}

function windowSnapshot(nowSeconds: number, seconds: number) {
  return {
    used_percent: 0,
    limit_window_seconds: seconds,
    reset_after_seconds: seconds,
    reset_at: nowSeconds + seconds,
  };
}

/** Workspace plans whose members get a share of the workspace's credits (spend control). */
const SPEND_CONTROLLED_PLANS: ReadonlySet<string> = new Set(['business', 'enterprise', 'edu']);

/** A member's monthly share of the workspace's credits: nothing spent yet. */
function individualLimit(plan: string, nowSeconds: number) {
  if (!SPEND_CONTROLLED_PLANS.has(plan)) return null;
  const seconds = 30 * 86400;
  return {
    limit: '100',
    used: '0',
    remaining: '100',
    used_percent: 0,
    remaining_percent: 100,
    reset_after_seconds: seconds,
    reset_at: nowSeconds + seconds,
  };
}

/** GET /backend-api/wham/usage → RateLimitStatusPayload */
function usage(ctx: Ctx): void {
  const user = principal(ctx).user;
  const now = ctx.app.clock.nowSeconds();
  sendJson(ctx.res, 200, {
    plan_type: user.plan,
    rate_limit: {
      allowed: true,
      limit_reached: false,
      primary_window: windowSnapshot(now, 5 * 3600),
      secondary_window: windowSnapshot(now, 7 * 86400),
    },
    credits: { has_credits: false, unlimited: false, balance: '0' },
    spend_control: { reached: false, individual_limit: individualLimit(user.plan, now) },
    additional_rate_limits: [],
    rate_limit_reached_type: null,
    account_id: user.accountId,
    user_id: user.userId,
  });
}

function diffStats(diff: string) {
  const lines = diff.split('\n');
  return {
    files_modified: lines.filter((l) => l.startsWith('+++ ')).length,
    lines_added: lines.filter((l) => l.startsWith('+') && !l.startsWith('+++')).length,
    lines_removed: lines.filter((l) => l.startsWith('-') && !l.startsWith('---')).length,
  };
}

function statusDisplay(task: CloudTask) {
  return {
    latest_turn_status_display: { turn_status: 'completed', diff_stats: diffStats(task.diff) },
    environment_label: task.environmentId === DEV_ENVIRONMENT.id ? DEV_ENVIRONMENT.label : task.environmentId,
  };
}

function listItem(task: CloudTask) {
  return {
    id: task.id,
    title: task.title,
    has_generated_title: false,
    created_at: task.createdAt,
    updated_at: task.updatedAt,
    task_status_display: statusDisplay(task),
    archived: false,
    has_unread_turn: false,
    pull_requests: [],
  };
}

function userTasks(ctx: Ctx): CloudTask[] {
  const userId = principal(ctx).user.userId;
  return [...ctx.app.memory.cloudTasks.values()]
    .filter((t) => t.userId === userId)
    .sort((a, b) => b.createdAt - a.createdAt);
}

function intParam(url: URL, name: string, fallback: number, min: number, max: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new HttpError(400, 'invalid_query', `${name} must be an integer from ${min} to ${max}`);
  }
  return n;
}

/** GET /backend-api/wham/tasks/list?limit&cursor&task_filter&environment_id → {items, cursor} */
function listTasks(ctx: Ctx): void {
  const limit = intParam(ctx.url, 'limit', 20, 1, 100);
  const offset = intParam(ctx.url, 'cursor', 0, 0, Number.MAX_SAFE_INTEGER);
  const env = ctx.url.searchParams.get('environment_id');
  const tasks = userTasks(ctx).filter((t) => !env || t.environmentId === env);
  const page = tasks.slice(offset, offset + limit);
  const next = offset + limit < tasks.length ? String(offset + limit) : null;
  sendJson(ctx.res, 200, { items: page.map(listItem), cursor: next });
}

function findTask(ctx: Ctx): CloudTask {
  const task = ctx.app.memory.cloudTasks.get(ctx.params.id ?? '');
  if (!task || task.userId !== principal(ctx).user.userId) {
    throw new HttpError(404, 'task_not_found', 'no such task');
  }
  return task;
}

function assistantTurn(task: CloudTask, turnId: string, placement: number) {
  return {
    id: turnId,
    attempt_placement: placement,
    turn_status: 'completed',
    sibling_turn_ids: [task.turnId, ...task.siblingTurnIds].filter((id) => id !== turnId),
    output_items: [
      {
        type: 'message',
        role: 'assistant',
        content: [{ content_type: 'text', text: `${task.assistantText} (attempt ${placement + 1})` }],
      },
      { type: 'pr', pr: { output_diff: { diff: task.diff } } },
    ],
    error: null,
  };
}

/** GET /backend-api/wham/tasks/{id} → CodeTaskDetailsResponse */
function getTask(ctx: Ctx): void {
  const task = findTask(ctx);
  sendJson(ctx.res, 200, {
    task: {
      id: task.id,
      title: task.title,
      created_at: task.createdAt,
      updated_at: task.updatedAt,
      archived: false,
      environment_id: task.environmentId,
      branch: task.branch,
    },
    task_status_display: statusDisplay(task),
    current_user_turn: {
      id: `user_${task.turnId}`,
      turn_status: 'completed',
      input_items: [
        { type: 'message', role: 'user', content: [{ content_type: 'text', text: task.prompt }] },
      ],
    },
    current_assistant_turn: assistantTurn(task, task.turnId, 0),
    current_diff_task_turn: {
      id: task.turnId,
      output_items: [{ type: 'output_diff', diff: task.diff }],
    },
  });
}

/** GET /backend-api/wham/tasks/{id}/turns/{turn}/sibling_turns → {sibling_turns} */
function siblingTurns(ctx: Ctx): void {
  const task = findTask(ctx);
  const all = [task.turnId, ...task.siblingTurnIds];
  if (!all.includes(ctx.params.turn ?? '')) throw new HttpError(404, 'turn_not_found', 'no such turn');
  sendJson(ctx.res, 200, {
    sibling_turns: all
      .map((id, placement) => ({ id, placement }))
      .filter(({ id }) => id !== ctx.params.turn)
      .map(({ id, placement }) => assistantTurn(task, id, placement)),
  });
}

const createTaskSchema = z.object({
  new_task: z.object({
    environment_id: z.string().min(1),
    branch: z.string().optional(),
    run_environment_in_qa_mode: z.boolean().optional(),
  }),
  input_items: z
    .array(
      z.looseObject({
        type: z.string(),
        content: z
          .array(z.looseObject({ content_type: z.string().optional(), text: z.string().optional() }))
          .optional(),
      }),
    )
    .min(1),
  metadata: z.looseObject({ best_of_n: z.number().int().min(1).max(4).optional() }).optional(),
});

/** POST /backend-api/wham/tasks → {task: {id, ...}} */
async function createTask(ctx: Ctx): Promise<void> {
  const { app } = ctx;
  const body = parseBody(createTaskSchema, await readJson(ctx.req, app.options.maxBodyBytes));
  const prompt = body.input_items
    .filter((i) => i.type === 'message')
    .flatMap((i) => i.content ?? [])
    .map((c) => c.text ?? '')
    .join('\n')
    .trim();
  if (prompt === '')
    throw new HttpError(400, 'invalid_body', 'input_items: a user message with text is required');
  const now = app.clock.nowMs() / 1000;
  const id = `task_e_${randomHex(12)}`;
  const bestOf = body.metadata?.best_of_n ?? 1;
  const digest = createHash('sha256').update(prompt).digest('hex').slice(0, 8);
  const task: CloudTask = {
    id,
    userId: principal(ctx).user.userId,
    title: prompt.split('\n')[0]!.slice(0, 80),
    environmentId: body.new_task.environment_id,
    branch: body.new_task.branch ?? null,
    prompt,
    turnId: `turn_${randomHex(8)}`,
    siblingTurnIds: Array.from({ length: bestOf - 1 }, () => `turn_${randomHex(8)}`),
    assistantText: `Done: ${prompt}`,
    diff: [
      'diff --git a/DEV_BACKEND.md b/DEV_BACKEND.md',
      'new file mode 100644',
      '--- /dev/null',
      '+++ b/DEV_BACKEND.md',
      '@@ -0,0 +1,2 @@',
      `+# ${digest}`,
      `+${prompt.split('\n')[0]}`,
      '',
    ].join('\n'),
    createdAt: now,
    updatedAt: now,
  };
  app.memory.cloudTasks.set(id, task);
  sendJson(ctx.res, 200, { task: listItem(task) });
}

/** GET /backend-api/wham/config/requirements → ConfigFileResponse */
function configRequirements(ctx: Ctx): void {
  const contents = '# managed requirements served by the codex-ts dev backend\n';
  sendJson(ctx.res, 200, {
    contents,
    sha256: createHash('sha256').update(contents).digest('hex'),
    updated_at: new Date(0).toISOString(),
    updated_by_user_id: null,
  });
}

function environmentRow(ctx: Ctx, id: string, label: string, pinned: boolean) {
  const count = userTasks(ctx).filter((t) => t.environmentId === id).length;
  return { id, label, is_pinned: pinned, task_count: count };
}

/** GET /backend-api/wham/environments → [CodeEnvironment] */
function environments(ctx: Ctx): void {
  sendJson(ctx.res, 200, [environmentRow(ctx, DEV_ENVIRONMENT.id, DEV_ENVIRONMENT.label, true)]);
}

const GITHUB_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/** GET /backend-api/wham/environments/by-repo/github/{owner}/{repo} → [CodeEnvironment] */
function environmentsByRepo(ctx: Ctx): void {
  const owner = ctx.params.owner ?? '';
  const repo = ctx.params.repo ?? '';
  if (!GITHUB_NAME.test(owner) || !GITHUB_NAME.test(repo)) {
    throw new HttpError(400, 'invalid_repository', 'owner and repo must be GitHub names');
  }
  const id = `env_gh_${owner}_${repo}`.toLowerCase();
  sendJson(ctx.res, 200, [
    {
      ...environmentRow(ctx, id, `${owner}/${repo}`, false),
      repo_map: { [`github.com/${owner}/${repo}`]: id },
    },
  ]);
}

export function whamRoutes(router: Router): void {
  router
    .add('GET', '/backend-api/wham/usage', 'protected', usage)
    .add('GET', '/backend-api/wham/tasks/list', 'protected', listTasks)
    .add('POST', '/backend-api/wham/tasks', 'protected', createTask)
    .add('GET', '/backend-api/wham/tasks/:id', 'protected', getTask)
    .add('GET', '/backend-api/wham/tasks/:id/turns/:turn/sibling_turns', 'protected', siblingTurns)
    .add('GET', '/backend-api/wham/config/requirements', 'protected', configRequirements)
    .add('GET', '/backend-api/wham/environments', 'protected', environments)
    .add(
      'GET',
      '/backend-api/wham/environments/by-repo/github/:owner/:repo',
      'protected',
      environmentsByRepo,
    );
}
