import { type FileHandle, open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';

/**
 * A rollout upstream Codex wrote in the same `sessions/` tree (a CODEX_HOME shared with the Codex CLI). Its records
 * are upstream's own (`session_meta` with `cli_version`, `event_msg`, `response_item`, …), which codex-ts does not
 * replay: such a thread is left to Codex, neither listed, read, resumed nor moved here.
 */
export class ForeignRolloutError extends Error {
  readonly path: string;
  /** The Codex version that wrote it (`cli_version` of its `session_meta`). */
  readonly writer: string;

  constructor(path: string, writer: string) {
    super(`rollout ${path} was written by Codex ${writer}: codex-ts replays only the threads it wrote`);
    this.name = 'ForeignRolloutError';
    this.path = path;
    this.writer = writer;
  }
}

/** The Codex version named by a first line that is upstream's `session_meta`; undefined for any other line. */
function foreignWriter(firstLine: string): string | undefined {
  let line: unknown;
  try {
    line = JSON.parse(firstLine);
  } catch {
    return undefined;
  }
  const { type, payload } = (line ?? {}) as { type?: unknown; payload?: { cli_version?: unknown } };
  // codex-ts's own session_meta names its version `cliVersion`; upstream's says `cli_version`.
  return type === 'session_meta' && typeof payload?.cli_version === 'string'
    ? payload.cli_version
    : undefined;
}

const CHUNK_BYTES = 64 * 1024;

/**
 * Reads `handle` up to the end of the first line (or of the file) and refuses a foreign rollout; the handle is left
 * positioned after what was read.
 */
async function checkedHead(
  path: string,
  handle: FileHandle,
  decoder: StringDecoder,
): Promise<{ head: string; ended: boolean }> {
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let head = '';
  for (;;) {
    const { bytesRead } = await handle.read(chunk, 0, CHUNK_BYTES, null);
    const ended = bytesRead === 0;
    head += ended ? decoder.end() : decoder.write(chunk.subarray(0, bytesRead));
    const newline = head.indexOf('\n');
    if (newline < 0 && !ended) continue;
    const writer = foreignWriter(newline < 0 ? head : head.slice(0, newline));
    if (writer !== undefined) throw new ForeignRolloutError(path, writer);
    return { head, ended };
  }
}

/**
 * A rollout's text. Its first line is read and checked before the rest: a foreign rollout (an upstream session can
 * run to megabytes) is refused with ForeignRolloutError having read only that line.
 */
export async function readRolloutText(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const decoder = new StringDecoder('utf8');
    const { head, ended } = await checkedHead(path, handle, decoder);
    // Ours: the rest in one read, from where the first line's chunks ended.
    return ended ? head : head + decoder.write(await handle.readFile()) + decoder.end();
  } finally {
    await handle.close();
  }
}

/** Refuses a foreign rollout (ForeignRolloutError), reading its first line only. */
export async function refuseForeignRollout(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await checkedHead(path, handle, new StringDecoder('utf8'));
  } finally {
    await handle.close();
  }
}
