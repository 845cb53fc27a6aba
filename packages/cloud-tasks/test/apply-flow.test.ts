import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordingAuthProvider, startScriptedServer } from '@codex-ts/auth-provider/testing';
import { BackendClient, isBackendError } from '@codex-ts/backend-client';
import { type DevBackend, startDevBackend } from '@codex-ts/dev-backend';
import { agentTestAccount } from '@codex-ts/dev-backend/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpCloudBackend, NOT_UNIFIED_MESSAGE } from '../src/index.js';
import { makeRepo, treeHash } from './git-repo.js';

describe.each([
  { flag: 'off', scheme: 'bearer' },
  { flag: 'on', scheme: 'assertion' },
] as const)(
  'create → list → diff → preflight → apply over the dev backend, flag $flag',
  ({ flag, scheme }) => {
    let backend: DevBackend;
    let cloud: HttpCloudBackend;
    let accountId: string;

    beforeAll(async () => {
      backend = await startDevBackend();
      const account = await agentTestAccount(backend, { email: `apply-${flag}@example.com` });
      accountId = account.accountId;
      const auth = flag === 'off' ? account.bearer : account.background;
      if (flag === 'on') await account.background.register();
      cloud = new HttpCloudBackend(new BackendClient({ baseUrl: backend.chatgptBaseUrl, auth }));
      backend.clearRequests();
    });
    afterAll(() => backend.close());

    it('applies the task to a temp git repo; the preflight never touches it; a second apply conflicts', async () => {
      const repo = makeRepo();
      const { id } = await cloud.createTask({ environmentId: 'env_dev', prompt: 'write notes', bestOfN: 2 });

      const page = await cloud.listTasks();
      expect(page.tasks.map((t) => [t.id, t.title, t.status, t.summary])).toEqual([
        [id, 'write notes', 'ready', { filesChanged: 1, linesAdded: 2, linesRemoved: 0 }],
      ]);
      const diff = await cloud.getTaskDiff(id);
      expect(diff).toContain('+++ b/DEV_BACKEND.md');
      const text = await cloud.getTaskText(id);
      expect([text.prompt, text.messages, text.siblingTurnIds.length, text.attemptStatus]).toEqual([
        'write notes',
        ['Done: write notes (attempt 1)'],
        1,
        'completed',
      ]);
      const attempts = await cloud.listSiblingAttempts(id, text.turnId!);
      expect(attempts.map((a) => [a.attemptPlacement, a.status, a.messages])).toEqual([
        [0, 'completed', ['Done: write notes (attempt 1)']],
        [1, 'completed', ['Done: write notes (attempt 2)']],
      ]);

      const before = treeHash(repo);
      const preflight = await cloud.applyTaskPreflight(id, { cwd: repo });
      expect(preflight).toEqual({
        applied: false,
        status: 'success',
        message: 'Preflight passed: 1 file would apply cleanly',
        skippedPaths: [],
        conflictPaths: [],
      });
      expect(treeHash(repo)).toBe(before);

      const applied = await cloud.applyTask(id, { cwd: join(repo, 'src') });
      expect(applied).toEqual({
        applied: true,
        status: 'success',
        message: 'Applied 1 file cleanly',
        skippedPaths: [],
        conflictPaths: [],
      });
      expect(readFileSync(join(repo, 'DEV_BACKEND.md'), 'utf8')).toBe(
        diff!
          .split('\n')
          .filter((l) => l.startsWith('+') && !l.startsWith('+++'))
          .map((l) => `${l.slice(1)}\n`)
          .join(''),
      );

      const after = treeHash(repo);
      const again = await cloud.applyTask(id, { cwd: repo });
      expect(again).toEqual({
        applied: false,
        status: 'error',
        message: 'Nothing applied: 1 file in conflict',
        skippedPaths: [],
        conflictPaths: ['DEV_BACKEND.md'],
      });
      expect(treeHash(repo)).toBe(after);

      const seen = backend.requests();
      expect(new Set(seen.map((r) => r.authScheme))).toEqual(new Set([scheme]));
      expect(seen.every((r) => r.status === 200)).toBe(true);
    });

    it('seeded tasks: one that edits the repo applies, one that conflicts names its paths, a non-unified one is refused', async () => {
      const repo = makeRepo();
      const edit = backend.seedCloudTask({
        accountId,
        title: 'edit app',
        diff: 'diff --git a/src/app.txt b/src/app.txt\n--- a/src/app.txt\n+++ b/src/app.txt\n@@ -1,3 +1,3 @@\n one\n-two\n+2\n three\n',
      });
      const clash = backend.seedCloudTask({ accountId, title: 'clash', diff: conflicting });
      const prose = backend.seedCloudTask({ accountId, title: 'prose', diff: 'I changed the file for you.' });

      const before = treeHash(repo);
      expect((await cloud.applyTaskPreflight(edit, { cwd: repo })).status).toBe('success');
      expect(treeHash(repo)).toBe(before);
      expect((await cloud.applyTask(edit, { cwd: repo })).status).toBe('success');
      expect(readFileSync(join(repo, 'src', 'app.txt'), 'utf8')).toBe('one\n2\nthree\n');

      const afterEdit = treeHash(repo);
      expect(await cloud.applyTaskPreflight(clash, { cwd: repo })).toEqual({
        applied: false,
        status: 'partial',
        message: 'Preflight: 1 file would apply, 1 file in conflict, 1 file skipped',
        skippedPaths: ['missing.txt'],
        conflictPaths: ['src/app.txt'],
      });
      expect(treeHash(repo)).toBe(afterEdit);

      expect(await cloud.applyTask(prose, { cwd: repo })).toEqual({
        applied: false,
        status: 'error',
        message: NOT_UNIFIED_MESSAGE,
        skippedPaths: [],
        conflictPaths: [],
      });
      expect(treeHash(repo)).toBe(afterEdit);
      expect(new Set(backend.requests().map((r) => r.authScheme))).toEqual(new Set([scheme]));
    });
  },
);

