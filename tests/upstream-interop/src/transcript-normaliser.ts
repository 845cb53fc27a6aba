import type { TranscriptEntry } from './app-server-session.js';

/** Strings of one run that another run spells differently, replaced by a fixed name. */
export interface NormaliseOptions {
  /** Exact strings (paths, origins) and their placeholder, e.g. `{ '/tmp/codex-ts-interop-x1': '<CODEX_HOME>' }`. */
  replacements?: Record<string, string>;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const RANDOM_ID =
  /\b(msg|resp|task|agent|user|acct|rs|item|turn|call|device|deviceauth|fc)_[0-9a-zA-Z]{8,}\b/g;
/** Values that hold the time of the run or the machine, whatever their key's case. */
const TIME_KEY = /(At|AtMs|At_ms|_at|Ms)$/;
const MACHINE_KEYS = new Set([
  'userAgent',
  'serverName',
  'userCode',
  'verificationUrl',
  'path',
  'durationMs',
]);

/**
 * The transcript with everything that changes from run to run replaced by stable placeholders: UUIDs and random
 * ids become `<uuid:1>`, `<msg:2>` (numbered by first appearance, so equal ids stay equal), timestamps become
 * `<time>`, the user agent, host name and device code become `<userAgent>`, … and the given strings (CODEX_HOME,
 * cwd, the dev backend's origin) their placeholders. Two runs of the same script normalise to the same JSON.
 */
export function normaliseTranscript(
  transcript: readonly TranscriptEntry[],
  options: NormaliseOptions = {},
): TranscriptEntry[] {
  const names = new Map<string, string>();
  const counters = new Map<string, number>();
  const placeholder = (kind: string, value: string) => {
    const known = names.get(value);
    if (known) return known;
    const n = (counters.get(kind) ?? 0) + 1;
    counters.set(kind, n);
    const name = `<${kind}:${n}>`;
    names.set(value, name);
    return name;
  };
  const replacements = Object.entries(options.replacements ?? {}).sort((a, b) => b[0].length - a[0].length);
  const normaliseString = (value: string): string => {
    let out = value;
    for (const [from, to] of replacements) out = out.split(from).join(to);
    out = out.replace(UUID, (m) => placeholder('uuid', m.toLowerCase()));
    return out.replace(RANDOM_ID, (m, kind: string) => placeholder(kind, m));
  };
  const visit = (value: unknown, key: string): unknown => {
    if (typeof value === 'number' && TIME_KEY.test(key)) return '<time>';
    if (typeof value === 'string' && MACHINE_KEYS.has(key)) return `<${key}>`;
    if (typeof value === 'string' && TIME_KEY.test(key) && !Number.isNaN(Date.parse(value))) return '<time>';
    if (typeof value === 'string') return normaliseString(value);
    if (Array.isArray(value)) return value.map((item) => visit(item, key));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visit(v, k)]));
    }
    return value;
  };
  return transcript.map((entry) => ({
    from: entry.from,
    message: visit(entry.message, '') as Record<string, unknown>,
  }));
}

/**
 * The part of a normalised transcript that two conforming app-servers must share: every request the client sent
 * and the response to it, in order. Notifications are left out (their interleaving and the background ones, such
 * as MCP start-up, differ between servers and runs); tests assert on the notifications they rely on directly.
 */
export function requestResponsePairs(transcript: readonly TranscriptEntry[]): TranscriptEntry[] {
  return transcript.filter((entry) =>
    entry.from === 'client' ? entry.message.id !== undefined : entry.message.method === undefined,
  );
}
