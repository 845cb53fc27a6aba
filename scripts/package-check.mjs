import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

function npm(args, cwd) {
  return execFileSync('npm', [...args, '--ignore-scripts', '--no-update-notifier'], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
}

/** What `npm pack` would ship from `dir` (paths relative to the package root). */
export function packedFiles(dir) {
  const [result] = JSON.parse(npm(['pack', '--dry-run', '--json'], dir));
  return result.files.map((f) => f.path).sort();
}

/**
 * Problems with a publishable package as it would be packed: metadata a registry user relies on, a license file, an
 * install line, bins and exports that exist in the pack, and source maps whose sources are shipped. Empty when fine.
 */
export function publishingProblems(dir, packed = packedFiles(dir)) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const files = new Set(packed);
  const problems = [];
  for (const field of ['license', 'repository', 'homepage', 'bugs', 'description', 'engines']) {
    if (!manifest[field]) problems.push(`package.json has no ${field}`);
  }
  if (manifest.exports?.['./package.json'] !== './package.json')
    problems.push('exports has no ./package.json');
  for (const [sub, target] of Object.entries(manifest.exports ?? {})) {
    const paths = typeof target === 'string' ? [target] : Object.values(target);
    for (const p of paths)
      if (!files.has(p.replace(/^\.\//, ''))) problems.push(`exports[${sub}] ${p} is not packed`);
  }
  for (const [bin, target] of Object.entries(manifest.bin ?? {})) {
    if (!files.has(target.replace(/^\.\//, ''))) problems.push(`bin ${bin} ${target} is not packed`);
  }
  if (!files.has('LICENSE')) problems.push('no LICENSE in the pack');
  else if (readFileSync(join(dir, 'LICENSE'), 'utf8') !== readFileSync(join(repoRoot, 'LICENSE'), 'utf8'))
    problems.push("LICENSE differs from the repository's");
  const readme = files.has('README.md') ? readFileSync(join(dir, 'README.md'), 'utf8') : '';
  if (!readme) problems.push('no README.md in the pack');
  if (!readme.includes(`npm install ${manifest.name}`))
    problems.push(`README has no "npm install ${manifest.name}"`);
  for (const m of readme.matchAll(/\]\((?!https?:|#)([^)]+)\)/g)) {
    if (!files.has(m[1].replace(/^\.\//, ''))) problems.push(`README links to ${m[1]}, which is not packed`);
  }
  for (const f of files) {
    if (!f.endsWith('.map')) continue;
    const map = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    for (const s of map.sources ?? []) {
      const source = join(dirname(f), s);
      if (!files.has(source)) problems.push(`${f} points at ${source}, which is not packed`);
    }
  }
  return problems;
}

/** Packs `dir` and unpacks it as `node_modules/<name>` under `consumer`. */
export function installPacked(dir, consumer) {
  const out = mkdtempSync(join(tmpdir(), 'codex-ts-pack-'));
  const [result] = JSON.parse(npm(['pack', '--json', '--pack-destination', out], dir));
  const target = join(consumer, 'node_modules', result.name);
  mkdirSync(target, { recursive: true });
  execFileSync('tar', ['-xzf', join(out, result.filename), '-C', target, '--strip-components=1']);
}

/** Links `name` into `consumer/node_modules`, resolved from the workspace package `fromDir` (no network). */
export function linkDependency(name, fromDir, consumer) {
  const target = join(consumer, 'node_modules', name);
  if (existsSync(target)) return;
  mkdirSync(dirname(target), { recursive: true });
  symlinkSync(realpathSync(join(fromDir, 'node_modules', name)), target, 'dir');
}

/** Writes a strict TypeScript consumer (skipLibCheck off) with `source` as its only file; returns its directory. */
export function strictConsumer(source) {
  const dir = mkdtempSync(join(tmpdir(), 'codex-ts-consumer-'));
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        skipLibCheck: false,
        noEmit: true,
        types: ['node'],
        rootDir: '.',
      },
      include: ['consumer.ts'],
    }),
  );
  writeFileSync(join(dir, 'consumer.ts'), source);
  return dir;
}

/** Runs the repository's tsc in `dir`; returns its output (empty when it compiles). */
export function compile(dir) {
  try {
    execFileSync(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return '';
  } catch (err) {
    return String(err.stdout ?? err);
  }
}

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

const FORBIDDEN = ['@codex-ts/login', '@codex-ts/dev-backend'];

/**
 * What breaks DESIGN.md's dependency rule in the call-site package at `dir`: it depends on @codex-ts/auth-provider,
 * and never on login or the dev backend, neither in its manifest's dependencies nor in an import under `src/`.
 * Empty when the rule holds.
 */
export function dependencyRuleViolations(dir) {
  const problems = [];
  const deps = Object.keys(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).dependencies ?? {});
  if (!deps.includes('@codex-ts/auth-provider')) problems.push('dependencies: no @codex-ts/auth-provider');
  for (const name of FORBIDDEN) if (deps.includes(name)) problems.push(`dependencies: ${name}`);
  const imports = /(?:from\s+|import\s*\(\s*)'(@codex-ts\/(?:login|dev-backend))(?:\/[^']*)?'/g;
  for (const file of sourceFiles(join(dir, 'src'))) {
    for (const [, name] of readFileSync(file, 'utf8').matchAll(imports)) {
      problems.push(`${relative(dir, file)}: imports ${name}`);
    }
  }
  return problems;
}
