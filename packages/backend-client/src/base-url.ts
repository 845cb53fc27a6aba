/** Which path family a backend speaks: ChatGPT's `/wham/…` or the Codex API's `/api/codex/…`. */
export type PathStyle = 'chatgpt-api' | 'codex-api';

const CHATGPT_HOSTS = ['https://chatgpt.com', 'https://chat.openai.com'];

/**
 * The base URL as every request is built from it: trailing `/` trimmed, and the ChatGPT hosts
 * (`https://chatgpt.com`, `https://chat.openai.com`) given `/backend-api` when it is missing.
 */
export function normalizeBaseUrl(baseUrl: string): string {
  let base = baseUrl.trim();
  while (base.endsWith('/')) base = base.slice(0, -1);
  if (CHATGPT_HOSTS.some((host) => base.startsWith(host)) && !base.includes('/backend-api')) {
    base = `${base}/backend-api`;
  }
  return base;
}

/** `chatgpt-api` (`/wham/…`) when the base contains `/backend-api`, else `codex-api` (`/api/codex/…`). */
export function pathStyleFor(baseUrl: string): PathStyle {
  return baseUrl.includes('/backend-api') ? 'chatgpt-api' : 'codex-api';
}

/** The path of a Codex endpoint (`tasks/list`, `usage`, …) in a path style, without a leading `/`. */
export function codexPath(style: PathStyle, path: string): string {
  return style === 'chatgpt-api' ? `wham/${path}` : `api/codex/${path}`;
}
