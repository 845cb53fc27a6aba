import { Decompress } from 'fzstd';

/** Why a request body could not be decoded. */
export interface DecodeFailure {
  readonly reason: 'too_large' | 'corrupt';
  readonly message: string;
}

const ZSTD_MAGIC = 0xfd2fb528;
/** Skippable frames carry 0x184D2A50 to 0x184D2A5F. */
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;
const MAX_BLOCK = 128 * 1024;

/**
 * A `Content-Encoding: zstd` request body (upstream Codex compresses its Responses requests over HTTP with ChatGPT
 * sign-in), decoded only when every frame it holds is whole and declares no more than `maxBytes`, and then chunk by
 * chunk, so that a small body that would expand past `maxBytes` stops there.
 */
export function decodeZstd(data: Uint8Array, maxBytes: number): Buffer | DecodeFailure {
  const refused = checkFrames(data, maxBytes);
  if (refused) return refused;
  const chunks: Uint8Array[] = [];
  let size = 0;
  let overflow = false;
  const stream = new Decompress((chunk) => {
    size += chunk.length;
    if (size > maxBytes) {
      overflow = true;
      throw new RangeError('too large');
    }
    chunks.push(chunk);
  });
  try {
    stream.push(data, true);
  } catch (error) {
    if (overflow) return tooLarge(maxBytes);
    return corrupt((error as Error).message);
  }
  return Buffer.concat(chunks);
}

/**
 * Walks the frames' headers and blocks (RFC 8878) without decoding them: a frame that declares more content than
 * `maxBytes` is refused before the decoder would allocate room for it.
 */
function checkFrames(data: Uint8Array, maxBytes: number): DecodeFailure | undefined {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let at = 0;
  const need = (n: number) => at + n <= data.length;
  if (data.length === 0) return corrupt('empty body');
  while (at < data.length) {
    if (!need(4)) return corrupt('truncated frame');
    const magic = view.getUint32(at, true);
    at += 4;
    if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      if (!need(4)) return corrupt('truncated skippable frame');
      at += 4 + view.getUint32(at, true);
      if (at > data.length) return corrupt('truncated skippable frame');
      continue;
    }
    if (magic !== ZSTD_MAGIC) return corrupt('not a zstd frame');
    if (!need(1)) return corrupt('truncated frame header');
    const descriptor = data[at++]!;
    const sizeFlag = descriptor >> 6;
    const singleSegment = (descriptor >> 5) & 1;
    const checksum = (descriptor >> 2) & 1;
    const dictionaryBytes = [0, 1, 2, 4][descriptor & 3]!;
    if ((descriptor >> 3) & 1) return corrupt('reserved bit set in the frame header');
    const sizeBytes = [singleSegment ? 1 : 0, 2, 4, 8][sizeFlag]!;
    const headerRest = (singleSegment ? 0 : 1) + dictionaryBytes + sizeBytes;
    if (!need(headerRest)) return corrupt('truncated frame header');
    at += headerRest - sizeBytes;
    if (sizeBytes > 0) {
      let declared = 0;
      for (let i = sizeBytes - 1; i >= 0; i--) declared = declared * 256 + data[at + i]!;
      if (sizeBytes === 2) declared += 256;
      if (declared > maxBytes) return tooLarge(maxBytes);
      at += sizeBytes;
    }
    for (let last = 0; !last; ) {
      if (!need(3)) return corrupt('truncated block');
      const header = data[at]! | (data[at + 1]! << 8) | (data[at + 2]! << 16);
      at += 3;
      last = header & 1;
      const type = (header >> 1) & 3;
      const size = header >>> 3;
      if (type === 3 || size > MAX_BLOCK) return corrupt('invalid block');
      at += type === 1 ? 1 : size;
      if (at > data.length) return corrupt('truncated block');
    }
    if (checksum) at += 4;
    if (at > data.length) return corrupt('truncated checksum');
  }
  return undefined;
}

function tooLarge(maxBytes: number): DecodeFailure {
  return { reason: 'too_large', message: `the decoded request body exceeds ${maxBytes} bytes` };
}

function corrupt(why: string): DecodeFailure {
  return { reason: 'corrupt', message: `the zstd body cannot be decoded: ${why}` };
}
