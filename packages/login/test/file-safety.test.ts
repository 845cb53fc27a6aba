import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { describe, expect, it } from 'vitest';
import { acquireFileLock } from '../src/file-lock.js';
import { AuthFileError, FileAuthStore } from '../src/index.js';
import { updateAuthStore } from '../src/storage.js';
import { tempHome } from './helpers.js';

async function rejection(p: Promise<unknown>): Promise<AuthFileError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AuthFileError);
  return err as AuthFileError;
}

describe('stale temp files (kill -9 during a write)', () => {
  const secretTemp = (home: string, name: string) => {
    writeFileSync(join(home, name), '{"tokens":{"refresh_token":"rt-secret"}}', { mode: 0o600 });
  };

  it('the next write removes auth.json.tmp-* under the lock; other files stay', async () => {
    const home = tempHome();
    secretTemp(home, 'auth.json.tmp-4242-0123456789ab');
    secretTemp(home, 'auth.json.tmp-77-ffffffffffff');
    writeFileSync(join(home, '.auth-Ab12Cd'), 'upstream temp'); // upstream's own temp name: not ours to remove
    await updateAuthStore(new FileAuthStore(home), () => ({ OPENAI_API_KEY: 'sk-1' }));
    expect(readdirSync(home).sort()).toEqual(['.auth-Ab12Cd', 'auth.json']);
  });

  it('logout (discard) removes them too, with or without auth.json', async () => {
    const home = tempHome();
    secretTemp(home, 'auth.json.tmp-1-aaaaaaaaaaaa');
    expect(await new FileAuthStore(home).discard()).toBe(false);
    expect(readdirSync(home)).toEqual([]);
    writeFileSync(join(home, 'auth.json'), 'garbage{');
    secretTemp(home, 'auth.json.tmp-2-bbbbbbbbbbbb');
    expect(await new FileAuthStore(home).discard()).toBe(true);
    expect(readdirSync(home)).toEqual([]);
  });
});

describe('not a regular file in place of auth.json', () => {
  it('a directory: typed error on load, on write and on discard; nothing removed', async () => {
    const home = tempHome();
    mkdirSync(join(home, 'auth.json'));
    const store = new FileAuthStore(home);
    const expected = {
      code: 'auth_file_not_regular',
      path: store.location,
      message: `${store.location}: auth.json is a directory, not a regular file; move it away, then log in again`,
    };
    expect(await rejection(store.load())).toMatchObject(expected);
    expect(await rejection(updateAuthStore(store, () => ({ OPENAI_API_KEY: 'k' })))).toMatchObject(expected);
    expect(await rejection(store.discard())).toMatchObject(expected);
    expect(statSync(store.location).isDirectory()).toBe(true);
  });

  it('a FIFO: typed error at once instead of hanging in open()', async () => {
    const home = tempHome();
    const store = new FileAuthStore(home);
    execFileSync('mkfifo', [store.location]);
    expect(await rejection(store.load())).toMatchObject({
      code: 'auth_file_not_regular',
      message: `${store.location}: auth.json is a FIFO, not a regular file; move it away, then log in again`,
    });
    expect((await rejection(store.discard())).code).toBe('auth_file_not_regular');
    expect(statSync(store.location).isFIFO()).toBe(true);
  });
});

describe('lock failures that waiting cannot fix', () => {
  it('CODEX_HOME below a regular file: auth_file_bad_path at once', async () => {
    const parent = tempHome();
    writeFileSync(join(parent, 'file'), 'x');
    const store = new FileAuthStore(join(parent, 'file', 'home'));
    const err = await rejection(updateAuthStore(store, () => ({ OPENAI_API_KEY: 'k' })));
    expect(err).toMatchObject({
      code: 'auth_file_bad_path',
      message: `${store.location}: CODEX_HOME (or one of its parents) is not a directory (ENOTDIR)`,
    });
  });

  // Root ignores permission bits, so the errors come from a file-system seam (proper-lockfile's `fs` option).
  it.each([
    ['EACCES', 'auth_file_permission_denied', 'permission denied: CODEX_HOME is not writable by this user'],
    ['EROFS', 'auth_file_read_only', 'CODEX_HOME is on a read-only file system'],
    ['ENOSPC', 'auth_file_no_space', 'no space left on the device holding CODEX_HOME'],
  ])('%s from the lock fails on the first attempt with %s', async (errno, code, text) => {
    const home = tempHome();
    const path = join(home, 'auth.json');
    let attempts = 0;
    const failing = {
      ...fs,
      mkdir: (_p: string, cb: (e: Error) => void) => {
        attempts++;
        cb(Object.assign(new Error(`${errno}: simulated`), { code: errno }));
      },
    };
    const err = await rejection(acquireFileLock(path, { fs: failing })); // default 30 s timeout: must not wait
    expect(err).toMatchObject({ code, path, message: `${path}: ${text} (${errno})` });
    expect(attempts).toBe(1);
  });

  it('held by another login process: auth_file_locked after the timeout, naming login’s lock', async () => {
    const home = tempHome();
    const store = new FileAuthStore(home, { lockTimeoutMs: 50 });
    writeFileSync(store.location, '{"OPENAI_API_KEY":"sk-kept"}');
    const release = await lockfile.lock(store.location, {
      realpath: false,
      lockfilePath: `${store.location}.codex-ts.lock`,
    });
    try {
      const err = await rejection(updateAuthStore(store, () => ({ OPENAI_API_KEY: 'sk-new' })));
      expect(err).toMatchObject({
        code: 'auth_file_locked',
        path: store.location,
        message: `${store.location}: could not lock auth.json: another process holds ${store.location}.codex-ts.lock`,
      });
    } finally {
      await release();
    }
    expect(readFileSync(store.location, 'utf8')).toBe('{"OPENAI_API_KEY":"sk-kept"}');
  });
});
