import { join } from 'node:path';
import { describe } from 'vitest';
import { repoRoot } from '../../../scripts/package-check.mjs';
import { itShipsCleanPack } from '../../../scripts/package-suite.mjs';

const here = join(repoRoot, 'apps', 'app-server');

describe('@codex-ts/app-server as published', () => {
  itShipsCleanPack(here, { bins: ['bin/codex-ts-app-server.js'], contains: ['dist/cli.js'] });
});
