/**
 * Path globs for injected faults: `*` matches any run of characters (including none), everything else matches
 * itself. Runs of `*` collapse to one, and matching is the iterative two-pointer algorithm (remember the last
 * `*`, retry from one character further on a mismatch): at most pattern × text steps, never exponential, unlike
 * a `.*.*.*…` regular expression (`/********zz` against a long path blocked the event loop for more than 20 s).
 */
export interface Glob {
  readonly source: string;
  matches(text: string): boolean;
}

export function compileGlob(source: string): Glob {
  const pattern = source.replace(/\*+/g, '*');
  return { source, matches: (text) => globMatch(pattern, text) };
}

/** Whether `text` matches `pattern` (with `*` runs already collapsed or not; the result is the same). */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1; // index in pattern of the last `*` seen
  let resume = 0; // index in text where that `*` currently stops
  while (t < text.length) {
    if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.length && pattern[p] === text[t]) {
      p++;
      t++;
    } else if (star >= 0) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}
