import { createHash } from 'node:crypto';

export const CODEX_APPS_SERVER_NAME = 'codex_apps';
const DELIMITER = '__';
const MAX_TOOL_NAME_LENGTH = 64;

function sha1Hex(value: string): string {
  return createHash('sha1').update(value).digest('hex');
}

/** The Responses API wants `^[A-Za-z0-9_-]+$`: every other character (code point) becomes `_`. */
export function sanitizeToolName(name: string): string {
  const sanitized = name.replace(/[^A-Za-z0-9_-]/gu, '_');
  return sanitized === '' ? '_' : sanitized;
}

function withSha1Suffix(name: string, raw: string): string {
  const hash = sha1Hex(raw);
  return `${name.slice(0, MAX_TOOL_NAME_LENGTH - hash.length)}${hash}`;
}

/**
 * Model-visible names for the server's tools: `mcp__codex_apps__<tool>` sanitised, at most 64 characters (a
 * longer name keeps its start and ends with the SHA-1 of the raw qualified name), a collision after sanitising
 * resolved the same way; an exact duplicate is skipped. Returns qualified name → raw tool name, in input order.
 */
export function qualifyToolNames(
  rawNames: readonly string[],
  server = CODEX_APPS_SERVER_NAME,
): Map<string, string> {
  const qualified = new Map<string, string>();
  const seenRaw = new Set<string>();
  for (const raw of rawNames) {
    const qualifiedRaw = `mcp${DELIMITER}${server}${DELIMITER}${raw}`;
    if (seenRaw.has(qualifiedRaw)) continue;
    seenRaw.add(qualifiedRaw);
    let name = sanitizeToolName(qualifiedRaw);
    if (name.length > MAX_TOOL_NAME_LENGTH) name = withSha1Suffix(name, qualifiedRaw);
    if (qualified.has(name)) {
      name = withSha1Suffix(name, qualifiedRaw);
      if (qualified.has(name)) continue;
    }
    qualified.set(name, raw);
  }
  return qualified;
}
