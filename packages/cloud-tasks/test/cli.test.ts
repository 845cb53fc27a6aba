import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AuthUnavailableError } from '@codex-ts/auth-provider';
import { recordingAuthProvider, startScriptedServer } from '@codex-ts/auth-provider/testing';
import { BackendClient } from '@codex-ts/backend-client';
import { describe, expect, it } from 'vitest';
import { EXIT, runCloudCli } from '../src/cli/index.js';
import { type CloudBackend, HttpCloudBackend, InMemoryCloudBackend } from '../src/index.js';
import { git, makeRepo, treeHash } from './git-repo.js';

async function run(argv: string[], backend: CloudBackend, cwd?: string, env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  let made = 0;
  const code = await runCloudCli(argv, {
    backend: () => {
      made++;
      return backend;
    },
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    cwd: cwd ?? makeRepo(),
    env,
  });
  return { code, stdout, stderr, made };
}

const memory = () =>
  new InMemoryCloudBackend({
    environments: [
      { id: 'env_a', label: 'Alpha', isPinned: false, taskCount: 2 },
      { id: 'env_b', label: 'Beta', isPinned: true, taskCount: 0 },
    ],
    now: () => new Date('2026-01-02T03:04:05Z'),
  });

describe('codex-ts cloud', () => {
  it('exec → list → show → diff → apply --preflight → apply, human and --json', async () => {
    const backend = memory();
    const repo = makeRepo();
    const exec = await run(
      ['exec', '--env', 'alpha', 'write the notes', '--attempts', '2', '--json'],
      backend,
      repo,
      {
        CODEX_STARTING_DIFF: '',
      },
    );
    expect(exec).toMatchObject({
      code: EXIT.ok,
      stderr: 'Resolving the environment…\nCreating a task in Alpha…\n',
    });
    expect(JSON.parse(exec.stdout)).toEqual({
      id: 'task_local_1',
      environment: { id: 'env_a', label: 'Alpha', isPinned: false, taskCount: 2 },
    });

    const list = await run(['list'], backend, repo);
    expect(list).toEqual({
      code: 0,
      stdout: 'task_local_1  ready    +1/-0 in 1 file       write the notes\n',
      stderr: 'Fetching tasks…\n',
      made: 1,
    });
    const listJson = JSON.parse((await run(['list', '--json', '--limit', '5'], backend, repo)).stdout);
    expect(listJson).toEqual({
      tasks: [
        {
          id: 'task_local_1',
          title: 'write the notes',
          status: 'ready',
          updatedAt: '2026-01-02T03:04:05.000Z',
          environmentId: 'env_a',
          environmentLabel: 'Alpha',
          summary: { filesChanged: 1, linesAdded: 1, linesRemoved: 0 },
          attemptTotal: 2,
        },
      ],
      cursor: null,
    });

    const show = await run(['show', 'task_local_1'], backend, repo);
    expect(show.stdout).toBe(
      [
        'task_local_1  ready  +1/-0 in 1 file',
        'title: write the notes',
        'environment: Alpha',
        'attempts: 2',
        '',
        'prompt:',
        'write the notes',
        '',
        'messages:',
        'Done (attempt 1): write the notes',
        '',
      ].join('\n'),
    );
    const diff = await run(['diff', 'task_local_1'], backend, repo);
    expect(diff.stdout).toBe(
      'diff --git a/CLOUD_TASK.md b/CLOUD_TASK.md\nnew file mode 100644\n--- /dev/null\n+++ b/CLOUD_TASK.md\n@@ -0,0 +1 @@\n+write the notes\n',
    );
    expect(JSON.parse((await run(['diff', 'task_local_1', '--json'], backend, repo)).stdout)).toEqual({
      id: 'task_local_1',
      diff: diff.stdout,
    });

    const before = treeHash(repo);
    const preflight = await run(['apply', 'task_local_1', '--preflight', '--json'], backend, repo);
    expect(preflight.code).toBe(EXIT.ok);
    expect(JSON.parse(preflight.stdout)).toMatchObject({ applied: false, status: 'success' });
    expect(treeHash(repo)).toBe(before);

    const apply = await run(['apply', 'task_local_1'], backend, repo);
    expect(apply).toMatchObject({ code: EXIT.ok, stdout: 'success: Applied 1 file cleanly\n' });
    expect(existsSync(join(repo, 'CLOUD_TASK.md'))).toBe(true);

    const conflict = await run(['apply', 'task_local_1'], backend, repo);
    expect(conflict).toMatchObject({
      code: EXIT.notClean,
      stdout: 'error: Nothing applied: 1 file in conflict\n  conflict: CLOUD_TASK.md\n',
    });
  });

  it('exec without --env detects the environment from the git remote; envs lists them', async () => {
    const backend = new InMemoryCloudBackend({
      environments: [{ id: 'env_global', label: 'global', isPinned: false, taskCount: 0 }],
      environmentsByRepo: {
        'octo/demo': [{ id: 'env_repo', label: 'octo/demo', isPinned: false, taskCount: 1 }],
      },
    });
    const repo = makeRepo();
    git(repo, 'remote', 'add', 'origin', 'git@github.com:octo/demo.git');
    const exec = await run(['exec', 'hello', '--json'], backend, repo, {
      CODEX_STARTING_DIFF: '--- a/x\n+++ b/x\n',
    });
    expect(JSON.parse(exec.stdout).environment.id).toBe('env_repo');
    const envs = await run(['envs'], backend, repo);
    expect(envs.stdout).toBe(
      'env_global  global                            0 tasks\nenv_repo  octo/demo                         1 tasks\n',
    );
    expect(JSON.parse((await run(['envs', '--json'], backend, repo)).stdout).environments).toHaveLength(2);
  });

  it.each([
    [[], EXIT.usage, '', 'usage: codex-ts cloud <command>'],
    [['--help'], EXIT.ok, 'usage: codex-ts cloud <command>', ''],
    [['apply', '--help'], EXIT.ok, 'usage: codex-ts cloud <command>', ''],
    [
      ['frobnicate'],
      EXIT.usage,
      '',
      "codex-ts cloud: unknown command 'frobnicate'\nTry 'codex-ts cloud --help'.\n",
    ],
    [['show'], EXIT.usage, '', "codex-ts cloud: missing <id>\nTry 'codex-ts cloud --help'.\n"],
    [
      ['diff', 'a', 'b'],
      EXIT.usage,
      '',
      "codex-ts cloud: unexpected argument 'b'\nTry 'codex-ts cloud --help'.\n",
    ],
    [
      ['exec', 'x', '--attempts', '9'],
      EXIT.usage,
      '',
      "codex-ts cloud: --attempts must be an integer from 1 to 4, got '9'\nTry 'codex-ts cloud --help'.\n",
    ],
    [['list', '--bogus'], EXIT.usage, '', "codex-ts cloud: Unknown option '--bogus'"],
  ])('%j exits %i', async (argv, code, stdout, stderr) => {
    const result = await run(argv, memory());
    expect(result.code).toBe(code);
    expect(result.stdout.startsWith(stdout)).toBe(true);
    if (stderr.startsWith('usage')) expect(result.stderr.startsWith(stderr)).toBe(true);
    else if (code === EXIT.usage) {
      expect(result.stderr).toContain(stderr);
      expect(result.stderr.split('\n')).toHaveLength(3); // one line, the hint, the final newline
      expect(result.stderr.endsWith("\nTry 'codex-ts cloud --help'.\n")).toBe(true);
    }
  });

  it('help needs no backend', async () => {
    expect((await run(['--help'], memory())).made).toBe(0);
  });

  it('failures: a missing task exits 1, a refused credential exits 4, both as JSON too', async () => {
    const missing = await run(['show', 'nope', '--json'], memory());
    expect(missing.code).toBe(EXIT.failure);
    expect(JSON.parse(missing.stdout)).toEqual({ error: { code: 'not_found', message: 'no task nope' } });
    const noEnv = await run(['exec', 'x', '--env', 'nope'], memory());
    expect(noEnv.code).toBe(EXIT.failure);
    expect(noEnv.stderr).toBe(
      "Resolving the environment…\ncodex-ts cloud: no environment has the id or label 'nope' (see 'envs')\n",
    );

    const server = await startScriptedServer([{ status: 401, body: '{"error":"expired"}' }]);
    try {
      const http = new HttpCloudBackend(
        new BackendClient({
          baseUrl: `${server.url}/backend-api`,
          auth: recordingAuthProvider({ retryOnUnauthorized: false }),
        }),
      );
      const refused = await run(['list'], http);
      expect(refused.code).toBe(EXIT.auth);
      expect(refused.stderr).toContain(
        `codex-ts cloud: GET ${server.url}/backend-api/wham/tasks/list?limit=20&task_filter=current failed: 401`,
      );
      expect(refused.stderr.endsWith("Log in first (see 'codex-ts login --help').\n")).toBe(true);

      const loggedOut = new HttpCloudBackend(
        new BackendClient({
          baseUrl: `${server.url}/backend-api`,
          auth: recordingAuthProvider({
            refuse: () => new AuthUnavailableError('not_logged_in', 'not logged in'),
          }),
        }),
      );
      const out = await run(['envs', '--json'], loggedOut);
      expect(out.code).toBe(EXIT.auth);
      expect(JSON.parse(out.stdout)).toEqual({ error: { code: 'not_logged_in', message: 'not logged in' } });
    } finally {
      await server.close();
    }
  });
});
