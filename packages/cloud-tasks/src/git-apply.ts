import { runGit, worktreeRoot } from './git.js';
import type { ApplyOptions, ApplyOutcome } from './types.js';
import { type FilePatch, isUnifiedDiff, splitFilePatches } from './unified-diff.js';

/** What `ApplyOutcome.message` says when the backend's diff is not a unified git diff. */
export const NOT_UNIFIED_MESSAGE =
  'Expected a unified git diff; the backend returned an incompatible format.';

/** A target git reports as missing: the file is skipped rather than in conflict. */
const MISSING = /does not exist in (index|working tree)|No such file or directory/;

interface Checked {
  readonly passed: FilePatch[];
  readonly conflictPaths: string[];
  readonly skippedPaths: string[];
}

async function check(root: string, patches: readonly FilePatch[]): Promise<Checked> {
  const checked: Checked = { passed: [], conflictPaths: [], skippedPaths: [] };
  for (const patch of patches) {
    const result = await runGit(['apply', '--check', '--whitespace=nowarn', '-'], root, patch.text);
    if (result.code === 0) checked.passed.push(patch);
    else if (MISSING.test(result.stderr)) checked.skippedPaths.push(patch.path);
    else checked.conflictPaths.push(patch.path);
  }
  return checked;
}

function files(n: number): string {
  return n === 1 ? '1 file' : `${n} files`;
}

/**
 * Applies a unified diff to the git working tree containing `cwd`, file by file: each file's patch is checked
 * with `git apply --check` (which never touches the tree); with `preflight` that is all. Otherwise the files that
 * pass are applied with one `git apply`, and the rest are reported as conflicting (the patch does not fit the
 * current contents) or skipped (the target is missing). A diff that is not unified is refused untouched.
 */
export async function applyUnifiedDiff(
  diff: string,
  options: { cwd: string; preflight: boolean },
): Promise<ApplyOutcome> {
  if (!isUnifiedDiff(diff)) {
    return {
      applied: false,
      status: 'error',
      message: NOT_UNIFIED_MESSAGE,
      skippedPaths: [],
      conflictPaths: [],
    };
  }
  const root = await worktreeRoot(options.cwd);
  const patches = splitFilePatches(diff);
  const { passed, conflictPaths, skippedPaths } = await check(root, patches);
  const failed = conflictPaths.length + skippedPaths.length;
  const status = failed === 0 ? 'success' : passed.length === 0 ? 'error' : 'partial';
  const rest = { skippedPaths, conflictPaths };
  const problems = [
    conflictPaths.length > 0 ? `${files(conflictPaths.length)} in conflict` : '',
    skippedPaths.length > 0 ? `${files(skippedPaths.length)} skipped` : '',
  ]
    .filter(Boolean)
    .join(', ');

  if (options.preflight) {
    const message =
      status === 'success'
        ? `Preflight passed: ${files(passed.length)} would apply cleanly`
        : `Preflight: ${files(passed.length)} would apply, ${problems}`;
    return { applied: false, status, message, ...rest };
  }
  if (passed.length === 0) {
    return { applied: false, status: 'error', message: `Nothing applied: ${problems}`, ...rest };
  }
  const result = await runGit(
    ['apply', '--whitespace=nowarn', '-'],
    root,
    passed.map((p) => p.text).join(''),
  );
  if (result.code !== 0) {
    return {
      applied: false,
      status: 'error',
      message: `git apply failed: ${result.stderr.trim().slice(0, 500)}`,
      skippedPaths,
      conflictPaths: [...conflictPaths, ...passed.map((p) => p.path)],
    };
  }
  const message =
    status === 'success'
      ? `Applied ${files(passed.length)} cleanly`
      : `Applied ${files(passed.length)}; ${problems}`;
  return { applied: true, status, message, ...rest };
}

/** Applies (or with `preflight`, only checks) a task's diff; a task with no diff is an error outcome. */
export function applyTaskDiff(
  id: string,
  diff: string | undefined,
  options: ApplyOptions,
  preflight: boolean,
): Promise<ApplyOutcome> {
  if (diff === undefined) {
    return Promise.resolve({
      applied: false,
      status: 'error',
      message: `Task ${id} has no diff`,
      skippedPaths: [],
      conflictPaths: [],
    });
  }
  return applyUnifiedDiff(diff, { cwd: options.cwd ?? process.cwd(), preflight });
}
