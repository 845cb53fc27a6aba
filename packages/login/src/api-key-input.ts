/** Longest API key `login --with-api-key` accepts (OpenAI keys are a few hundred characters at most). */
export const MAX_API_KEY_LENGTH = 1024;
/** How much of stdin is read before giving up (a key plus generous surrounding whitespace). */
export const MAX_API_KEY_INPUT_BYTES = 64 * 1024;

/**
 * The key in `text` (surrounding whitespace trimmed), or why it is not one. A key is 1–1024 printable ASCII
 * characters without spaces: newlines, NUL, other control characters or megabytes of text are refused before
 * anything is stored (a key with a newline would later break, and leak into, an HTTP header). The message
 * never quotes the input.
 */
export function parseApiKeyInput(text: string): { key: string } | { problem: string } {
  if (Buffer.byteLength(text) > MAX_API_KEY_INPUT_BYTES) {
    return {
      problem: `stdin holds more than ${MAX_API_KEY_INPUT_BYTES} bytes; an API key is one short line`,
    };
  }
  const key = text.trim();
  if (!key) return { problem: 'no API key on stdin' };
  if (key.length > MAX_API_KEY_LENGTH) {
    return { problem: `the API key is ${key.length} characters; at most ${MAX_API_KEY_LENGTH} are accepted` };
  }
  const bad = key.search(/[^\x21-\x7e]/);
  if (bad !== -1) {
    const code = key.charCodeAt(bad);
    const what =
      code === 0x0a || code === 0x0d
        ? 'a line break'
        : code < 0x21 || code === 0x7f
          ? 'a space or control character'
          : 'a non-ASCII character';
    return {
      problem: `the API key contains ${what} at position ${bad + 1}; a key is printable ASCII without spaces`,
    };
  }
  return { key };
}

/** Reads stdin up to `MAX_API_KEY_INPUT_BYTES` + 1 bytes (enough to tell that it is too long), then stops. */
export async function readBoundedStdin(stream: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of stream) {
    const buf = Buffer.isBuffer(c) ? c : Buffer.from(String(c));
    chunks.push(buf);
    size += buf.length;
    if (size > MAX_API_KEY_INPUT_BYTES) break;
  }
  return Buffer.concat(chunks).toString('utf8');
}
