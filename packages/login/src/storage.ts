import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { type FileHandle, lstat, mkdir, open, readdir, rename, rm, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { type AuthDotJson, parseAuthDotJson, serializeAuthDotJson } from './auth-json.js';
import { AuthFileError } from './errors.js';
import { acquireFileLock, fileSystemError } from './file-lock.js';
import { authJsonPath } from './home.js';
import { withKeyedMutex } from './mutex.js';

/** One locked read-modify-write session on the store. */
export interface AuthTransaction {
  /** What the store held when the lock was taken (undefined: nothing stored). */
  readonly current: AuthDotJson | undefined;
  write(next: AuthDotJson): Promise<void>;
  remove(): Promise<void>;
}

/** Where auth.json lives. `transaction` is exclusive across callers in this process and, for files, across processes. */
export interface AuthStore {
  readonly kind: 'file' | 'ephemeral';
  /** A path or `ephemeral:<codex home>`; safe to show. */
  readonly location: string;
  load(): Promise<AuthDotJson | undefined>;
  transaction<T>(fn: (tx: AuthTransaction) => Promise<T>): Promise<T>;
}

/** Convenience: read, transform, write (unless `fn` returns the same object), under the store's lock. */
export async function updateAuthStore(
  store: AuthStore,
  fn: (current: AuthDotJson | undefined) => AuthDotJson | undefined | 'delete',
): Promise<AuthDotJson | undefined> {
  return store.transaction(async (tx) => {
    const next = fn(tx.current);
    if (next === 'delete') {
      await tx.remove();
      return undefined;
    }
    if (next !== undefined && next !== tx.current) await tx.write(next);
    return next ?? tx.current;
  });
}

export interface FileAuthStoreOptions {
  /** How long a transaction waits for another process holding login's lock (ms; 0: one attempt). Default 30 000. */
  lockTimeoutMs?: number;
  /** Lock staleness in ms (default 10 000; the lock is kept fresh while held). */
  lockStaleMs?: number;
}

const TEMP_MARKER = '.tmp-';

/**
 * `$CODEX_HOME/auth.json`: pretty JSON, mode 0600, atomic replace. Transactions hold login's cross-process
 * lock (`auth.json.codex-ts.lock`, see file-lock.ts), never upstream's `auth.json.lock`.
 */
export class FileAuthStore implements AuthStore {
  readonly kind = 'file' as const;
  readonly location: string;
  readonly #options: FileAuthStoreOptions;

  constructor(codexHome: string, options: FileAuthStoreOptions = {}) {
    this.location = authJsonPath(codexHome);
    this.#options = options;
  }

  async load(): Promise<AuthDotJson | undefined> {
    const text = await readRegularFile(this.location);
    return text === undefined ? undefined : parseAuthDotJson(text, this.location);
  }

  async transaction<T>(fn: (tx: AuthTransaction) => Promise<T>): Promise<T> {
    const path = this.location;
    return this.#locked(async () => {
      const current = await this.load();
      return fn({
        current,
        write: (next) => writeAtomically(path, serializeAuthDotJson(next)),
        remove: () => removeFile(path),
      });
    });
  }

  /**
   * Removes auth.json without reading it (logout of a corrupt file), under the lock, with any temp file a
   * killed writer left. A path that is not a regular file is refused (AuthFileError), never removed.
   * Returns true when a file was removed.
   */
  async discard(): Promise<boolean> {
    const path = this.location;
    return this.#locked(async () => {
      const st = await lstat(path).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return undefined;
        throw fileSystemError(path, err, ['auth_file_unreadable', 'cannot inspect auth.json'], true);
      });
      if (st === undefined) return false;
      if (!st.isFile() && !st.isSymbolicLink()) throw notRegular(path, st);
      await removeFile(path);
      return true;
    });
  }

  /** Under the in-process mutex and login's file lock; stale temp files go first (no writer is in flight). */
  async #locked<T>(fn: () => Promise<T>): Promise<T> {
    const path = this.location;
    return withKeyedMutex(`file:${path}`, async () => {
      try {
        await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      } catch (err) {
        throw fileSystemError(path, err, ['auth_file_write_failed', 'cannot create CODEX_HOME']);
      }
      const release = await acquireFileLock(path, {
        ...(this.#options.lockTimeoutMs !== undefined ? { timeoutMs: this.#options.lockTimeoutMs } : {}),
        ...(this.#options.lockStaleMs !== undefined ? { staleMs: this.#options.lockStaleMs } : {}),
      });
      try {
        await removeStaleTempFiles(path);
        return await fn();
      } finally {
        await release().catch(() => {});
      }
    });
  }
}

