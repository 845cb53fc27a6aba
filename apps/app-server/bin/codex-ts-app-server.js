#!/usr/bin/env node
// Committed so the bin exists at install time (pnpm links bins before anything is built); the CLI is dist/cli.js.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write(
    'codex-ts-app-server: not built yet; run `npx -y pnpm@10 build` in the repository first\n',
  );
  process.exit(1);
}
await import(cli.href);
