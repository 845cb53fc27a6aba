import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli-main.js';
import { chatgptHome, type DevBackend, tempHome, useDevBackend } from './helpers.js';

let backend: DevBackend;
useDevBackend((b) => {
  backend = b;
});

/** io without a logger: warnings go through the CLI's human logger, as for a user. */
function io(home: string, o: { stdin?: string; tty?: boolean } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out: () => out.join(''),
    err: () => err.join(''),
    io: {
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => err.push(s) },
      readStdin: async () => o.stdin ?? '',
      stdinIsTTY: o.tty ?? false,
      env: { CODEX_HOME: home, CODEX_REFRESH_TOKEN_URL_OVERRIDE: backend.tokenUrl },
      managerOptions: { registrationRetryDelayMs: 0 },
    },
  };
}

describe('codex-ts-login conventions', () => {
  it('--version, and --help per command', async () => {
    const v = io(tempHome());
    expect(await main(['--version'], v.io)).toBe(0);
    expect(v.out()).toBe('codex-ts-login 0.1.0\n');
    const h = io(tempHome());
    expect(await main(['print-authorization', '--help'], h.io)).toBe(0);
    expect(h.out()).toMatch(/^usage: codex-ts-login print-authorization \[--thread <id>\] \[--url <url>\]/);
    expect(h.out()).toContain('--thread <id>   as a call for that conversation thread');
    expect(h.err()).toBe('');
  });

  it('a usage error is one line and a hint, exit 2', async () => {
    const cases: Array<[string[], string]> = [
      [
        ['status', '--bogus'],
        "error: Unknown option '--bogus'\nhint: run `codex-ts-login status --help` for usage\n",
      ],
      [['frobnicate'], 'error: unknown command: frobnicate\nhint: run `codex-ts-login --help` for usage\n'],
      [
        ['login'],
        'error: only `login --with-api-key` is supported (browser login is not)\nhint: run `codex-ts-login login --help` for usage\n',
      ],
      [
        ['status', '--quiet', '--verbose'],
        'error: --verbose and --quiet exclude each other\nhint: run `codex-ts-login status --help` for usage\n',
      ],
    ];
    for (const [argv, expected] of cases) {
      const r = io(tempHome());
      expect(await main(argv, r.io)).toBe(2);
      expect(r.err()).toBe(expected);
      expect(r.out()).toBe('');
    }
  });

  it('status exits 1 when not logged in', async () => {
    const r = io(tempHome());
    expect(await main(['status'], r.io)).toBe(1);
    expect(r.out()).toMatch(/^logged in: +no\n/);
  });

  it('login --with-api-key refuses a terminal stdin', async () => {
    const home = tempHome();
    const r = io(home, { stdin: 'sk-never-read', tty: true });
    expect(await main(['login', '--with-api-key'], r.io)).toBe(2);
    expect(r.err()).toBe(
      'error: stdin is a terminal; pipe the key in: printenv OPENAI_API_KEY | codex-ts-login login --with-api-key\nhint: run `codex-ts-login login --help` for usage\n',
    );
    expect(existsSync(join(home, 'auth.json'))).toBe(false);
  });

  it.each([
    [
      'a newline inside',
      'sk-abc\ndef',
      'the API key contains a line break at position 7; a key is printable ASCII without spaces',
    ],
    [
      'a NUL',
      'sk-abc\u0000def',
      'the API key contains a space or control character at position 7; a key is printable ASCII without spaces',
    ],
    [
      'a space inside',
      'sk-abc def',
      'the API key contains a space or control character at position 7; a key is printable ASCII without spaces',
    ],
    [
      'non-ASCII',
      'sk-abcé',
      'the API key contains a non-ASCII character at position 7; a key is printable ASCII without spaces',
    ],
    [
      '8 MB of text',
      'x'.repeat(8 * 1024 * 1024),
      'stdin holds more than 65536 bytes; an API key is one short line',
    ],
    ['2 000 characters', 'k'.repeat(2000), 'the API key is 2000 characters; at most 1024 are accepted'],
  ])(
    'login --with-api-key rejects %s with a usage error and stores nothing',
    async (_what, stdin, problem) => {
      const home = tempHome();
      const r = io(home, { stdin });
      expect(await main(['login', '--with-api-key'], r.io)).toBe(2);
      expect(r.err()).toBe(`error: ${problem}\nhint: run \`codex-ts-login login --help\` for usage\n`);
      expect(existsSync(join(home, 'auth.json'))).toBe(false);
    },
  );

  it('a trailing newline is trimmed and the key stored', async () => {
    const home = tempHome();
    expect(await main(['login', '--with-api-key'], io(home, { stdin: '  sk-ok-123\n' }).io)).toBe(0);
    expect(JSON.parse(readFileSync(join(home, 'auth.json'), 'utf8')).OPENAI_API_KEY).toBe('sk-ok-123');
  });

  it('warnings are one human line naming the URL and the error; --quiet drops them', async () => {
    const { home } = await chatgptHome(backend);
    backend.injectFault({ path: '/backend-api/authenticate_app_v2', status: 503, count: 3 });
    const r = io(home);
    expect(await main(['status', '--check'], r.io)).toBe(0);
    expect(r.err()).toBe(
      `registering an agent identity with ${backend.chatgptBaseUrl} …\n` +
        `warning: agent identity unavailable; falling back to bearer authorization (${backend.chatgptBaseUrl}: agent identity registration failed 3 time(s) (biscuit: http_status 503))\n`,
    );
    const again = await chatgptHome(backend);
    backend.injectFault({ path: '/backend-api/authenticate_app_v2', status: 503, count: 3 });
    const q = io(again.home);
    expect(await main(['status', '--check', '--quiet'], q.io)).toBe(0);
    expect(q.err()).toBe('');
  });

  it('--verbose adds info lines (no secret in them); a thread task gets a progress line', async () => {
    const { home, tokens } = await chatgptHome(backend);
    const r = io(home);
    expect(await main(['print-authorization', '--thread', 't-1', '--verbose'], r.io)).toBe(0);
    const lines = r.err().trimEnd().split('\n');
    expect(lines).toContain(`registering a task for thread t-1 with ${backend.chatgptBaseUrl} …`);
    expect(lines.some((l) => l.startsWith('info: registered agent identity'))).toBe(true);
    for (const l of lines) expect(l).toMatch(/^(info|debug|warning): |^registering /);
    for (const secret of [tokens.access_token, tokens.refresh_token, r.out().trim()])
      expect(r.err()).not.toContain(secret);
    const quiet = io(home);
    expect(await main(['print-authorization', '--thread', 't-2', '--quiet'], quiet.io)).toBe(0);
    expect(quiet.err()).toBe('');
  });

  it('logout: a directory or a FIFO at auth.json is a typed error, not a raw one; stale temp files go', async () => {
    const dirHome = tempHome();
    mkdirSync(join(dirHome, 'auth.json'));
    const d = io(dirHome);
    expect(await main(['logout'], d.io)).toBe(1);
    expect(d.err()).toBe(
      `error: ${join(dirHome, 'auth.json')}: auth.json is a directory, not a regular file; move it away, then log in again [auth_file_not_regular]\n`,
    );
    const loginIntoDir = io(dirHome, { stdin: 'sk-1' });
    expect(await main(['login', '--with-api-key'], loginIntoDir.io)).toBe(1);
    expect(loginIntoDir.err()).toMatch(/\[auth_file_not_regular\]\n$/);

    const fifoHome = tempHome();
    execFileSync('mkfifo', [join(fifoHome, 'auth.json')]);
    const f = io(fifoHome);
    expect(await main(['status'], f.io)).toBe(1);
    expect(f.err()).toMatch(/auth\.json is a FIFO, not a regular file; .* \[auth_file_not_regular\]\n$/);

    const tempLeft = tempHome();
    writeFileSync(join(tempLeft, 'auth.json.tmp-9-0123456789ab'), '{"OPENAI_API_KEY":"sk-secret"}');
    writeFileSync(join(tempLeft, 'auth.json'), '{broken');
    expect(await main(['logout'], io(tempLeft).io)).toBe(0);
    expect(readdirSync(tempLeft)).toEqual([]);
  });
});
