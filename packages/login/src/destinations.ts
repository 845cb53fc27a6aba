import { isAgentAssertionHost } from '@codex-ts/agent-identity';

/**
 * What a request to a URL may carry: `assertion` (a supported ChatGPT host or loopback: an AgentAssertion or
 * bearer), `bearer` (a trusted origin that is not an assertion host), or `none` (an unrelated host: no credentials).
 */
export type Destination = 'assertion' | 'bearer' | 'none';

const MAX_CACHED_ORIGINS = 256;

/** Classifies request URLs by origin, with a small cache (the hot path asks once per request). */
export class CredentialDestinations {
  readonly #trusted: ReadonlySet<string>;
  readonly #cache = new Map<string, Destination>();

  /** `trustedUrls`: the ChatGPT base URL, the authapi URL and any configured origins; junk entries are ignored. */
  constructor(trustedUrls: Iterable<string>) {
    const origins = new Set<string>();
    for (const url of trustedUrls) {
      try {
        origins.add(new URL(url).origin);
      } catch {
        // An unparseable override names no origin.
      }
    }
    this.#trusted = origins;
  }

  classify(url: URL): Destination {
    const origin = url.origin;
    let destination = this.#cache.get(origin);
    if (destination === undefined) {
      destination = isAgentAssertionHost(url)
        ? 'assertion'
        : this.#trusted.has(origin) || isOpenAiHttpsHost(url)
          ? 'bearer'
          : 'none';
      if (this.#cache.size >= MAX_CACHED_ORIGINS) this.#cache.clear();
      this.#cache.set(origin, destination);
    }
    return destination;
  }
}

function isOpenAiHttpsHost(url: URL): boolean {
  return url.protocol === 'https:' && (url.hostname === 'openai.com' || url.hostname.endsWith('.openai.com'));
}
