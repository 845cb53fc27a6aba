import { spawn } from 'node:child_process';
import { CloudTaskError } from './errors.js';

export interface GitResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs git with `input` on stdin; resolves with its exit code and output (a missing git is `git_failed`). */
export function runGit(args: readonly string[], cwd: string, input?: string): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', (error) =>
      reject(new CloudTaskError('git_failed', `could not run git: ${error.message}`, { cause: error })),
    );
    child.on('close', (code) =>
      resolve({
        code: code ?? 1,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
  });
}

/** The top of the working tree that contains `cwd`, or a `not_a_git_repository` error. */
export async function worktreeRoot(cwd: string): Promise<string> {
  const result = await runGit(['rev-parse', '--show-toplevel'], cwd).catch((error: unknown) => {
    if (error instanceof CloudTaskError && error.code === 'git_failed') throw error;
    throw new CloudTaskError('not_a_git_repository', `${cwd} is not inside a git working tree`);
  });
  if (result.code !== 0) {
    throw new CloudTaskError('not_a_git_repository', `${cwd} is not inside a git working tree`);
  }
  return result.stdout.trim();
}
