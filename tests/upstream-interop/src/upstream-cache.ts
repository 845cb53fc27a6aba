import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import {
  access,
  constants,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  writeFile,
} from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { UpstreamRelease } from './upstream-releases.js';

const run = promisify(execFile);

/** The downloaded tarball does not hash to the integrity pinned in the suite. */
export class UpstreamIntegrityError extends Error {
  override readonly name = 'UpstreamIntegrityError';
  constructor(
    readonly spec: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`${spec}: the tarball's integrity is ${actual}, the suite pins ${expected}`);
  }
}

/**
 * Where unpacked releases live: `$CODEX_TS_UPSTREAM_CACHE`, else `$XDG_CACHE_HOME/codex-ts/upstream`, else
 * `~/.cache/codex-ts/upstream`. One directory per version.
 */
export function upstreamCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CODEX_TS_UPSTREAM_CACHE) return env.CODEX_TS_UPSTREAM_CACHE;
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'codex-ts', 'upstream');
}

/** The sha512 SRI string of a file, as the registry's `dist.integrity` spells it. */
export async function fileIntegrity(path: string): Promise<string> {
  const hash = createHash('sha512');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return `sha512-${hash.digest('base64')}`;
}

/** Throws UpstreamIntegrityError unless the file hashes to the pinned integrity. */
export async function verifyIntegrity(path: string, release: UpstreamRelease): Promise<void> {
  const actual = await fileIntegrity(path);
  if (actual !== release.integrity) throw new UpstreamIntegrityError(release.spec, release.integrity, actual);
}

const MARKER = 'integrity.txt';

async function cachedBinary(dir: string, release: UpstreamRelease): Promise<string | undefined> {
  try {
    if ((await readFile(join(dir, MARKER), 'utf8')).trim() !== release.integrity) return undefined;
    const binary = join(dir, release.binaryPath);
    await access(binary, constants.X_OK);
    return binary;
  } catch {
    return undefined;
  }
}

export interface EnsureUpstreamOptions {
  /** Defaults to upstreamCacheDir(). */
  cacheDir?: string;
  /** Told once per download (not for a cache hit). */
  onDownload?: (release: UpstreamRelease) => void;
}

/**
 * The path of the release's `codex` binary, downloading it first when the cache does not hold it: `npm pack` (the
 * npm CLI knows the registry) into a staging directory, the tarball checked against the pinned integrity, unpacked
 * with `tar`, then renamed into place, so a cache directory is either complete or absent.
 */
export async function ensureUpstream(release: UpstreamRelease, options: EnsureUpstreamOptions = {}) {
  const cacheDir = options.cacheDir ?? upstreamCacheDir();
  const dir = join(cacheDir, release.version);
  const cached = await cachedBinary(dir, release);
  if (cached) return cached;
  options.onDownload?.(release);
  await mkdir(cacheDir, { recursive: true });
  const staging = await mkdtemp(join(cacheDir, `.staging-${release.version}-`));
  try {
    await run('npm', ['pack', release.spec, '--pack-destination', staging, '--silent'], {
      cwd: staging,
      maxBuffer: 16 * 1024 * 1024,
    });
    const tarball = (await readdir(staging)).find((name) => name.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack ${release.spec} left no tarball in ${staging}`);
    await verifyIntegrity(join(staging, tarball), release);
    const unpacked = join(staging, 'unpacked');
    await mkdir(unpacked);
    await run('tar', ['-xzf', join(staging, tarball), '-C', unpacked]);
    await writeFile(join(unpacked, MARKER), `${release.integrity}\n`);
    await rm(dir, { recursive: true, force: true });
    await rename(unpacked, dir);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  const binary = await cachedBinary(dir, release);
  if (!binary) throw new Error(`${release.spec}: no executable at ${release.binaryPath} after unpacking`);
  return binary;
}
