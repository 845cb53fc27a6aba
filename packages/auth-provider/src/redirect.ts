/** Statuses fetch follows as redirects. */
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** At most this many hops, as fetch allows. */
export const MAX_REDIRECTS = 20;

export function isRedirect(status: number): boolean {
  return REDIRECT_STATUSES.has(status);
}

/**
 * Whether the next hop drops the body and becomes a GET, per the fetch standard: always for 303 (unless HEAD),
 * and for 301/302 after a POST.
 */
export function redirectDropsBody(status: number, method: string): boolean {
  if (status === 303) return method !== 'HEAD';
  return (status === 301 || status === 302) && method === 'POST';
}
