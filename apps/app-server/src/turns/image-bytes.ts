import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

/**
 * The largest local image codex-ts sends (the file's bytes as they are: codex-ts does not resize or re-encode).
 * Upstream 0.169 downscales large images itself (a 3000×2500 PNG went out as a 1727×1440 PNG); codex-ts has no image
 * codec, so a bigger file is omitted from the request with a placeholder instead.
 */
export const MAX_LOCAL_IMAGE_BYTES = 20 * 1024 * 1024;

/** The image formats the Responses API takes, recognised by their first bytes (never by the file's extension). */
export function sniffImageMime(bytes: Uint8Array): string | undefined {
  const at = (i: number, ...b: number[]) => b.every((v, k) => bytes[i + k] === v);
  // PNG: the signature, then the IHDR chunk (a truncated file is not an image).
  if (
    bytes.length >= 24 &&
    at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a) &&
    at(12, 0x49, 0x48, 0x44, 0x52)
  )
    return 'image/png';
  if (bytes.length >= 4 && at(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (
    bytes.length >= 10 &&
    (at(0, 0x47, 0x49, 0x46, 0x38, 0x37, 0x61) || at(0, 0x47, 0x49, 0x46, 0x38, 0x39, 0x61))
  )
    return 'image/gif';
  if (bytes.length >= 16 && at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50))
    return 'image/webp';
  return undefined;
}

/** A local file could not be read: the reason in the words upstream's (Rust) error gives. */
export class LocalImageReadError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'LocalImageReadError';
  }
}

const OS_ERRORS: Record<string, string> = {
  ENOENT: 'No such file or directory (os error 2)',
  EACCES: 'Permission denied (os error 13)',
  EPERM: 'Operation not permitted (os error 1)',
  EISDIR: 'Is a directory (os error 21)',
  ENOTDIR: 'Not a directory (os error 20)',
  ELOOP: 'Too many levels of symbolic links (os error 40)',
  ENAMETOOLONG: 'File name too long (os error 36)',
};

function readError(err: unknown): LocalImageReadError {
  const code = (err as NodeJS.ErrnoException).code;
  return new LocalImageReadError(
    (code && OS_ERRORS[code]) ?? (err instanceof Error ? err.message : String(err)),
  );
}

/**
 * Reads exactly the file at `path` (no globbing, no search elsewhere): its bytes, or `tooLarge` past `maxBytes`
 * (read no further). A directory, a FIFO or a device is not read (a FIFO could block the turn forever).
 */
export async function readLocalImage(
  path: string,
  maxBytes = MAX_LOCAL_IMAGE_BYTES,
): Promise<{ bytes: Buffer } | { tooLarge: number }> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    // Non-blocking, so opening a FIFO does not wait for a writer.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw readError(err);
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw new LocalImageReadError(OS_ERRORS.EISDIR!);
    if (!stat.isFile()) return { bytes: Buffer.alloc(0) }; // not an image: the caller omits it
    if (stat.size > maxBytes) return { tooLarge: stat.size };
    const bytes = await handle.readFile();
    return bytes.length > maxBytes ? { tooLarge: bytes.length } : { bytes };
  } catch (err) {
    throw err instanceof LocalImageReadError ? err : readError(err);
  } finally {
    await handle.close();
  }
}