const conflicting = [
  'diff --git a/src/app.txt b/src/app.txt',
  '--- a/src/app.txt',
  '+++ b/src/app.txt',
  '@@ -1,3 +1,3 @@',
  ' one',
  '-TWO',
  '+2',
  ' three',
  'diff --git a/NEW.md b/NEW.md',
  'new file mode 100644',
  '--- /dev/null',
  '+++ b/NEW.md',
  '@@ -0,0 +1 @@',
  '+new',
  'diff --git a/missing.txt b/missing.txt',
  '--- a/missing.txt',
  '+++ b/missing.txt',
  '@@ -1 +1 @@',
  '-a',
  '+b',
  '',
].join('\n');

describe('apply outcomes', () => {
  const cloud = new HttpCloudBackend(
    new BackendClient({ baseUrl: 'http://127.0.0.1:9/backend-api', auth: recordingAuthProvider() }),
  );

  it('a partly conflicting diff: preflight reports it untouched, apply applies the rest and names the paths', async () => {
    const repo = makeRepo();
    const before = treeHash(repo);
    const preflight = await cloud.applyTaskPreflight('t', { cwd: repo, diffOverride: conflicting });
    expect(preflight).toEqual({
      applied: false,
      status: 'partial',
      message: 'Preflight: 1 file would apply, 1 file in conflict, 1 file skipped',
      skippedPaths: ['missing.txt'],
      conflictPaths: ['src/app.txt'],
    });
    expect(treeHash(repo)).toBe(before);

    const outcome = await cloud.applyTask('t', { cwd: repo, diffOverride: conflicting });
    expect(outcome).toEqual({
      applied: true,
      status: 'partial',
      message: 'Applied 1 file; 1 file in conflict, 1 file skipped',
      skippedPaths: ['missing.txt'],
      conflictPaths: ['src/app.txt'],
    });
    expect(readFileSync(join(repo, 'NEW.md'), 'utf8')).toBe('new\n');
    expect(readFileSync(join(repo, 'src', 'app.txt'), 'utf8')).toBe('one\ntwo\nthree\n');
  });

  it('a non-unified diff is refused and the tree is untouched', async () => {
    const repo = makeRepo();
    const before = treeHash(repo);
    const envelope = '*** Begin Patch\n*** Add File: x.txt\n+hi\n*** End Patch\n';
    for (const outcome of [
      await cloud.applyTaskPreflight('t', { cwd: repo, diffOverride: envelope }),
      await cloud.applyTask('t', { cwd: repo, diffOverride: envelope }),
    ]) {
      expect(outcome).toEqual({
        applied: false,
        status: 'error',
        message: NOT_UNIFIED_MESSAGE,
        skippedPaths: [],
        conflictPaths: [],
      });
    }
    expect(existsSync(join(repo, 'x.txt'))).toBe(false);
    expect(treeHash(repo)).toBe(before);
  });

  it('outside a git repository apply is a typed error', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'codex-ts-nogit-'));
    await expect(cloud.applyTask('t', { cwd: dir, diffOverride: conflicting })).rejects.toMatchObject({
      code: 'not_a_git_repository',
    });
  });

  it.each([
    ['a details body that is not JSON', { status: 200, body: '<html>oops</html>' }, 'invalid_response'],
    [
      'a details body without task',
      { status: 200, body: '{"current_diff_task_turn":{"id":"x"}}' },
      'invalid_response',
    ],
    ['a 500', { status: 500, body: 'boom' }, 'unexpected_status'],
  ])('%s → a typed error, nothing written to the tree', async (_, reply, code) => {
    const server = await startScriptedServer([reply]);
    try {
      const repo = makeRepo();
      const before = treeHash(repo);
      const broken = new HttpCloudBackend(
        new BackendClient({ baseUrl: `${server.url}/backend-api`, auth: recordingAuthProvider() }),
      );
      const error = await broken.applyTask('task_1', { cwd: repo }).catch((e: unknown) => e);
      expect(isBackendError(error) && error.code).toBe(code);
      expect(treeHash(repo)).toBe(before);
    } finally {
      await server.close();
    }
  });
});
