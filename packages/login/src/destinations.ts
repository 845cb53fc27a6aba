import { httpEquivalentUrl, isAgentAssertionHost, isLoopbackHost } from '@codex-ts/agent-identity';

/**
 * What a request to a URL may carry: `assertion` (a supported ChatGPT host, or a configured loopback origin: an
 * AgentAssertion or bearer), `bearer` (a trusted origin that is not an assertion host), or `none` (an unrelated
 * host, a loopback origin nobody configured — another local server, such as an upload host — or a scheme other
 * than http/https/ws/wss: no credentials).
 */
export type Destination = 'assertion' | 'bearer' | 'none';

const MAX_CACHED_ORIGINS = 256;

/**
 * The cache key of a URL: its http-equivalent scheme, host and port (`wss://h/x` and `https://h/y` share one);
 * undefined for any other scheme. Not `url.origin`: `blob:https://h/x` has `https://h` as its origin.
 */
function destinationKey(url: URL): string | undefined {
  const p = url.protocol;
  if (p === 'https:' || p === 'wss:') return `https://${url.host}`;
  if (p === 'http:' || p === 'ws:') return `http://${url.host}`;
  return undefined;
}

/** Classifies request URLs by scheme, host and port, with a small cache (the hot path asks once per request). */
export class CredentialDestinations {
  readonly #trusted: ReadonlySet<string>;
  readonly #cache = new Map<string, Destination>();

  /** `trustedUrls`: the ChatGPT base URL, the authapi URL and any configured origins; junk entries are ignored. */
  constructor(trustedUrls: Iterable<string>) {
    const keys = new Set<string>();
    for (const url of trustedUrls) {
      try {
        const key = destinationKey(new URL(url));
        if (key) keys.add(key);
      } catch {
        // An unparseable override names no origin.
      }
    }
    this.#trusted = keys;
  }

  classify(url: URL): Destination {
    const key = destinationKey(url);
    if (key === undefined) return 'none';
    let destination = this.#cache.get(key);
    if (destination === undefined) {
      destination = classifyUncached(url, this.#trusted.has(key));
      if (this.#cache.size >= MAX_CACHED_ORIGINS) this.#cache.clear();
      this.#cache.set(key, destination);
    }
    return destination;
  }
}

function classifyUncached(url: URL, trusted: boolean): Destination {
  const assertionHost = isAgentAssertionHost(url);
  if (trusted) return assertionHost ? 'assertion' : 'bearer';
  const http = httpEquivalentUrl(url);
  if (isLoopbackHost(http.hostname)) return 'none';
  if (assertionHost) return 'assertion';
  return isOpenAiHttpsHost(http) ? 'bearer' : 'none';
}

function isOpenAiHttpsHost(url: URL): boolean {
  return url.protocol === 'https:' && (url.hostname === 'openai.com' || url.hostname.endsWith('.openai.com'));
}
