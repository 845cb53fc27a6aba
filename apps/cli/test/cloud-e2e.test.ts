import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DevBackend, startDevBackend } from '@codex-ts/dev-backend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codexHome, makeRepo, run, treeHash } from './helpers.js';

describe.each([
  { flag: true, scheme: 'assertion' },
  { flag: false, scheme: 'bearer' },
] as const)(
  'codex-ts cloud with login’s default provider, use_agent_identity = $flag',
  ({ flag, scheme }) => {
    let backend: DevBackend;
    let env: NodeJS.ProcessEnv;

    beforeAll(async () => {
      backend = await startDevBackend();
      env = { CODEX_HOME: await codexHome(backend, flag, `cli-${flag}@example.com`) };
    });
    afterAll(() => backend.close());

    it('exec → list → diff → apply --preflight → apply in a temp repo, every backend call on the right scheme', async () => {
      const repo = makeRepo();
      const exec = await run(['cloud', 'exec', '--env', 'dev-backend', 'write notes', '--json'], env, repo);
      expect(exec.code).toBe(0);
      const { id, environment } = JSON.parse(exec.stdout);
      expect(environment).toEqual({ id: 'env_dev', label: 'dev-backend', isPinned: true, taskCount: 0 });

      const list = await run(['cloud', 'list', '--json'], env, repo);
      expect(list.code).toBe(0);
      expect(JSON.parse(list.stdout).tasks.map((t: { id: string }) => t.id)).toEqual([id]);

      const diff = await run(['cloud', 'diff', id], env, repo);
      expect(diff.stdout).toContain('+++ b/DEV_BACKEND.md');

      const before = treeHash(repo);
      const preflight = await run(['cloud', 'apply', id, '--preflight'], env, repo);
      expect([preflight.code, preflight.stdout]).toEqual([
        0,
        'success: Preflight passed: 1 file would apply cleanly\n',
      ]);
      expect(treeHash(repo)).toBe(before);

      const apply = await run(['cloud', 'apply', id, '--json'], env, repo);
      expect(apply.code).toBe(0);
      expect(JSON.parse(apply.stdout)).toEqual({
        applied: true,
        status: 'success',
        message: 'Applied 1 file cleanly',
        skippedPaths: [],
        conflictPaths: [],
      });
      expect(existsSync(join(repo, 'DEV_BACKEND.md'))).toBe(true);

      const again = await run(['cloud', 'apply', id], env, repo);
      expect([again.code, again.stdout]).toEqual([
        3,
        'error: Nothing applied: 1 file in conflict\n  conflict: DEV_BACKEND.md\n',
      ]);

      const calls = backend.requests().filter((r) => r.path.startsWith('/backend-api/wham/'));
      expect(calls.map((r) => r.method)).toEqual(['GET', 'POST', 'GET', 'GET', 'GET', 'GET', 'GET']);
      expect(calls.filter((r) => r.authScheme !== scheme || r.status !== 200)).toEqual([]);
      if (flag) expect(new Set(calls.map((r) => r.taskKind))).toEqual(new Set(['background']));
    });

    it('CODEX_CLOUD_TASKS_BASE_URL points the command at another backend than config.toml', async () => {
      const home = await codexHome(backend, flag, `override-${flag}@example.com`);
      writeFileSync(
        join(home, 'config.toml'),
        `chatgpt_base_url = "http://127.0.0.1:9/backend-api"\n[features]\nuse_agent_identity = ${flag}\n`,
      );
      const envs = await run(
        ['cloud', 'envs', '--json'],
        { CODEX_HOME: home, CODEX_CLOUD_TASKS_BASE_URL: backend.chatgptBaseUrl },
        makeRepo(),
      );
      expect(envs.code).toBe(0);
      expect(JSON.parse(envs.stdout).environments.map((e: { id: string }) => e.id)).toEqual(['env_dev']);
    });
  },
);
