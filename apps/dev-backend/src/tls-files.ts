import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where the CA certificate went, and how to take it away again. */
export interface CaFile {
  path: string;
  remove(): Promise<void>;
}

/**
 * Writes the CA certificate (public; mode 0644) to `caFile`, or to `ca.pem` in a new temporary directory that
 * `remove()` deletes. A file the caller named is left in place.
 */
export async function writeCaFile(caPem: string, tls: true | { caFile?: string }): Promise<CaFile> {
  const named = tls === true ? undefined : tls.caFile;
  if (named) {
    await writeFile(named, caPem, { mode: 0o644 });
    return { path: named, remove: async () => {} };
  }
  const dir = await mkdtemp(join(tmpdir(), 'codex-ts-dev-backend-ca-'));
  const path = join(dir, 'ca.pem');
  await writeFile(path, caPem, { mode: 0o644 });
  return { path, remove: () => rm(dir, { recursive: true, force: true }) };
}
