import type { HeaderReader } from './types.js';

/** A case-insensitive reader over a plain header record (or Node's `IncomingHttpHeaders`). */
export function headerReader(
  record: Readonly<Record<string, string | readonly string[] | undefined>>,
): HeaderReader {
  const lower = new Map<string, string>();
  for (const [name, value] of Object.entries(record)) {
    if (value === undefined) continue;
    lower.set(name.toLowerCase(), typeof value === 'string' ? value : value.join(', '));
  }
  return { get: (name) => lower.get(name.toLowerCase()) ?? null };
}
