/** Base-URL rules for the ChatGPT backend, the auth API and the hosts that may receive an AgentAssertion. */

export const DEFAULT_CHATGPT_BASE_URL = 'https://chatgpt.com/backend-api';
export const AUTHAPI_BASE_URL_ENV = 'CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL';

const REMOTE_CONTROL_SUFFIXES = ['/wham/remote/control/server/enroll', '/wham/remote/control/server'];
const BACKEND_API_HOST_PREFIXES = ['https://chatgpt.com', 'https://chat.openai.com'];
const ASSERTION_DOMAINS = ['chatgpt.com', 'chat.openai.com', 'chatgpt-staging.com'];

function trimTrailingSlashes(url: string): string {
  let end = url.length;
  while (end > 0 && url.charCodeAt(end - 1) === 0x2f) end--;
  return url.slice(0, end);
}

/**
 * Upstream's rules: trim trailing `/`; strip one `/wham/remote/control/server[/enroll]` suffix; strip a trailing
 * `/codex` unless the URL ends in `/api/codex`; append `/backend-api` to `https://chatgpt.com…` and
 * `https://chat.openai.com…` URLs that lack it.
 */
export function normalizeChatgptBaseUrl(url: string): string {
  let base = trimTrailingSlashes(url);
  for (const suffix of REMOTE_CONTROL_SUFFIXES) {
    if (base.endsWith(suffix)) {
      base = base.slice(0, -suffix.length);
      break;
    }
  }
  if (base.endsWith('/codex') && !base.endsWith('/api/codex')) base = base.slice(0, -'/codex'.length);
  if (BACKEND_API_HOST_PREFIXES.some((prefix) => base.startsWith(prefix)) && !base.includes('/backend-api')) {
    base = `${base}/backend-api`;
  }
  return base;
}

/**
 * Where tasks are registered: `CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL` (trimmed, trailing `/` removed) when set and
 * non-empty, else the normalized ChatGPT base URL.
 */
export function resolveAuthapiBaseUrl(chatgptBaseUrl: string, env: NodeJS.ProcessEnv = process.env): string {
  const override = trimTrailingSlashes((env[AUTHAPI_BASE_URL_ENV] ?? '').trim());
  return override.length > 0 ? override : normalizeChatgptBaseUrl(chatgptBaseUrl);
}

/** `localhost`, `127.0.0.0/8` or `[::1]`, as `URL.hostname` spells them. */
export function isLoopbackHost(hostname: string): boolean {
  if (hostname === 'localhost' || hostname === '[::1]') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

const HTTP_EQUIVALENT: Readonly<Record<string, string>> = { 'ws:': 'http:', 'wss:': 'https:' };

/**
 * The URL a websocket URL is authorized as: `ws:` → `http:`, `wss:` → `https:` (host, port, path and query kept;
 * the default ports agree). Any other URL comes back as an equal copy. Never mutates its argument.
 */
export function httpEquivalentUrl(url: URL): URL {
  const copy = new URL(url.href);
  const protocol = HTTP_EQUIVALENT[copy.protocol];
  if (protocol !== undefined) copy.protocol = protocol;
  return copy;
}

/**
 * Whether a URL may receive an AgentAssertion: https on chatgpt.com, chat.openai.com, chatgpt-staging.com or a
 * real subdomain of one of them; http or https on loopback (localhost, 127.0.0.0/8, [::1]). A `ws:`/`wss:` URL is
 * decided exactly as its `http:`/`https:` twin (see httpEquivalentUrl). Everything else: no.
 */
export function isAgentAssertionHost(url: string | URL): boolean {
  let parsed: URL;
  try {
    parsed = httpEquivalentUrl(typeof url === 'string' ? new URL(url) : url);
  } catch {
    return false;
  }
  const { protocol, hostname } = parsed;
  if (protocol !== 'https:' && protocol !== 'http:') return false;
  if (isLoopbackHost(hostname)) return true;
  if (protocol !== 'https:') return false;
  return ASSERTION_DOMAINS.some((domain) => hostname === domain || hostname.endsWith(`.${domain}`));
}

/** `{normalized}/authenticate_app_v2`: where the human biscuit is minted. */
export function biscuitUrl(chatgptBaseUrl: string): string {
  return `${normalizeChatgptBaseUrl(chatgptBaseUrl)}/authenticate_app_v2`;
}

/** `{normalized}/v1/agent/register`: identity registration. */
export function agentRegistrationUrl(chatgptBaseUrl: string): string {
  return `${normalizeChatgptBaseUrl(chatgptBaseUrl)}/v1/agent/register`;
}

/** `{authapi}/v1/agent/{runtime}/task/register`: task registration. */
export function agentTaskRegistrationUrl(authapiBaseUrl: string, agentRuntimeId: string): string {
  return `${trimTrailingSlashes(authapiBaseUrl)}/v1/agent/${encodeURIComponent(agentRuntimeId)}/task/register`;
}
