import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loginBinPath } from '../src/login-command.js';
import { run } from './helpers.js';

const bin = join(import.meta.dirname, '..', 'dist', 'cli.js');

function codexTs(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...env },
    cwd: tmpdir(),
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('codex-ts', () => {
  it('--help lists the commands; no arguments is a usage error on stderr', async () => {
    const help = await run(['--help'], {}, tmpdir());
    expect(help.code).toBe(0);
    expect(help.stdout).toBe(
      [
        'usage: codex-ts <command> [args…]',
        '',
        'commands:',
        '  login       log in, log out, show auth status (codex-ts login --help)',
        '  cloud       Codex cloud tasks: list, show, diff, apply, exec, envs',
        '  app-server  the JSON-RPC app-server over stdio or --listen ws://IP:PORT (codex-ts app-server --help)',
        '',
        'options: --help, --version',
        'environment: CODEX_HOME (default ~/.codex); config: $CODEX_HOME/config.toml',
        '',
      ].join('\n'),
    );
    const bare = await run([], {}, tmpdir());
    expect([bare.code, bare.stdout, bare.stderr]).toEqual([2, '', help.stdout]);
  });

  it('app-server: the app-server over stdio, answering initialize; exits 0 when stdin closes', async () => {
    const home = mkdtempSync(join(tmpdir(), 'codex-ts-cli-app-server-'));
    const line = JSON.stringify({
      id: 1,
      method: 'initialize',
      params: { clientInfo: { name: 'cli', version: '1' } },
    });
    const result = spawnSync(process.execPath, [bin, 'app-server'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, CODEX_HOME: home },
      input: `${line}\n`,
    });
    expect(result.status).toBe(0);
    const reply = JSON.parse(result.stdout.split('\n')[0]!) as { id: number; result: { codexHome: string } };
    expect(reply).toMatchObject({ id: 1, result: { codexHome: home, platformFamily: 'unix' } });
  });

  it('--version, an unknown command and an unknown option', async () => {
    expect(await run(['--version'], {}, tmpdir())).toEqual({
      code: 0,
      stdout: 'codex-ts 0.1.0\n',
      stderr: '',
    });
    expect(await run(['frob'], {}, tmpdir())).toEqual({
      code: 2,
      stdout: '',
      stderr: "codex-ts: unknown command 'frob'\nTry 'codex-ts --help'.\n",
    });
    expect((await run(['--frob'], {}, tmpdir())).stderr).toBe(
      "codex-ts: unknown option '--frob'\nTry 'codex-ts --help'.\n",
    );
  });

  it('cloud --help and a cloud usage error need no login', async () => {
    const help = await run(['cloud', '--help'], { CODEX_HOME: '/nonexistent' }, tmpdir());
    expect(help.code).toBe(0);
    expect(help.stdout.startsWith('usage: codex-ts cloud <command> [--json]\n')).toBe(true);
    const wrong = await run(['cloud', 'show'], { CODEX_HOME: '/nonexistent' }, tmpdir());
    expect(wrong).toEqual({
      code: 2,
      stdout: '',
      stderr: "codex-ts cloud: missing <id>\nTry 'codex-ts cloud --help'.\n",
    });
  });

  it('the bin: login runs login’s CLI and passes its output and exit code through', {
    timeout: 60_000,
  }, () => {
    const home = mkdtempSync(join(tmpdir(), 'codex-ts-cli-login-'));
    const login = (args: string[]) => {
      const result = spawnSync(process.execPath, [loginBinPath(), ...args], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH, CODEX_HOME: home },
        cwd: tmpdir(),
      });
      return { code: result.status, stdout: result.stdout, stderr: result.stderr };
    };
    const status = codexTs(['login', 'status', '--json'], { CODEX_HOME: home });
    expect(status).toEqual(login(['status', '--json']));
    expect(JSON.parse(status.stdout)).toMatchObject({ loggedIn: false });
    const bogus = codexTs(['login', 'bogus'], { CODEX_HOME: home });
    expect(bogus).toEqual(login(['bogus']));
    expect(bogus.code).toBe(2);
  });

  it('the bin: cloud without credentials exits 4; a broken config.toml exits 1 naming the file', {
    timeout: 60_000,
  }, () => {
    const home = mkdtempSync(join(tmpdir(), 'codex-ts-cli-cloud-'));
    writeFileSync(join(home, 'config.toml'), 'chatgpt_base_url = "http://127.0.0.1:9/backend-api"\n');
    const out = codexTs(['cloud', 'list', '--json'], { CODEX_HOME: home });
    expect(out.code).toBe(4);
    expect(JSON.parse(out.stdout).error.code).toBe('not_logged_in');

    writeFileSync(join(home, 'config.toml'), 'chatgpt_base_url = 42\n');
    const broken = codexTs(['cloud', 'list'], { CODEX_HOME: home });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain(join(home, 'config.toml'));
  });

  it('CODEX_CLOUD_TASKS_BASE_URL overrides config.toml, and plain http to a remote host is refused', async () => {
    const home = mkdtempSync(join(tmpdir(), 'codex-ts-cli-override-'));
    const out = await run(
      ['cloud', 'list'],
      { CODEX_HOME: home, CODEX_CLOUD_TASKS_BASE_URL: 'http://tasks.example.com/backend-api' },
      tmpdir(),
    );
    expect(out).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'codex-ts cloud: CODEX_CLOUD_TASKS_BASE_URL must be an https URL (plain http is allowed for loopback hosts only: credentials would travel in cleartext)\n',
    });
  });
});
