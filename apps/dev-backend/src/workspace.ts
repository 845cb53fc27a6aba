import { HttpError, sendJson } from './http.js';
import type { Ctx, Principal, Router } from './router.js';

function principal(ctx: Ctx): Principal {
  if (!ctx.principal) throw new HttpError(500, 'internal_error', 'route is missing authentication');
  return ctx.principal;
}

/**
 * GET /backend-api/wham/accounts/check: workspace routing discovery. One personal workspace, the caller's. Its
 * backend origin is the dev backend itself when it serves HTTPS (upstream accepts only an HTTPS origin), else
 * `NO_CONSTRAINT` (the client keeps its configured base URL).
 */
function accountsCheck(ctx: Ctx): void {
  const { user } = principal(ctx);
  const origin = ctx.app.url.startsWith('https:') ? ctx.app.url : 'NO_CONSTRAINT';
  sendJson(ctx.res, 200, {
    accounts: [
      {
        id: user.accountId,
        account_user_id: `${user.userId}__${user.accountId}`,
        account_user_role: 'account-owner',
        structure: 'personal',
        plan_type: user.plan,
        is_zdr: false,
        is_openai_internal: false,
        workspace_backend_origin: origin,
        account_routing_override: 'NO_CONSTRAINT',
      },
    ],
    default_account_id: user.accountId,
    account_ordering: [user.accountId],
  });
}

/** GET /backend-api/wham/settings/user */
function userSettings(ctx: Ctx): void {
  principal(ctx);
  sendJson(ctx.res, 200, { commit_attribution_enabled: false });
}

/** GET /backend-api/wham/rate-limit-reset-credits: none earned. */
function rateLimitResetCredits(ctx: Ctx): void {
  principal(ctx);
  sendJson(ctx.res, 200, { credits: [], available_count: 0, total_earned_count: 0 });
}

/** GET /backend-api/ps/plugins/installed: an empty first (and last) page. */
function installedPlugins(ctx: Ctx): void {
  principal(ctx);
  sendJson(ctx.res, 200, { plugins: [], pagination: { next_page_token: null } });
}

/** GET /backend-api/ps/plugins/suggested/codex: suggestions on, none to suggest. */
function suggestedPlugins(ctx: Ctx): void {
  principal(ctx);
  sendJson(ctx.res, 200, { enabled: true, plugins: [] });
}

/** The account and plugin routes upstream 0.169 calls at start-up and per turn, with small valid bodies. */
export function workspaceRoutes(router: Router): void {
  router
    .add('GET', '/backend-api/wham/accounts/check', 'protected', accountsCheck)
    .add('GET', '/backend-api/wham/settings/user', 'protected', userSettings)
    .add('GET', '/backend-api/wham/rate-limit-reset-credits', 'protected', rateLimitResetCredits)
    .add('GET', '/backend-api/ps/plugins/installed', 'protected', installedPlugins)
    .add('GET', '/backend-api/ps/plugins/suggested/codex', 'protected', suggestedPlugins);
}
