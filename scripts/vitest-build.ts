import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
}

/** Every workspace package by name. */
function workspacePackages(): Map<string, string> {
  const byName = new Map<string, string>();
  for (const group of ['packages', 'apps', 'tests']) {
    for (const entry of readdirSync(join(root, group), { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const dir = join(root, group, entry.name);
      byName.set(readManifest(dir).name, dir);
    }
  }
  return byName;
}

/** The package and the workspace packages it depends on, dependencies first. */
function buildOrder(dir: string, byName: Map<string, string>, seen = new Set<string>()): string[] {
  if (seen.has(dir)) return [];
  seen.add(dir);
  const manifest = readManifest(dir);
  const order: string[] = [];
  for (const [name, spec] of Object.entries({ ...manifest.dependencies, ...manifest.devDependencies })) {
    const depDir = byName.get(name);
    if (spec.startsWith('workspace:') && depDir !== undefined)
      order.push(...buildOrder(depDir, byName, seen));
  }
  order.push(dir);
  return order;
}

/**
 * Vitest global setup shared by every package. Under turbo (`pnpm test`) the task graph has built the package and
 * its workspace dependencies already. Run any other way (`pnpm --filter <name> test`, `npx vitest` in a package
 * directory, on a fresh clone), it builds them here with tsc, dependencies first, so the tests never run against a
 * missing or stale dist/.
 */
export default function setup(): void {
  // biome-ignore lint/suspicious/noUndeclaredEnvVars: turbo sets TURBO_HASH in every task it runs; it only tells us we run under turbo
  if (process.env.TURBO_HASH !== undefined) return;
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  for (const dir of buildOrder(process.cwd(), workspacePackages())) {
    // A test-only package (tests/start) has nothing to build.
    if (!existsSync(join(dir, 'tsconfig.build.json'))) continue;
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: dir, stdio: 'inherit' });
  }
}
