import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { ToolSchema } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { CODEX_APPS_SERVER_NAME } from './tool-names.js';

/** Whose catalog a cache file holds (upstream `CodexAppsToolsCacheKey`). */
export interface AppsToolsCacheKey {
  readonly accountId: string | null;
  readonly chatgptUserId: string | null;
  readonly isWorkspaceAccount: boolean;
}

export const APPS_TOOLS_CACHE_DIR = join('cache', 'codex_apps_tools');
export const APPS_TOOLS_CACHE_SCHEMA_VERSION = 1;

const cacheFileSchema = z.object({
  schema_version: z.literal(APPS_TOOLS_CACHE_SCHEMA_VERSION),
  tools: z.array(
    z.object({
      server_name: z.literal(CODEX_APPS_SERVER_NAME),
      tool_name: z.string().min(1),
      tool: ToolSchema,
      connector_id: z.string().nullable(),
      connector_name: z.string().nullable(),
    }),
  ),
});

/**
 * `$CODEX_HOME/cache/codex_apps_tools/<sha1 of {"account_id","chatgpt_user_id","is_workspace_account"}>.json`,
 * the JSON written with upstream's field names and order so one account maps to one file.
 */
export function appsToolsCachePath(codexHome: string, key: AppsToolsCacheKey): string {
  const json = JSON.stringify({
    account_id: key.accountId,
    chatgpt_user_id: key.chatgptUserId,
    is_workspace_account: key.isWorkspaceAccount,
  });
  return join(codexHome, APPS_TOOLS_CACHE_DIR, `${createHash('sha1').update(json).digest('hex')}.json`);
}

export interface CachedAppsTool {
  readonly tool: Tool;
  readonly connectorId: string | null;
  readonly connectorName: string | null;
}

/** The cached tools, or `undefined` when the file is missing, unreadable, malformed or of another schema version. */
export function readAppsToolsCache(path: string): CachedAppsTool[] | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const checked = cacheFileSchema.safeParse(parsed);
  if (!checked.success) return undefined;
  return checked.data.tools.map((entry) => ({
    tool: entry.tool as Tool,
    connectorId: entry.connector_id,
    connectorName: entry.connector_name,
  }));
}

/** Writes the cache atomically (a temporary file renamed over it), mode 0600. Returns false when it could not. */
export function writeAppsToolsCache(path: string, tools: readonly CachedAppsTool[]): boolean {
  const body = JSON.stringify(
    {
      schema_version: APPS_TOOLS_CACHE_SCHEMA_VERSION,
      tools: tools.map((t) => ({
        server_name: CODEX_APPS_SERVER_NAME,
        tool_name: t.tool.name,
        tool: t.tool,
        connector_id: t.connectorId,
        connector_name: t.connectorName,
      })),
    },
    null,
    2,
  );
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeFileSync(temporary, body, { mode: 0o600 });
    renameSync(temporary, path);
    return true;
  } catch {
    rmSync(temporary, { force: true });
    return false;
  }
}
