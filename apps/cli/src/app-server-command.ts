import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import type { CliIo } from './io.js';

/** The path of `@codex-ts/app-server`'s bin, from its package.json `bin`. */
export function appServerBinPath(): string {
  const manifestPath = createRequire(import.meta.url).resolve('@codex-ts/app-server/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin?: Record<string, string> };
  const bin = manifest.bin?.['codex-ts-app-server'];
  if (!bin) throw new Error('@codex-ts/app-server has no codex-ts-app-server bin in its package.json');
  return join(dirname(manifestPath), bin);
}

/**
 * `codex-ts app-server …`: runs the app-server (stdio by default, `--listen ws://IP:PORT`) with stdio inherited,
 * and passes its exit code through (a signal is 128 + its number).
 */
export function runAppServer(argv: readonly string[], io: CliIo): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [appServerBinPath(), ...argv], {
      stdio: 'inherit',
      env: io.env,
      cwd: io.cwd,
    });
    child.on('error', (error) => {
      io.stderr.write(`codex-ts app-server: ${error.message}\n`);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      if (code !== null) resolve(code);
      else resolve(128 + (signal ? (constants.signals[signal] ?? 1) : 1));
    });
  });
}
