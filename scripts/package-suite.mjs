// The checks each package runs on itself as it would be published (a clean pack; for the call-site packages, the
// dependency rule too), so each package's own test run holds it to them.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dependencyRuleViolations, packedFiles, publishingProblems, repoRoot } from './package-check.mjs';

export function itShipsCleanPack(here, options = {}) {
  it('ships what a registry user needs and nothing that points at missing files', {
    timeout: 60_000,
  }, () => {
    const files = packedFiles(here);
    expect(publishingProblems(here, files)).toEqual([]);
    expect(files.filter((f) => !f.startsWith('dist/'))).toEqual(
      ['LICENSE', 'README.md', ...(options.bins ?? []), 'package.json'].sort(),
    );
    expect(files.filter((f) => f.endsWith('.map') || f.includes('.test.'))).toEqual([]);
    for (const file of options.contains ?? []) expect(files).toContain(file);
  });
}

export function describeCallSitePackage(name, more = () => {}) {
  const here = join(repoRoot, 'packages', name);
  describe(`@codex-ts/${name} as published`, () => {
    it('stands on auth-provider, never on login or the dev backend (dependencies and src imports)', () => {
      expect(dependencyRuleViolations(here)).toEqual([]);
    });

    itShipsCleanPack(here);

    more(here);
  });
}
