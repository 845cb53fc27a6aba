/**
 * The `codex_apps` MCP endpoint for a ChatGPT base URL, as upstream decides it: a base containing `/backend-api`
 * serves it at `{base}/wham/apps`, one containing `/api/codex` at `{base}/apps`, any other at
 * `{base}/api/codex/apps`. `pathOverride` (config `apps_mcp_path_override`, e.g. `ps/mcp` on newer servers)
 * replaces the `wham/apps` / `apps` / `api/codex/apps` part.
 */
export function codexAppsMcpUrl(chatgptBaseUrl: string, pathOverride?: string): string {
  const base = chatgptBaseUrl.replace(/\/+$/, '');
  const override = pathOverride?.trim().replace(/^\/+/, '');
  let path: string;
  if (base.includes('/backend-api')) path = override || 'wham/apps';
  else if (base.includes('/api/codex')) path = override || 'apps';
  else path = override || 'api/codex/apps';
  return `${base}/${path}`;
}
