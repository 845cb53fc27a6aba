import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { randomHex } from './ids.js';
import type { PersistedState } from './state.js';

const persistedSchema = z.object({
  version: z.literal(1),
  jwtSecret: z.string().min(1),
  users: z.array(
    z.object({
      userId: z.string(),
      email: z.string(),
      plan: z.string(),
      accountId: z.string(),
      fedramp: z.boolean(),
      createdAt: z.string(),
    }),
  ),
  identities: z.array(
    z.object({
      agentRuntimeId: z.string(),
      publicKeySsh: z.string(),
      publicKey: z.string(),
      userId: z.string(),
      accountId: z.string(),
      registeredAt: z.string(),
      abom: z.object({
        agent_version: z.string(),
        agent_harness_id: z.string(),
        running_location: z.string(),
      }),
      capabilities: z.array(z.string()),
    }),
  ),
  tasks: z.array(
    z.object({
      agentRuntimeId: z.string(),
      taskId: z.string(),
      kind: z.enum(['thread', 'background']),
      externalTaskRef: z.string().optional(),
      registeredAt: z.string(),
    }),
  ),
  refreshTokens: z.array(
    z.object({
      hash: z.string(),
      userId: z.string(),
      clientId: z.string(),
      status: z.enum(['active', 'rotated', 'revoked']),
      issuedAtMs: z.number(),
      expiresAtMs: z.number(),
    }),
  ),
  revokedAccessTokenIds: z.array(z.string()),
});

export class DataFileError extends Error {
  readonly code = 'invalid_data_file';
}

/** Loads the data file; undefined when it does not exist. A file that is not ours is an error, not a reset. */
export function loadState(file: string): PersistedState | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new DataFileError(`${file} is not valid JSON`);
  }
  const parsed = persistedSchema.safeParse(json);
  if (!parsed.success) throw new DataFileError(`${file} is not a dev-backend data file`);
  return parsed.data as PersistedState;
}

/** Atomic write: temp file in the same directory (mode 0600), fsync, rename over the target, fsync the directory. */
export function saveState(file: string, state: PersistedState): void {
  const dir = dirname(file);
  const temp = join(dir, `.${basename(file)}.${process.pid}.${randomHex(6)}.tmp`);
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(state, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temp, file);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {}
    throw error;
  }
  try {
    const dirFd = openSync(dir, 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  } catch {
    // Some platforms cannot fsync a directory; the rename itself is still atomic.
  }
}
