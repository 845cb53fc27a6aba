import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packedFiles, publishingProblems, repoRoot } from '../../../scripts/package-check.mjs';

const here = join(repoRoot, 'apps', 'app-server');

describe('@codex-ts/app-server as published', () => {
  it('ships what a registry user needs and nothing that points at missing files', { timeout: 60_000 }, () => {
    const files = packedFiles(here);
    expect(publishingProblems(here, files)).toEqual([]);
    expect(files.filter((f) => !f.startsWith('dist/'))).toEqual([
      'LICENSE',
      'README.md',
      'bin/codex-ts-app-server.js',
      'package.json',
    ]);
    expect(files).toContain('dist/cli.js');
  });
});
