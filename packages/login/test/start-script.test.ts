import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../scripts/package-check.mjs';

// `npx -y pnpm@10 start` = build, then this script (login's tests build login, auth-provider and the dev backend).
const START = join(repoRoot, 'scripts', 'start.mjs');

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [START, ...args], (err, stdout, stderr) => {
      resolve({ code: err ? Number(err.code) : 0, stdout, stderr });
    });
  });
}

const homeOf = (stdout: string) => /^CODEX_HOME: (\S+) \(removed when this stops\)$/m.exec(stdout)?.[1];

describe('scripts/start.mjs', () => {
  it('--help prints usage; a bad flag is one line and a hint, exit 2', async () => {
    const help = await run(['--help']);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(/^usage: npx -y pnpm@10 start \[--port <n>\] \[--once\]\n/);
    expect(await run(['--bogus'])).toEqual({
      code: 2,
      stdout: '',
      stderr: "start: Unknown option '--bogus'\nhint: run `npx -y pnpm@10 start --help` for usage\n",
    });
    expect((await run(['--port', 'x'])).stderr).toBe(
      'start: --port must be a port number, got "x"\nhint: run `npx -y pnpm@10 start --help` for usage\n',
    );
  });

  it('a busy port is one line and a hint, exit 1', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      expect(await run(['--port', String(port), '--once'])).toEqual({
        code: 1,
        stdout: '',
        stderr: `start: port ${port} is in use\nhint: pick another with --port <n>, or --port 0 for any free port\n`,
      });
    } finally {
      server.close();
    }
  });

  it('--once: the walkthrough runs and its CODEX_HOME (tokens, private key) is gone afterwards', async () => {
    const r = await run(['--once']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('GET  /wham/usage        -> 200 (agent-assertion)');
    const home = homeOf(r.stdout);
    expect(home).toBeDefined();
    expect(existsSync(home!)).toBe(false);
  });

  it('Ctrl-C removes CODEX_HOME; the hints point token refresh at the dev backend', async () => {
    const child = spawn(process.execPath, [START], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (d) => {
        stdout += String(d);
        if (stdout.includes('Ctrl-C stops it')) resolve();
      });
    });
    const home = homeOf(stdout)!;
    expect(existsSync(join(home, 'auth.json'))).toBe(true);
    const backendUrl = /^dev-backend listening on (\S+)$/m.exec(stdout)![1];
    expect(stdout).toContain(
      `CODEX_HOME=${home} CODEX_REFRESH_TOKEN_URL_OVERRIDE=${backendUrl}/oauth/token npx -y pnpm@10 exec codex-ts-login status`,
    );
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(existsSync(home)).toBe(false);
  });
});
