import type { ModelProviderInfo } from './provider-info.js';

/** `{baseUrl}/{path}` with the provider's query parameters (and `extra`) appended. */
export function providerUrl(
  provider: ModelProviderInfo,
  path: string,
  extra: Readonly<Record<string, string>> = {},
): URL {
  const url = new URL(`${provider.baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`);
  for (const [name, value] of Object.entries({ ...provider.queryParams, ...extra })) {
    url.searchParams.set(name, value);
  }
  return url;
}

/** The websocket twin of an http(s) URL: `http:` → `ws:`, `https:` → `wss:`. */
export function websocketUrl(url: URL): URL {
  const ws = new URL(url.href);
  ws.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return ws;
}
