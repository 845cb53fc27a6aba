/**
 * `JSON.parse` that rejects duplicate object keys (at any depth), as upstream's serde parser does. JavaScript's
 * parser keeps the last of two equal keys, so a logger reading the first `task_id` would see another task than the
 * verifier. One linear pass over the text after `JSON.parse` has validated its syntax.
 */
export type StrictJsonResult =
  | { ok: true; value: unknown }
  | { ok: false; error: 'syntax' | 'duplicate_key'; key?: string };

export function parseJsonRejectingDuplicateKeys(text: string): StrictJsonResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: 'syntax' };
  }
  const duplicate = firstDuplicateKey(text);
  return duplicate === undefined
    ? { ok: true, value }
    : { ok: false, error: 'duplicate_key', key: duplicate };
}

/** The first key that appears twice in one object of syntactically valid JSON `text`, if any. */
function firstDuplicateKey(text: string): string | undefined {
  // One entry per open container: a key set for objects, undefined for arrays.
  const stack: Array<Set<string> | undefined> = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const end = stringEnd(text, i);
      const top = stack.at(-1);
      if (top !== undefined && isKey(text, end)) {
        const key = JSON.parse(text.slice(i, end)) as string;
        if (top.has(key)) return key;
        top.add(key);
      }
      i = end;
      continue;
    }
    if (c === 0x7b /* { */) stack.push(new Set());
    else if (c === 0x5b /* [ */) stack.push(undefined);
    else if (c === 0x7d /* } */ || c === 0x5d /* ] */) stack.pop();
    i++;
  }
  return undefined;
}

/** Index just past the closing quote of the string literal starting at `start`. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x5c /* \ */) i += 2;
    else if (c === 0x22) return i + 1;
    else i++;
  }
  return i;
}

/** Whether the string literal ending at `end` is followed (after whitespace) by `:`. */
function isKey(text: string, end: number): boolean {
  let i = end;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x3a /* : */) return true;
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return false;
    i++;
  }
  return false;
}
