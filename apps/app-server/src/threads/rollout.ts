import { writeSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import type { PersistedThreadTask } from '@codex-ts/login';
import { readRolloutText } from './foreign-rollout.js';
import { isReadReceipt } from './read-state.js';
import type { ReadReceipt, ThreadMeta, ThreadRecord, ThreadTokenUsage, Turn } from './thread-model.js';

/**
 * One JSONL line of a rollout. Append-only: a later `thread_task` (or `read_state`, or `token_usage`) replaces an
 * earlier one on replay.
 */
export type RolloutLine =
  | { readonly timestamp: string; readonly type: 'session_meta'; readonly payload: ThreadMeta }
  | { readonly timestamp: string; readonly type: 'thread_task'; readonly payload: PersistedThreadTask }
  | { readonly timestamp: string; readonly type: 'turn'; readonly payload: Turn }
  | { readonly timestamp: string; readonly type: 'read_state'; readonly payload: ReadReceipt }
  | { readonly timestamp: string; readonly type: 'token_usage'; readonly payload: ThreadTokenUsage };

/** A rollout that cannot be replayed; names the file and the line. */
export class RolloutCorruptError extends Error {
  readonly path: string;
  readonly line: number;

  constructor(path: string, line: number, reason: string) {
    super(`rollout ${path} is corrupt at line ${line}: ${reason}`);
    this.name = 'RolloutCorruptError';
    this.path = path;
    this.line = line;
  }
}

/** An append that did not reach the disk (full disk, permissions). Everything appended before is intact. */
export class RolloutWriteError extends Error {
  readonly path: string;
  readonly code: string | undefined;

  constructor(path: string, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    super(`cannot append to rollout ${path}: ${code ?? (cause as Error).message}`);
    this.name = 'RolloutWriteError';
    this.path = path;
    this.code = code;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function validMeta(p: unknown): p is ThreadMeta {
  return (
    isObject(p) &&
    typeof p.id === 'string' &&
    typeof p.createdAt === 'number' &&
    typeof p.cwd === 'string' &&
    typeof p.model === 'string' &&
    typeof p.modelProvider === 'string'
  );
}

function validTask(p: unknown): p is PersistedThreadTask {
  return isObject(p) && typeof p.agentRuntimeId === 'string' && typeof p.taskId === 'string';
}

const USAGE_COUNTS = [
  'totalTokens',
  'inputTokens',
  'cachedInputTokens',
  'cacheWriteInputTokens',
  'outputTokens',
  'reasoningOutputTokens',
] as const;

function validUsage(p: unknown): boolean {
  return isObject(p) && USAGE_COUNTS.every((k) => Number.isSafeInteger(p[k]) && (p[k] as number) >= 0);
}

function validTokenUsage(p: unknown): p is ThreadTokenUsage {
  return (
    isObject(p) &&
    typeof p.turnId === 'string' &&
    validUsage(p.total) &&
    validUsage(p.last) &&
    (p.modelContextWindow === null || Number.isSafeInteger(p.modelContextWindow))
  );
}

function validTurn(p: unknown): p is Turn {
  return isObject(p) && typeof p.id === 'string' && Array.isArray(p.items) && typeof p.status === 'string';
}

/**
 * Replays a rollout file. A final line cut short by a crash is ignored; any other bad line is corruption. One that
 * upstream Codex wrote is a ForeignRolloutError, read no further than its first line.
 */
export async function readRollout(path: string): Promise<ThreadRecord> {
  const text = await readRolloutText(path);
  const lines = text.split('\n');
  let meta: ThreadMeta | undefined;
  let task: PersistedThreadTask | undefined;
  let readState: ReadReceipt | undefined;
  let tokenUsage: ThreadTokenUsage | undefined;
  let updatedAt = 0;
  const turns: Turn[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '') continue;
    let line: unknown;
    try {
      line = JSON.parse(raw);
    } catch {
      if (i === lines.length - 1 && meta) break; // torn last append
      throw new RolloutCorruptError(path, i + 1, 'not JSON');
    }
    if (!isObject(line)) throw new RolloutCorruptError(path, i + 1, 'not an object');
    const { type, payload } = line;
    if (i === 0 || meta === undefined) {
      if (type !== 'session_meta' || !validMeta(payload)) {
        throw new RolloutCorruptError(path, i + 1, 'the first line is not a valid session_meta');
      }
      meta = payload;
      updatedAt = meta.createdAt;
      continue;
    }
    if (type === 'thread_task') {
      if (!validTask(payload)) throw new RolloutCorruptError(path, i + 1, 'invalid thread_task');
      task = payload;
    } else if (type === 'turn') {
      if (!validTurn(payload)) throw new RolloutCorruptError(path, i + 1, 'invalid turn');
      turns.push(payload);
      updatedAt = Math.max(updatedAt, payload.completedAt ?? payload.startedAt ?? updatedAt);
    } else if (type === 'read_state') {
      if (!isReadReceipt(payload)) throw new RolloutCorruptError(path, i + 1, 'invalid read_state');
      readState = payload;
    } else if (type === 'token_usage') {
      if (!validTokenUsage(payload)) throw new RolloutCorruptError(path, i + 1, 'invalid token_usage');
      tokenUsage = payload;
    }
    // Unknown record types (a newer writer) are skipped.
  }
  if (!meta) throw new RolloutCorruptError(path, 1, 'empty rollout');
  return { meta, path, turns, task, updatedAt, readState, tokenUsage };
}

/**
 * Appends lines to one rollout, one at a time (O_APPEND, the file kept open between appends). A failed append is
 * cut back to the length before it, so the next line starts clean and nothing written before is lost.
 *
 * A line (one per turn) goes down in a synchronous write(2) to the open file: it lands in the page cache in
 * microseconds, where a write through libuv's thread pool cost a round trip (~0.17 ms per turn on a loaded
 * 2-core machine, measured by `bench/turn.bench.mjs`) between the model's last event and `turn/completed`.
 * No fsync, as before.
 */
export class RolloutWriter {
  readonly path: string;
  #chain: Promise<void> = Promise.resolve();
  #handle: FileHandle | undefined;
  #size: number | undefined;

  constructor(path: string) {
    this.path = path;
  }

  /**
   * Resolves when the lines are written (in one write, so a turn and the receipt it publishes land together);
   * rejects with RolloutWriteError. Appends are serialized.
   */
  append(...lines: RolloutLine[]): Promise<void> {
    return this.#queue(serialize(lines));
  }

  /**
   * As `append`, but the lines are made, serialized and written on the next turn of the event loop, keeping their
   * place among the appends: what the caller does next (a notification handed to the client, and the client's reply
   * to it) does not wait for them. For lines whose payloads never change afterwards (a finished turn, a receipt).
   */
  appendSoon(lines: () => readonly RolloutLine[]): Promise<void> {
    return this.#queue(nextLoopTurn().then(() => serialize(lines())));
  }

  #queue(text: string | Promise<string>): Promise<void> {
    const next = this.#chain.then(async () => this.#write(await text));
    this.#chain = next.catch(() => {});
    return next;
  }

  /** Resolves when every append queued so far has finished (written or failed). */
  idle(): Promise<void> {
    return this.#chain;
  }

  /** Closes the file after the queued appends (a later append opens it again). */
  close(): Promise<void> {
    const next = this.#chain.then(async () => {
      const h = this.#handle;
      this.#handle = undefined;
      this.#size = undefined;
      await h?.close().catch(() => {});
    });
    this.#chain = next;
    return next;
  }

  async #write(text: string): Promise<void> {
    const bytes = Buffer.from(text);
    try {
      if (!this.#handle) {
        this.#handle = await open(this.path, 'a', 0o600);
        this.#size = (await this.#handle.stat()).size;
      }
      const fd = this.#handle.fd;
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
      this.#size! += bytes.length;
    } catch (err) {
      // A torn append (ENOSPC half way) is cut back so the next line starts clean.
      const h = this.#handle;
      if (h && this.#size !== undefined) await h.truncate(this.#size).catch(() => {});
      this.#handle = undefined;
      this.#size = undefined;
      await h?.close().catch(() => {});
      throw new RolloutWriteError(this.path, err);
    }
  }
}

function serialize(lines: readonly RolloutLine[]): string {
  let text = '';
  for (const line of lines) text += `${JSON.stringify(line)}\n`;
  return text;
}

const nextLoopTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export function rolloutLine<T extends RolloutLine['type']>(
  type: T,
  payload: Extract<RolloutLine, { type: T }>['payload'],
): RolloutLine {
  return { timestamp: new Date().toISOString(), type, payload } as RolloutLine;
}
