import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import lockfile from 'proper-lockfile';
import { type AuthDotJson, parseAuthDotJson, serializeAuthDotJson } from './auth-json.js';
import { AuthFileError } from './errors.js';
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
  /** Lock acquisition retries (proper-lockfile / `retry` options). Default waits up to ~30 s. */
  lockRetries?: lockfile.LockOptions['retries'];
  /** Lock staleness in ms (default 10 000; the lock is kept fresh while held). */
  lockStaleMs?: number;
}

const DEFAULT_LOCK_RETRIES = { retries: 400, factor: 1.2, minTimeout: 5, maxTimeout: 100, randomize: true };

/** `$CODEX_HOME/auth.json`: pretty JSON, mode 0600, atomic replace, cross-process lock `auth.json.lock`. */
export class FileAuthStore implements AuthStore {
  readonly kind = 'file' as const;
  readonly location: string;
  readonly #options: FileAuthStoreOptions;

  constructor(codexHome: string, options: FileAuthStoreOptions = {}) {
    this.location = authJsonPath(codexHome);
    this.#options = options;
  }

  async load(): Promise<AuthDotJson | undefined> {
    const path = this.location;
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return undefined;
      throw new AuthFileError('auth_file_unreadable', path, `cannot read auth.json (${code ?? 'error'})`, {
        cause: err,
      });
    }
    return parseAuthDotJson(text, path);
  }

  async transaction<T>(fn: (tx: AuthTransaction) => Promise<T>): Promise<T> {
    const path = this.location;
    return withKeyedMutex(`file:${path}`, async () => {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      let release: () => Promise<void>;
      try {
        release = await lockfile.lock(path, {
          realpath: false,
          stale: this.#options.lockStaleMs ?? 10_000,
          retries: this.#options.lockRetries ?? DEFAULT_LOCK_RETRIES,
          onCompromised: () => {
            // The lock went stale while held (a very slow refresh); the write itself is still atomic.
          },
        });
      } catch (err) {
        throw new AuthFileError(
          'auth_file_locked',
          path,
          'could not lock auth.json (another process holds it)',
          {
            cause: err,
          },
        );
      }
      try {
        const current = await this.load();
        return await fn({
          current,
          write: (next) => writeAtomically(path, serializeAuthDotJson(next)),
          remove: async () => {
            await rm(path, { force: true });
          },
        });
      } finally {
        await release().catch(() => {});
      }
    });
  }
}

/** temp file (0600) + fsync + rename + directory fsync. */
export async function writeAtomically(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
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
