import { mkdir, readdir, rename } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import type { AppLogger } from '../logger.js';
import { ForeignRolloutError } from './foreign-rollout.js';
import { readRollout } from './rollout.js';
import type { ThreadRecord } from './thread-model.js';

const ROLLOUT_NAME = /^rollout-.+-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/;

/** `rollout-2026-11-21T05-37-28-<id>.jsonl` under `YYYY/MM/DD`, as upstream lays sessions out. */
export function rolloutRelativePath(threadId: string, createdAtMs: number): string {
  const d = new Date(createdAtMs);
  const iso = d.toISOString().slice(0, 19).replaceAll(':', '-');
  const y = String(d.getUTCFullYear());
  const m = String(d.getUTCMonth() + 1).padStart(2, '0');
  const day = String(d.getUTCDate()).padStart(2, '0');
  return join(y, m, day, `rollout-${iso}-${threadId}.jsonl`);
}

export function threadIdFromRolloutPath(path: string): string | undefined {
  return ROLLOUT_NAME.exec(basename(path))?.[1];
}

async function walk(dir: string): Promise<string[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: string[] = [];
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else if (e.isFile() && ROLLOUT_NAME.test(e.name)) out.push(p);
  }
  return out;
}

/** Rollout files under `$CODEX_HOME/sessions` (live) and `$CODEX_HOME/archived_sessions`. */
export class ThreadStore {
  readonly sessionsDir: string;
  readonly archivedDir: string;
  readonly #logger: AppLogger;

  constructor(codexHome: string, logger: AppLogger) {
    this.sessionsDir = join(codexHome, 'sessions');
    this.archivedDir = join(codexHome, 'archived_sessions');
    this.#logger = logger;
  }

  async newRolloutPath(threadId: string, createdAtMs: number): Promise<string> {
    const path = join(this.sessionsDir, rolloutRelativePath(threadId, createdAtMs));
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    return path;
  }

  /** The rollout file of a thread, live or archived. */
  async locate(threadId: string): Promise<{ path: string; archived: boolean } | undefined> {
    for (const [dir, archived] of [
      [this.sessionsDir, false],
      [this.archivedDir, true],
    ] as const) {
      const hit = (await walk(dir)).find((p) => threadIdFromRolloutPath(p) === threadId);
      if (hit) return { path: hit, archived };
    }
    return undefined;
  }

  /**
   * Every readable thread in one of the two trees; an unreadable rollout is logged and left out. Upstream Codex's
   * sessions (a CODEX_HOME shared with the Codex CLI) are left out quietly, each read to its first line only.
   */
  async list(archived: boolean): Promise<ThreadRecord[]> {
    const files = await walk(archived ? this.archivedDir : this.sessionsDir);
    const records = await Promise.all(
      files.map(async (path) => {
        try {
          return await readRollout(path);
        } catch (err) {
          if (err instanceof ForeignRolloutError) {
            this.#logger.debug({ path, writer: err.writer }, 'leaving out a Codex session');
            return undefined;
          }
          this.#logger.warn({ path, error: err }, 'skipping an unreadable rollout');
          return undefined;
        }
      }),
    );
    return records.filter((r): r is ThreadRecord => r !== undefined);
  }

  /** Moves a rollout between the live and archived trees, keeping its dated sub-path. */
  async move(path: string, toArchived: boolean): Promise<string> {
    const from = toArchived ? this.sessionsDir : this.archivedDir;
    const to = toArchived ? this.archivedDir : this.sessionsDir;
    const target = join(to, relative(from, path));
    await mkdir(dirname(target), { recursive: true, mode: 0o700 });
    await rename(path, target);
    return target;
  }
}
