import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  dependencyRuleViolations,
  packedFiles,
  publishingProblems,
  repoRoot,
} from '../../../scripts/package-check.mjs';

const here = join(repoRoot, 'packages', 'model-provider');

describe('@codex-ts/model-provider as published', () => {
  it('stands on auth-provider, never on login or the dev backend (dependencies and src imports)', () => {
    expect(dependencyRuleViolations(here)).toEqual([]);
  });

  it('ships what a registry user needs and nothing that points at missing files', { timeout: 60_000 }, () => {
    const files = packedFiles(here);
    expect(publishingProblems(here, files)).toEqual([]);
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
  });
});
