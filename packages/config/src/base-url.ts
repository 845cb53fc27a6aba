/** Hosts that never leave the machine: `localhost`, 127.0.0.0/8, `::1`. */
export function isLoopbackHostname(hostname: string): boolean {
  const host = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * Why `value` cannot be a base URL that receives credentials, or undefined when it can: an `https:` URL, or an
 * `http:` URL to a loopback host (a bearer token sent over plain http to anything else travels in cleartext).
 */
export function baseUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'an http(s) URL';
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:') {
    return isLoopbackHostname(url.hostname)
      ? undefined
      : 'an https URL (plain http is allowed for loopback hosts only: credentials would travel in cleartext)';
  }
  return 'an http(s) URL';
}
