import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { METHOD_NAMES } from '@codex-ts/app-server';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../scripts/package-check.mjs';

// `npx -y pnpm@10 start` = build, then this script.
const START = join(repoRoot, 'scripts', 'start.mjs');
const serves = (method: string) => (METHOD_NAMES as readonly string[]).includes(method);

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [START, ...args], (err, stdout, stderr) => {
      resolve({ code: err ? Number(err.code) : 0, stdout, stderr });
    });
  });
}

const homeOf = (stdout: string) => /^CODEX_HOME: (\S+) \(removed when this stops\)$/m.exec(stdout)?.[1];

/** The table rows of the run: `status METHOD path auth…`. */
const rows = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => /^ {4}\d{3} [A-Z]+ +\//.test(l))
    .map((l) => l.trim().split(/\s+/));

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

  it('--once walks the session through the app-server, prints what the backend saw, and leaves no CODEX_HOME', async () => {
    const r = await run(['--once']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const out = r.stdout;
    expect(out).toContain('app-server: codex-ts-app-server over stdio, features.use_agent_identity = true');
    // Sign-in with a device code at the dev backend's issuer: no Authorization header there.
    expect(out).toMatch(/ {2}code [A-Z0-9]{4}-[A-Z0-9]{4} at http:\/\/127\.0\.0\.1:\d+\/codex\/device\n/);
    expect(out).toContain('  account/login/completed: success\n');
    expect(out).toContain('\n> account/read\n  chatgpt dev@example.com (plan plus)\n');
    expect(out).toMatch(
      /\n> thread\/start\n {2}thread [0-9a-f-]{36} \(its task registers in the background\)\n/,
    );
    expect(out).toContain('  its persisted thread task was restored: no new registration\n');
    if (serves('account/rateLimits/read')) {
      expect(out).toMatch(
        /\n> account\/rateLimits\/read\n {2}primary \d+% of 300 min, secondary \d+% of 10080 min, plan plus\n/,
      );
    } else {
      expect(out).toContain(
        '> account/rateLimits/read\n  not served by this app-server yet (Invalid request: unknown variant `account/rateLimits/read`)\n',
      );
    }
    if (serves('turn/start')) {
      expect(out).toContain('  agent: Echo: hello agent\n  turn/completed: completed\n');
      expect(out).toContain('  agent: Echo: hello agent again\n  turn/completed: completed\n');
      expect(out).toMatch(/ \d+ assertion \(thread task\)/);
    } else {
      expect(out).toContain(
        '> turn/start "hello agent", streamed\n  not served by this app-server yet (Invalid request: unknown variant `turn/start`)\n',
      );
    }
    // Every request in the table; with the flag on, everything but sign-in and bootstrap carries an assertion.
    const table = rows(out);
    expect(table.length).toBeGreaterThanOrEqual(9);
    const bootstrap =
      /^\/(api\/accounts\/deviceauth|oauth\/token|backend-api\/authenticate_app_v2|backend-api\/v1\/agent\/)/;
    expect(table.filter(([, , path]) => !bootstrap.test(path!)).map(([, , , scheme]) => scheme)).toEqual(
      expect.arrayContaining(['assertion']),
    );
    for (const [status, , path, scheme] of table) {
      expect(Number(status), path).toBeLessThan(400 + (path!.endsWith('/deviceauth/token') ? 4 : 0));
      if (!bootstrap.test(path!)) expect(scheme, path).toBe('assertion');
    }
    expect(out).toMatch(/\n\d+ backend requests: \d+ none, 1 bearer, 1 biscuit, 2 signature, \d+ assertion/);
    // Ids only: no token, JWT or header value is printed.
    expect(out).not.toMatch(/eyJ|AgentAssertion |Bearer |\brt_|\bac_|\bbsc_|\bdauth_|\bsk-/);
    const home = homeOf(out);
    expect(home).toBeDefined();
    expect(existsSync(home!)).toBe(false);
  });

  it('Ctrl-C in the middle of the walk stops the app-server first, then removes CODEX_HOME; exit 0, nothing on stderr', async () => {
    const child = spawn(process.execPath, [START], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += String(d);
    });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    // Signed in and the app-server is writing auth.json: the moment a careless stop would leave it behind.
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (d) => {
        stdout += String(d);
        if (stdout.includes('  approved (POST /dev/device/approve)')) resolve();
      });
    });
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
    expect(existsSync(homeOf(stdout)!)).toBe(false);
  });

  it('keeps the backend and a websocket app-server running with commands to try; Ctrl-C stops all and removes CODEX_HOME', async () => {
    const child = spawn(process.execPath, [START], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`start exited early (${code})`)));
      child.stdout.on('data', (d) => {
        stdout += String(d);
        if (stdout.includes('Ctrl-C stops it all')) resolve();
      });
    });
    const home = homeOf(stdout)!;
    expect(existsSync(join(home, 'auth.json'))).toBe(true);
    const backendUrl = /^dev-backend listening on (\S+)$/m.exec(stdout)![1]!;
    const wsUrl = /^ {2}(ws:\/\/127\.0\.0\.1:\d+)$/m.exec(stdout)![1]!;
    const readyz = `http${wsUrl.slice(2)}/readyz`;
    expect((await fetch(readyz)).status).toBe(200);
    expect((await fetch(`${backendUrl}/dev/`)).status).toBe(200);
    expect(stdout).toContain(
      `  CODEX_HOME=${home} CODEX_REFRESH_TOKEN_URL_OVERRIDE=${backendUrl}/oauth/token npx -y pnpm@10 exec codex-ts-login status\n`,
    );
    expect(stdout).toContain(`and open ${backendUrl}/dev/ in a browser`);
    // The codex-ts CLI, as the hint says, lists the cloud task seeded for the signed-in user.
    const vars = `CODEX_HOME=${home} CODEX_REFRESH_TOKEN_URL_OVERRIDE=${backendUrl}/oauth/token`;
    const taskId = new RegExp(
      `^  ${vars} npx -y pnpm@10 exec codex-ts cloud diff (task_e_[0-9a-f]+)$`,
      'm',
    ).exec(stdout)?.[1];
    expect(stdout).toContain(`  ${vars} npx -y pnpm@10 exec codex-ts cloud list\n`);
    const list = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        [join(repoRoot, 'apps', 'cli', 'dist', 'cli.js'), 'cloud', 'list'],
        {
          env: {
            ...process.env,
            CODEX_HOME: home,
            CODEX_REFRESH_TOKEN_URL_OVERRIDE: `${backendUrl}/oauth/token`,
          },
        },
        (err, out) => (err ? reject(err) : resolve(out)),
      );
    });
    expect(list).toMatch(new RegExp(`^${taskId} +ready +\\+1/-0 in 1 file +Say hello in hello\\.txt$`, 'm'));

    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(existsSync(home)).toBe(false);
    await expect(fetch(readyz)).rejects.toThrow('fetch failed');
    await expect(fetch(`${backendUrl}/dev/`)).rejects.toThrow('fetch failed');
  });
});
