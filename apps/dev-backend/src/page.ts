import type { App } from './app.js';
import { escapeHtml } from './http.js';

function table(headers: string[], rows: unknown[][]): string {
  if (rows.length === 0) return '<p class="empty">none</p>';
  const head = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows
    .map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell ?? '')}</td>`).join('')}</tr>`)
    .join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/** GET /dev/: users, identities, tasks and the last requests. Every value is escaped. */
export function renderDevPage(app: App): string {
  const users = app.state.listUsers().map((u) => [u.userId, u.email, u.plan, u.accountId, u.fedramp]);
  const identities = app.state
    .listIdentities()
    .map((i) => [i.agentRuntimeId, i.userId, i.accountId, i.abom.agent_harness_id, i.registeredAt]);
  const tasks = app.state
    .listTasks()
    .map((t) => [t.taskId, t.agentRuntimeId, t.kind, t.externalTaskRef ?? '', t.registeredAt]);
  const requests = app.log
    .list()
    .slice(-50)
    .reverse()
    .map((r) => [
      r.at,
      r.method,
      r.path,
      r.authScheme,
      r.agentRuntimeId,
      r.taskId,
      r.taskKind,
      r.status,
      r.reason,
    ]);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>codex-ts dev backend</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse;font-size:.85rem}
td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}th{background:#f4f4f4}.empty{color:#888}</style>
</head><body><h1>codex-ts dev backend</h1>
<p>ChatGPT base URL: <code>${escapeHtml(`${app.url}/backend-api`)}</code> · clock offset ${escapeHtml(app.clock.offset)} s</p>
<h2>Users</h2>${table(['user id', 'email', 'plan', 'account id', 'fedramp'], users)}
<h2>Agent identities</h2>${table(['runtime id', 'user id', 'account id', 'harness', 'registered at'], identities)}
<h2>Tasks</h2>${table(['task id', 'runtime id', 'kind', 'external ref', 'registered at'], tasks)}
<h2>Last requests</h2>${table(
    ['at', 'method', 'path', 'auth', 'runtime', 'task', 'kind', 'status', 'reason'],
    requests,
  )}
</body></html>`;
}
