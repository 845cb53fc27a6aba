/** Query parameters that carry no secret and are kept in error messages as sent. */
const SAFE_QUERY = new Set(['limit', 'task_filter', 'environment_id', 'tier', 'external_logos']);

/**
 * The URL with every query value that might be a credential (a signed upload URL's `sig`, a page token, …)
 * replaced by `REDACTED`, and any userinfo dropped. For error messages and logs.
 */
export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '<invalid url>';
  }
  parsed.username = '';
  parsed.password = '';
  const kept = new URLSearchParams();
  for (const [name, value] of parsed.searchParams) {
    kept.append(name, SAFE_QUERY.has(name) ? value : 'REDACTED');
  }
  parsed.search = kept.size > 0 ? `?${kept.toString()}` : '';
  return parsed.href;
}
