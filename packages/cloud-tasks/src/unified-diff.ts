import type { DiffSummary } from './types.js';

/**
 * True for a unified git diff: it has a `diff --git` header, or `---`/`+++` file headers with an `@@` hunk.
 * Anything else (a JSON patch, a Codex `*** Begin Patch` envelope, prose) is refused before git sees it.
 */
export function isUnifiedDiff(diff: string): boolean {
  const text = diff.trimStart();
  if (text.startsWith('diff --git ')) return true;
  const lines = text.split('\n');
  return (
    lines.some((l) => l.startsWith('--- ')) &&
    lines.some((l) => l.startsWith('+++ ')) &&
    lines.some((l) => l.startsWith('@@'))
  );
}

/** One file's part of a diff. */
export interface FilePatch {
  /** The path the patch writes (the old path for a deletion). */
  readonly path: string;
  /** The patch text, ending with a newline. */
  readonly text: string;
}

function stripPrefix(path: string): string {
  const clean = path.split('\t')[0]!.trim();
  return /^[ab]\//.test(clean) ? clean.slice(2) : clean;
}

function pathOf(lines: readonly string[]): string {
  const plus = lines.find((l) => l.startsWith('+++ '));
  if (plus && !plus.startsWith('+++ /dev/null')) return stripPrefix(plus.slice(4));
  const minus = lines.find((l) => l.startsWith('--- '));
  if (minus && !minus.startsWith('--- /dev/null')) return stripPrefix(minus.slice(4));
  const header = lines[0]?.match(/^diff --git a\/(.+) b\/(.+)$/);
  return header ? header[2]! : '';
}

/** The diff cut into one patch per file (at `diff --git`, or at `--- ` headers when there are none). */
export function splitFilePatches(diff: string): FilePatch[] {
  const lines = diff.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const gitStyle = lines.some((l) => l.startsWith('diff --git '));
  const starts: number[] = [];
  lines.forEach((line, i) => {
    if (
      gitStyle ? line.startsWith('diff --git ') : line.startsWith('--- ') && lines[i + 1]?.startsWith('+++ ')
    )
      starts.push(i);
  });
  return starts.map((start, n) => {
    const part = lines.slice(start, starts[n + 1] ?? lines.length);
    return { path: pathOf(part), text: `${part.join('\n')}\n` };
  });
}

/** Files changed and lines added/removed, counted from the diff. */
export function diffSummary(diff: string | undefined): DiffSummary {
  if (!diff) return { filesChanged: 0, linesAdded: 0, linesRemoved: 0 };
  let linesAdded = 0;
  let linesRemoved = 0;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+') && !line.startsWith('+++')) linesAdded++;
    else if (line.startsWith('-') && !line.startsWith('---')) linesRemoved++;
  }
  return { filesChanged: splitFilePatches(diff).length, linesAdded, linesRemoved };
}
