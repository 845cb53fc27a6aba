import lockfile from 'proper-lockfile';
import { AuthFileError, type AuthFileErrorCode } from './errors.js';

/**
 * login's cross-process lock on auth.json: a directory `auth.json.codex-ts.lock` beside the file, created with
 * `mkdir` (proper-lockfile), present only while held and kept fresh so a crashed holder goes stale after
 * `staleMs`. It is not upstream Codex's `auth.json.lock` (an empty regular file upstream holds with `flock`):
 * the two must never share a path, or each side would wait on the other's leftover.
 */
export const LOCK_SUFFIX = '.codex-ts.lock';

export interface FileLockOptions {
  /** How long to wait for another holder (ms). 0: one attempt. Default 30 000. */
  timeoutMs?: number;
  /** A lock not refreshed for this long is stale and taken over (ms, at least 2 000). Default 10 000. */
  staleMs?: number;
  /** Test seam: the fs module proper-lockfile uses (default graceful-fs). */
  fs?: unknown;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** errno → what the user should hear: the cause, at once, instead of waiting for a lock that can never be taken. */
const CAUSES: Record<string, [AuthFileErrorCode, string]> = {
  EACCES: ['auth_file_permission_denied', 'permission denied: CODEX_HOME is not writable by this user'],
  EPERM: ['auth_file_permission_denied', 'permission denied: CODEX_HOME is not writable by this user'],
  EROFS: ['auth_file_read_only', 'CODEX_HOME is on a read-only file system'],
  ENOSPC: ['auth_file_no_space', 'no space left on the device holding CODEX_HOME'],
  EDQUOT: ['auth_file_no_space', 'disk quota exceeded on the device holding CODEX_HOME'],
  ENOTDIR: ['auth_file_bad_path', 'CODEX_HOME (or one of its parents) is not a directory'],
  ENOENT: ['auth_file_bad_path', 'CODEX_HOME does not exist and could not be created'],
  ELOOP: ['auth_file_bad_path', 'too many symbolic links in the path to CODEX_HOME'],
  ENAMETOOLONG: ['auth_file_bad_path', 'the path to CODEX_HOME is too long'],
};

/** The same causes, met while reading auth.json. */
const READ_CAUSES: Record<string, [AuthFileErrorCode, string]> = {
  ...CAUSES,
  EACCES: ['auth_file_permission_denied', 'permission denied: auth.json is not readable by this user'],
  EPERM: ['auth_file_permission_denied', 'permission denied: auth.json is not readable by this user'],
};

/** A typed error for a file-system failure around auth.json; the errno code is named in the message. */
export function fileSystemError(
  path: string,
  err: unknown,
  fallback: [AuthFileErrorCode, string],
  reading = false,
): AuthFileError {
  const errno = (err as NodeJS.ErrnoException | undefined)?.code;
  const [code, message] = (errno && (reading ? READ_CAUSES : CAUSES)[errno]) || fallback;
  return new AuthFileError(code, path, `${message} (${errno ?? 'error'})`, { cause: err });
}

function backoff(attempt: number): number {
  const base = Math.min(100, 5 * 1.5 ** attempt);
  return base / 2 + Math.random() * (base / 2);
}

/**
 * Takes login's lock for `path`; resolves to the release function. Only "held by another process" is waited
 * on (up to `timeoutMs`, then `auth_file_locked`); every other failure (read-only or full disk, permissions,
 * a CODEX_HOME that is not a directory) rejects at once with a code naming the cause.
 */
export async function acquireFileLock(
  path: string,
  options: FileLockOptions = {},
): Promise<() => Promise<void>> {
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  for (let attempt = 0; ; attempt++) {
    try {
      return await lockfile.lock(path, {
        lockfilePath: `${path}${LOCK_SUFFIX}`,
        realpath: false,
        stale: options.staleMs ?? 10_000,
        retries: 0,
        ...(options.fs ? { fs: options.fs } : {}),
        onCompromised: () => {
          // The lock went stale while held (a very slow holder); the write itself is still atomic.
        },
      });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') {
        throw fileSystemError(path, err, ['auth_file_lock_failed', 'could not lock auth.json']);
      }
      const wait = backoff(attempt);
      if (Date.now() + wait > deadline) {
        throw new AuthFileError(
          'auth_file_locked',
          path,
          `could not lock auth.json: another process holds ${path}${LOCK_SUFFIX}`,
          { cause: err },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
