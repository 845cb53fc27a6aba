import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import type { CliIo } from './io.js';

/** The path of `@codex-ts/login`'s bin, from its package.json `bin` (login's `main` is not part of its API). */
export function loginBinPath(): string {
  const manifestPath = createRequire(import.meta.url).resolve('@codex-ts/login/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    bin?: string | Record<string, string>;
  };
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.['codex-ts-login'];
  if (!bin) throw new Error('@codex-ts/login has no codex-ts-login bin in its package.json');
  return join(dirname(manifestPath), bin);
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
