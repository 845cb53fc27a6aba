// The checks every call-site package (model-provider, backend-client, cloud-tasks, analytics, mcp) runs on itself
// as it would be published, so each package's own test run holds it to the dependency rule and to a clean pack.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dependencyRuleViolations, packedFiles, publishingProblems, repoRoot } from './package-check.mjs';

export function describeCallSitePackage(name, more = () => {}) {
  const here = join(repoRoot, 'packages', name);
  describe(`@codex-ts/${name} as published`, () => {
    it('stands on auth-provider, never on login or the dev backend (dependencies and src imports)', () => {
      expect(dependencyRuleViolations(here)).toEqual([]);
    });

    it('ships what a registry user needs and nothing that points at missing files', {
      timeout: 60_000,
    }, () => {
      const files = packedFiles(here);
      expect(publishingProblems(here, files)).toEqual([]);
      expect(files.filter((f) => !f.startsWith('dist/'))).toEqual(['LICENSE', 'README.md', 'package.json']);
      expect(files.filter((f) => f.endsWith('.map') || f.includes('.test.'))).toEqual([]);
    });

    more(here);
  });
}
