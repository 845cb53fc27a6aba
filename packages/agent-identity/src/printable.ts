/**
 * Terminal-safe text for the CLI. Values from a header (runtime, task, timestamp, messages that quote them) are
 * attacker-controlled: a raw ESC, CR or newline could print a fake `verified: yes` line or hide the real verdict.
 * C0 and C1 controls, DEL, the Unicode line separators and the bidi overrides are written as `\xNN` / `\u{NNNN}`,
 * and `\` as `\\`, so the escaped text reads back unambiguously.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE = /[\\\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

function escapeOne(char: string): string {
  if (char === '\\') return '\\\\';
  const code = char.codePointAt(0) ?? 0;
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

/** One line of text with every control character escaped. */
export function printable(text: string): string {
  return text.replace(UNSAFE, escapeOne);
}

const JSON_UNSAFE = /[\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

/** JSON.stringify escapes C0 controls but keeps DEL, C1 and the separators raw; this escapes them as `\uNNNN`. */
export function printableJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    JSON_UNSAFE,
    (char) => `\\u${(char.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
  );
}
