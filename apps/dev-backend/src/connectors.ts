import { HttpError, sendJson } from './http.js';
import type { Ctx, Router } from './router.js';

function app(id: string, name: string, description: string) {
  return {
    id,
    name,
    description,
    logo_url: null,
    logo_url_dark: null,
    distribution_channel: 'ECOSYSTEM_DIRECTORY',
    branding: null,
    app_metadata: null,
    labels: null,
    install_url: null,
    is_accessible: false,
  };
}

/** Two pages, so clients exercise `next_token`. */
const DIRECTORY = [
  [
    app('connector_dev_github', 'GitHub (dev)', 'Repositories, issues and pull requests'),
    app('connector_dev_drive', 'Drive (dev)', 'Documents and files'),
  ],
  [app('connector_dev_calendar', 'Calendar (dev)', 'Events and schedules')],
];

/** GET /backend-api/connectors/directory/list?tier=categorized&external_logos=true&token=… → {apps, next_token} */
function directoryList(ctx: Ctx): void {
  const token = ctx.url.searchParams.get('token');
  let page = 0;
  if (token !== null && token !== '') {
    const match = /^page-(\d+)$/.exec(token);
    page = match ? Number(match[1]) : -1;
    if (page < 1 || page >= DIRECTORY.length) throw new HttpError(400, 'invalid_token', 'unknown page token');
  }
  const next = page + 1 < DIRECTORY.length ? `page-${page + 1}` : null;
  sendJson(ctx.res, 200, { apps: DIRECTORY[page], next_token: next });
}

/** GET /backend-api/connectors/directory/list_workspace → {apps, next_token} (no workspace apps here). */
function workspaceList(ctx: Ctx): void {
  sendJson(ctx.res, 200, { apps: [], next_token: null });
}

export function connectorRoutes(router: Router): void {
  router
    .add('GET', '/backend-api/connectors/directory/list', 'protected', directoryList)
    .add('GET', '/backend-api/connectors/directory/list_workspace', 'protected', workspaceList);
}
