import { describe, expect, it } from 'vitest';
import { createTaskBody, diffSummary, isUnifiedDiff, splitFilePatches } from '../src/index.js';

const twoFiles = [
  'diff --git a/a.txt b/a.txt',
  '--- a/a.txt',
  '+++ b/a.txt',
  '@@ -1 +1,2 @@',
  ' a',
  '+b',
  'diff --git a/gone.txt b/gone.txt',
  'deleted file mode 100644',
  '--- a/gone.txt',
  '+++ /dev/null',
  '@@ -1 +0,0 @@',
  '-x',
  '',
].join('\n');

describe('unified diffs', () => {
  it.each([
    [twoFiles, true],
    ['--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n', true],
    ['*** Begin Patch\n*** Add File: x\n+hi\n*** End Patch\n', false],
    ['{"op":"replace","path":"/a"}', false],
    ['--- only a header\n', false],
    ['', false],
  ])('isUnifiedDiff(%j) is %s', (diff, expected) => {
    expect(isUnifiedDiff(diff)).toBe(expected);
  });

  it('splits per file and counts', () => {
    expect(splitFilePatches(twoFiles).map((p) => p.path)).toEqual(['a.txt', 'gone.txt']);
    expect(
      splitFilePatches(twoFiles)
        .map((p) => p.text)
        .join(''),
    ).toBe(twoFiles);
    expect(splitFilePatches('--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n')).toEqual([
      { path: 'x', text: '--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n' },
    ]);
    expect(diffSummary(twoFiles)).toEqual({ filesChanged: 2, linesAdded: 1, linesRemoved: 1 });
    expect(diffSummary(undefined)).toEqual({ filesChanged: 0, linesAdded: 0, linesRemoved: 0 });
  });
});

describe('the create body', () => {
  it('is upstream’s: new_task, the user message, pre_apply_patch and best_of_n', () => {
    expect(
      createTaskBody({
        environmentId: 'env_1',
        prompt: 'fix it',
        gitRef: 'main',
        bestOfN: 3,
        startingDiff: '--- a/x\n+++ b/x\n',
      }),
    ).toEqual({
      new_task: { environment_id: 'env_1', run_environment_in_qa_mode: false, branch: 'main' },
      input_items: [
        { type: 'message', role: 'user', content: [{ content_type: 'text', text: 'fix it' }] },
        { type: 'pre_apply_patch', output_diff: { diff: '--- a/x\n+++ b/x\n' } },
      ],
      metadata: { best_of_n: 3 },
    });
    expect(createTaskBody({ environmentId: 'e', prompt: 'p', qaMode: true })).toEqual({
      new_task: { environment_id: 'e', run_environment_in_qa_mode: true },
      input_items: [{ type: 'message', role: 'user', content: [{ content_type: 'text', text: 'p' }] }],
    });
    expect(() => createTaskBody({ environmentId: 'e', prompt: 'p', bestOfN: 5 })).toThrow(
      'attempts must be an integer from 1 to 4, got 5',
    );
  });
});
