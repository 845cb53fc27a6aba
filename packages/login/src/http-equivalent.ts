/**
 * The `http:`/`https:` URL a `ws:`/`wss:` URL is authorized as (same host, port, path); `http:`/`https:` URLs
 * as they are; undefined for every other scheme. (To be replaced by agent-identity's `httpEquivalentUrl`.)
 */
export function httpEquivalentUrl(url: URL): URL | undefined {
  switch (url.protocol) {
    case 'http:':
    case 'https:':
      return url;
    case 'ws:':
    case 'wss:': {
      const mapped = new URL(url.href);
      mapped.protocol = url.protocol === 'ws:' ? 'http:' : 'https:';
      return mapped;
    }
    default:
      return undefined;
  }
}
