import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The process tests spawn dist/cli.js: build this package first (dependencies are built by turbo/pnpm). */
export default function setup(): void {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  let dir = root;
  let tsc: string | undefined;
  for (;;) {
    const candidate = join(dir, 'node_modules', 'typescript', 'bin', 'tsc');
    if (existsSync(candidate)) {
      tsc = candidate;
      break;
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  if (!tsc) throw new Error('typescript not found: cannot build dist/ for the process tests');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
}
