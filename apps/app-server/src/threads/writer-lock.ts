import { randomUUID } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { link, readFile, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';

/** Who writes a thread's rollout: a process, named so that another one can tell whether it still runs. */
interface Holder {
  readonly pid: number;
  readonly host: string;
  /** The process's start (boot id and start time, from /proc); null where /proc is not there. */
  readonly start: string | null;
}

/** Lock files this process holds (two servers in one process are two writers, as two processes are). */
const heldHere = new Set<string>();
/** This process as a lock names it (read once). */
let self: Holder | undefined;

/** `<boot id>:<start time in ticks>` of a process, from /proc; null when unknown (no /proc, or no such process). */
function processStart(pid: number): string | null {
  try {
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces and parentheses): state is field 3, starttime field 22.
    const starttime = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    return starttime ? `${boot}:${starttime}` : null;
  } catch {
    return null;
  }
}

function parseHolder(text: string): Holder | undefined {
  try {
    const h = JSON.parse(text) as Partial<Holder>;
    if (!Number.isSafeInteger(h.pid) || typeof h.host !== 'string') return undefined;
    return { pid: h.pid as number, host: h.host, start: typeof h.start === 'string' ? h.start : null };
  } catch {
    return undefined;
  }
}

/**
 * Whether the holder still runs. A process on another host cannot be checked: it counts as running (remove the
 * lock file by hand if that host is gone). A pid that runs but started at another moment is a reused pid.
 */
function running(path: string, h: Holder): boolean {
  if (h.host !== hostname()) return true;
  if (h.pid === process.pid) return heldHere.has(path);
  try {
    process.kill(h.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (h.start === null) return true;
  const start = processStart(h.pid);
  return start === null || start === h.start;
}

/** A thread's lock could not be written or read (full disk, permissions, a rollout folder gone). */
export class RolloutLockError extends Error {
  readonly path: string;
  readonly code: string | undefined;

  constructor(path: string, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    super(`cannot lock rollout ${path}: ${code ?? (cause as Error).message}`, { cause });
    this.name = 'RolloutLockError';
    this.path = path;
    this.code = code;
  }
}

/** Links `draft` in at `path`; false when a file is already there. */
async function linked(draft: string, path: string): Promise<boolean> {
  try {
    await link(draft, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return false;
  }
}

/**
 * One writer per thread across processes, as upstream refuses a second ("thread … already has an active writer"):
 * `<rollout>.lock` names the process that loaded the thread. A lock whose process is gone (a crash) is taken over,
 * by one process at a time; a live lock is never taken.
 */
export class ThreadWriterLock {
  readonly path: string;

  private constructor(path: string) {
    this.path = path;
    heldHere.add(path);
  }

  /** Takes the rollout's lock; undefined when another live writer holds it; RolloutLockError when it cannot. */
  static async acquire(rolloutPath: string): Promise<ThreadWriterLock | undefined> {
    try {
      return await ThreadWriterLock.#acquire(`${rolloutPath}.lock`);
    } catch (err) {
      throw new RolloutLockError(rolloutPath, err);
    }
  }

  static async #acquire(path: string): Promise<ThreadWriterLock | undefined> {
    self ??= { pid: process.pid, host: hostname(), start: processStart(process.pid) };
    // Written whole beside the lock, then linked into place: a lock file is never seen half written.
    const draft = `${path}.${process.pid}.${randomUUID()}`;
    await writeFile(draft, JSON.stringify(self), { mode: 0o600, flag: 'wx' });
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        if (await linked(draft, path)) return new ThreadWriterLock(path);
        if (await ThreadWriterLock.#heldAt(path)) return undefined;
        const taken = await ThreadWriterLock.#takeOver(path, draft);
        if (taken !== 'again') return taken;
      }
      return undefined;
    } finally {
      await unlink(draft).catch(() => {});
    }
  }

  /**
   * Replaces a stale lock. Takers go one at a time through `<lock>.takeover` (linked as the lock is) and check the
   * lock again inside: a taker that judged it stale just before another one replaced it then finds the new, live
   * lock, and never removes it. A gate whose taker died is cleared by the next one (two takers clearing such a gate
   * in the same instant is the one way left for both to win: it needs a crash inside a takeover).
   */
  static async #takeOver(path: string, draft: string): Promise<ThreadWriterLock | undefined | 'again'> {
    const gate = `${path}.takeover`;
    if (!(await linked(draft, gate))) {
      if (await ThreadWriterLock.#heldAt(gate)) return undefined; // another live taker: it becomes the writer
      await unlink(gate).catch(() => {});
      return 'again';
    }
    heldHere.add(gate);
    try {
      if (await ThreadWriterLock.#heldAt(path)) return undefined;
      await unlink(path).catch(() => {}); // stale: its writer is gone
      return (await linked(draft, path)) ? new ThreadWriterLock(path) : 'again';
    } finally {
      heldHere.delete(gate);
      await unlink(gate).catch(() => {});
    }
  }

  static async #heldAt(path: string): Promise<boolean> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      return false; // released meanwhile
    }
    const holder = parseHolder(text);
    // A lock is linked into place whole: one that does not parse is not a live writer's.
    return holder !== undefined && running(path, holder);
  }

  /** Gives the thread up (unload, archive, shutdown). Synchronous, so a shutdown leaves no lock behind. */
  release(): void {
    if (!heldHere.delete(this.path)) return;
    try {
      unlinkSync(this.path);
    } catch {
      // already gone
    }
  }
}
