import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { dirname, join, parse } from 'node:path';
import type { CliIo } from './io.js';

/** The path of `@codex-ts/login`'s bin, found from its package.json (its `main` is not part of its API). */
export function loginBinPath(): string {
  let dir = dirname(createRequire(import.meta.url).resolve('@codex-ts/login'));
  for (; dir !== parse(dir).root; dir = dirname(dir)) {
    let manifest: { name?: string; bin?: string | Record<string, string> };
    try {
      manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    } catch {
      continue;
    }
    if (manifest.name !== '@codex-ts/login') continue;
    const bin = typeof manifest.bin === 'string' ? manifest.bin : Object.values(manifest.bin ?? {})[0];
    if (!bin) break;
    return join(dir, bin);
  }
  throw new Error('@codex-ts/login has no bin in its package.json');
}

/**
 * `codex-ts login …`: runs login's own command line with the arguments as given, stdio inherited, and passes
 * its exit code through (a signal is 128 + its number).
 */
export function runLogin(argv: readonly string[], io: CliIo): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [loginBinPath(), ...argv], {
      stdio: 'inherit',
      env: io.env,
      cwd: io.cwd,
    });
    child.on('error', (error) => {
      io.stderr.write(`codex-ts login: ${error.message}\n`);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      if (code !== null) resolve(code);
      else resolve(128 + (signal ? (constants.signals[signal] ?? 1) : 1));
    });
  });
}