/**
 * Removes `auth.json.tmp-*` files beside `path`: temp files of a writer killed between create and rename.
 * They hold secrets. Only call with login's lock held (a live writer's temp file exists only under it).
 * Returns how many were removed.
 */
export async function removeStaleTempFiles(path: string): Promise<number> {
  const prefix = `${basename(path)}${TEMP_MARKER}`;
  let names: string[];
  try {
    names = await readdir(dirname(path));
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    await unlink(join(dirname(path), name)).then(
      () => removed++,
      () => {},
    );
  }
  return removed;
}

async function removeFile(path: string): Promise<void> {
  try {
    await rm(path, { force: true });
  } catch (err) {
    throw fileSystemError(path, err, ['auth_file_write_failed', 'cannot remove auth.json']);
  }
}

function describeKind(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

function notRegular(path: string, st: Stats): AuthFileError {
  return new AuthFileError(
    'auth_file_not_regular',
    path,
    `auth.json is ${describeKind(st)}, not a regular file; move it away, then log in again`,
  );
}

/**
 * The text of a regular file, or undefined when there is none. Opens without blocking (a FIFO would block
 * `open` until a writer comes) and refuses anything that is not a regular file.
 */
async function readRegularFile(path: string): Promise<string | undefined> {
  let fh: FileHandle;
  try {
    fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw fileSystemError(path, err, ['auth_file_unreadable', 'cannot read auth.json'], true);
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw notRegular(path, st);
    return await fh.readFile('utf8');
  } catch (err) {
    if (err instanceof AuthFileError) throw err;
    throw fileSystemError(path, err, ['auth_file_unreadable', 'cannot read auth.json'], true);
  } finally {
    await fh.close();
  }
}

/** temp file (0600) + fsync + rename + directory fsync. */
export async function writeAtomically(path: string, text: string): Promise<void> {
  const tmp = `${path}${TEMP_MARKER}${process.pid}-${randomBytes(6).toString('hex')}`;
  try {
    const fh = await open(tmp, 'wx', 0o600);
    try {
      await fh.writeFile(text, 'utf8');
      await fh.chmod(0o600);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw new AuthFileError(
      'auth_file_write_failed',
      path,
      `cannot write auth.json (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      { cause: err },
    );
  }
  try {
    const dir = await open(dirname(path), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  } catch {
    // Directory fsync is best effort (not supported everywhere).
  }
}

const ephemeralStores = new Map<string, AuthDotJson>();

/** Process memory, keyed by CODEX_HOME (as upstream's ephemeral store). Used for external ChatGPT tokens too. */
export class EphemeralAuthStore implements AuthStore {
  readonly kind = 'ephemeral' as const;
  readonly location: string;
  readonly #key: string;

  constructor(codexHome: string) {
    this.#key = codexHome;
    this.location = `ephemeral:${codexHome}`;
  }

  async load(): Promise<AuthDotJson | undefined> {
    const v = ephemeralStores.get(this.#key);
    return v === undefined ? undefined : structuredClone(v);
  }

  async transaction<T>(fn: (tx: AuthTransaction) => Promise<T>): Promise<T> {
    return withKeyedMutex(`ephemeral:${this.#key}`, async () => {
      const current = await this.load();
      return fn({
        current,
        write: async (next) => {
          ephemeralStores.set(this.#key, structuredClone(next));
        },
        remove: async () => {
          ephemeralStores.delete(this.#key);
        },
      });
    });
  }
}
