import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { DevBackend } from '@codex-ts/dev-backend';
import { chatgptAuthJson } from '@codex-ts/dev-backend/testing';
import type { CliIo } from '../src/io.js';
import { main } from '../src/main.js';

/** A CODEX_HOME whose config points at the dev backend, with the flag on or off, and fresh ChatGPT tokens. */
export async function codexHome(backend: DevBackend, flag: boolean, email: string): Promise<string> {
  const home = mkdtempSync(join(tmpdir(), 'codex-ts-cli-home-'));
  writeFileSync(
    join(home, 'config.toml'),
    `chatgpt_base_url = "${backend.chatgptBaseUrl}/"\n[features]\nuse_agent_identity = ${flag}\n`,
  );
  const tokens = await backend.issueTokens({ email });
  writeFileSync(join(home, 'auth.json'), JSON.stringify(chatgptAuthJson(tokens)), { mode: 0o600 });
  return home;
}

export function makeRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'codex-ts-cli-repo-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'test@example.com');
  git('config', 'user.name', 'test');
  writeFileSync(join(dir, 'README.md'), '# demo\n');
  git('add', '.');
  git('commit', '-q', '-m', 'init');
  return dir;
}

/** A hash of every file outside .git and of the index. */
export function treeHash(dir: string): string {
  const hash = createHash('sha256');
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) =>
      e.name === '.git' ? [] : e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)],
    );
  for (const file of walk(dir).sort()) hash.update(relative(dir, file)).update(readFileSync(file));
  hash.update(readFileSync(join(dir, '.git', 'index')));
  return hash.digest('hex');
}

/** Runs `codex-ts` in process. */
export async function run(argv: string[], env: NodeJS.ProcessEnv, cwd: string) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env,
    cwd,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}
