import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Vitest global setup shared by every package: builds the package under test and the workspace packages it
 * depends on (turbo, cached), so `pnpm --filter <name> test` works on a fresh clone as well as under `pnpm test`.
 */
export default function setup(): void {
  const { name } = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { name: string };
  execFileSync(
    join(root, 'node_modules', '.bin', 'turbo'),
    ['run', 'build', `--filter=${name}...`, '--output-logs=errors-only', '--log-prefix=none'],
    {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
    },
  );
}
