/** Strict base64 decoders: canonical encodings only (Node's own decoder skips bad characters silently). */

const STANDARD = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const URL_NO_PAD = /^[A-Za-z0-9_-]*$/;

/** Standard alphabet with padding. Returns undefined unless `text` is the canonical encoding of its bytes. */
export function decodeBase64Strict(text: string): Buffer | undefined {
  if (typeof text !== 'string' || !STANDARD.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

/** URL-safe alphabet without padding. Returns undefined unless `text` is canonical. */
export function decodeBase64UrlNoPadStrict(text: string): Buffer | undefined {
  if (typeof text !== 'string' || text.length % 4 === 1 || !URL_NO_PAD.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}
