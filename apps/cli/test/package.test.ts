import { join } from 'node:path';
import { describe } from 'vitest';
import { repoRoot } from '../../../scripts/package-check.mjs';
import { itShipsCleanPack } from '../../../scripts/package-suite.mjs';

const here = join(repoRoot, 'apps', 'cli');

describe('@codex-ts/cli as published', () => {
  itShipsCleanPack(here, { bins: ['bin/codex-ts.js'] });
});
