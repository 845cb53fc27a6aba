import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { AuthFileError } from './errors.js';

/**
 * `auth.json` in upstream Codex's format. Unknown fields (at the top level, in `tokens` and in
 * `agent_identity`) are kept on rewrite so files round-trip with other versions.
 *
 * One key is renamed between the file and memory, so that every upstream release can read what login writes:
 * - on disk, login's identity record lives under `codex_ts_agent_identity` (both upstream lines ignore an
 *   unknown top-level key); in memory it is `agent_identity`;
 * - on disk, `agent_identity` belongs to upstream (a JWT string next to `auth_mode: "agentIdentity"` in newer
 *   releases, a record object in 0.122); in memory it is `upstream_agent_identity`, written back unchanged;
 * - when the file has no login record but upstream's `agent_identity` is an object (0.122's record, the same
 *   shape as login's), login adopts it: in memory `agent_identity` is a copy of it. It is written under login's
 *   key only once login changes it, so an adopted, unchanged record is not duplicated.
 */
export const LOGIN_IDENTITY_KEY = 'codex_ts_agent_identity';
const UPSTREAM_IDENTITY_KEY = 'agent_identity';

const tokensSchema = z.looseObject({
  id_token: z.string(),
  access_token: z.string(),
  refresh_token: z.string(),
  account_id: z.string().nullish(),
});

export const authDotJsonSchema = z.looseObject({
  auth_mode: z.string().nullish(),
  OPENAI_API_KEY: z.string().nullish(),
  tokens: tokensSchema.nullish(),
  last_refresh: z.string().nullish(),
  // Validated separately (readAgentIdentityRecord): a bad record must not make the whole file unreadable.
  agent_identity: z.unknown().optional(),
  /** Upstream's `agent_identity` value on disk, kept as it is (see above). */
  upstream_agent_identity: z.unknown().optional(),
});

export type AuthTokensJson = z.infer<typeof tokensSchema>;
export type AuthDotJson = z.infer<typeof authDotJsonSchema>;

/** `[A]` agent identity record, as persisted in `auth.json` under `agent_identity`. */
export const agentIdentityRecordSchema = z.looseObject({
  workspace_id: z.string().min(1),
  chatgpt_user_id: z.string().nullish(),
  agent_runtime_id: z.string().min(1),
  agent_private_key: z.string(),
  registered_at: z.string(),
  background_task_id: z.string().nullish(),
});
export type AgentIdentityRecord = z.infer<typeof agentIdentityRecordSchema>;

function issuePaths(error: z.ZodError): string {
  // Only paths and expectations: never the offending values (they may be secrets).
  return error.issues
    .slice(0, 5)
    .map(
      (i) =>
        `${i.path.length ? i.path.join('.') : '(root)'}: ${i.code === 'invalid_type' ? `expected ${i.expected}` : i.code}`,
    )
    .join('; ');
}

/** Parses the text of an auth.json. Throws AuthFileError naming `path`; the message never quotes the file. */
export function parseAuthDotJson(text: string, path: string): AuthDotJson {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new AuthFileError(
      'auth_file_corrupt',
      path,
      'auth.json is not valid JSON; fix or remove the file, then log in again',
    );
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new AuthFileError('auth_file_invalid', path, 'auth.json must hold a JSON object');
  }
  const parsed = authDotJsonSchema.safeParse(fromDisk(raw as Record<string, unknown>));
  if (!parsed.success) {
    throw new AuthFileError(
      'auth_file_invalid',
      path,
      `auth.json has unexpected values (${issuePaths(parsed.error)})`,
    );
  }
  return parsed.data;
}

const KNOWN_OPTIONAL_FIELDS = new Set([
  'tokens',
  'last_refresh',
  UPSTREAM_IDENTITY_KEY,
  LOGIN_IDENTITY_KEY,
  'personal_access_token',
]);

function isRecordObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The file's keys → memory's (see the comment at the top). */
function fromDisk(raw: Record<string, unknown>): Record<string, unknown> {
  const { [UPSTREAM_IDENTITY_KEY]: upstream, [LOGIN_IDENTITY_KEY]: own, ...rest } = raw;
  const doc: Record<string, unknown> = { ...rest };
  if (upstream !== undefined) doc.upstream_agent_identity = upstream;
  if (own !== undefined) {
    if (own !== null) doc.agent_identity = own;
  } else if (isRecordObject(upstream)) doc.agent_identity = structuredClone(upstream);
  return doc;
}

/** Memory's keys → the file's. */
function toDisk(auth: AuthDotJson): Record<string, unknown> {
  const { agent_identity: own, upstream_agent_identity: upstream, ...rest } = auth;
  const doc: Record<string, unknown> = { ...rest };
  if (upstream !== undefined) doc[UPSTREAM_IDENTITY_KEY] = upstream;
  if (own != null) {
    if (!isDeepStrictEqual(own, upstream)) doc[LOGIN_IDENTITY_KEY] = own;
  } else if (isRecordObject(upstream)) {
    // Login dropped the record it had adopted (another user, a bad key): `null` says "do not adopt it again".
    doc[LOGIN_IDENTITY_KEY] = null;
  }
  return doc;
}

/** Pretty JSON as upstream writes it. `OPENAI_API_KEY` is always present (null when unset). */
export function serializeAuthDotJson(memory: AuthDotJson): string {
  const auth = toDisk(memory);
  const out: Record<string, unknown> = {};
  if (auth.auth_mode != null) out.auth_mode = auth.auth_mode;
  out.OPENAI_API_KEY = auth.OPENAI_API_KEY ?? null;
  for (const [k, v] of Object.entries(auth)) {
    if (k === 'auth_mode' || k === 'OPENAI_API_KEY' || v === undefined) continue;
    // Known optional fields are skipped when empty, as upstream does; fields we do not know are kept as they are.
    if (v === null && KNOWN_OPTIONAL_FIELDS.has(k) && k !== LOGIN_IDENTITY_KEY) continue;
    out[k] = v;
  }
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** Returns a valid identity record, or undefined with why it is not one. */
export function readAgentIdentityRecord(
  value: unknown,
): { record: AgentIdentityRecord } | { record?: undefined; invalid: string } | undefined {
  if (value === undefined || value === null) return undefined;
  const parsed = agentIdentityRecordSchema.safeParse(value);
  if (!parsed.success) return { invalid: `malformed agent_identity record (${issuePaths(parsed.error)})` };
  return { record: parsed.data };
}
