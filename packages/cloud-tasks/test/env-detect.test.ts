import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type CloudEnvironment,
  detectEnvironment,
  gitRemoteUrls,
  InMemoryCloudBackend,
  listAllEnvironments,
  parseGithubRemote,
  pickEnvironment,
} from '../src/index.js';
import { git, makeRepo } from './git-repo.js';

describe('GitHub remotes', () => {
  it.each([
    'https://github.com/openai/codex',
    'https://github.com/openai/codex.git',
    'https://github.com/openai/codex/',
    'http://github.com/openai/codex.git',
    'https://user:token@github.com/openai/codex.git',
    'ssh://git@github.com/openai/codex.git',
    'ssh://git@github.com:22/openai/codex',
    'git+ssh://git@github.com/openai/codex.git',
    'git://github.com/openai/codex.git',
    'git@github.com:openai/codex.git',
    'git@github.com:openai/codex',
    'github.com:openai/codex.git',
    '  git@github.com:openai/codex.git\n',
  ])('%s → openai/codex', (url) => {
    expect(parseGithubRemote(url)).toEqual({ owner: 'openai', repo: 'codex' });
  });

  it.each([
    'https://gitlab.com/openai/codex.git',
    'git@gitlab.com:openai/codex.git',
    'https://github.com/openai',
    'https://github.com/openai/codex/tree/main',
    '/srv/git/codex.git',
    'file:///srv/git/codex.git',
    'not a url',
  ])('%s is not a GitHub repository', (url) => {
    expect(parseGithubRemote(url)).toBeUndefined();
  });

  it('reads remotes from git config, origin first', async () => {
    const dir = makeRepo();
    git(dir, 'remote', 'add', 'upstream', 'git@github.com:up/stream.git');
    git(dir, 'remote', 'add', 'origin', 'https://github.com/me/fork.git');
    expect(await gitRemoteUrls(dir)).toEqual([
      'https://github.com/me/fork.git',
      'git@github.com:up/stream.git',
    ]);
  });

  it('falls back to `git remote -v` when git config lists no remote URL', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'codex-ts-fake-git-'));
    const script = [
      '#!/bin/sh',
      'if [ "$1" = "config" ]; then exit 1; fi',
      'if [ "$1" = "remote" ] && [ "$2" = "-v" ]; then',
      "  printf 'backup\\tgit@github.com:b/backup.git (fetch)\\nbackup\\tgit@github.com:b/backup.git (push)\\n'",
      "  printf 'origin\\thttps://github.com/o/main (fetch)\\norigin\\thttps://github.com/o/main (push)\\n'",
      '  exit 0',
      'fi',
      'exit 2',
      '',
    ].join('\n');
    writeFileSync(join(bin, 'git'), script);
    chmodSync(join(bin, 'git'), 0o755);
    const path = process.env.PATH;
    process.env.PATH = `${bin}${delimiter}${path}`;
    try {
      expect(await gitRemoteUrls(tmpdir())).toEqual([
        'https://github.com/o/main',
        'git@github.com:b/backup.git',
      ]);
    } finally {
      process.env.PATH = path;
    }
  });
});

const env = (id: string, extra: Partial<CloudEnvironment> = {}): CloudEnvironment => ({
  id,
  label: id.toUpperCase(),
  isPinned: false,
  taskCount: undefined,
  ...extra,
});

describe('the pick order', () => {
  it.each([
    ['label match first', [env('a', { isPinned: true }), env('b')], 'b', 'b'],
    ['label match is case-insensitive', [env('a'), env('b')], 'B', 'b'],
    ['then the only one', [env('a')], 'zzz', 'a'],
    ['then the pinned one', [env('a', { taskCount: 9 }), env('b', { isPinned: true })], undefined, 'b'],
    [
      'then the most tasks',
      [env('a', { taskCount: 1 }), env('b', { taskCount: 5 }), env('c')],
      undefined,
      'b',
    ],
    ['then the first', [env('a'), env('b')], undefined, 'a'],
  ])('%s', (_, rows, label, expected) => {
    expect(pickEnvironment(rows, label)?.id).toBe(expected);
  });

  it('nothing to pick from', () => {
    expect(pickEnvironment([])).toBeUndefined();
  });
});

describe('detection', () => {
  it('asks by-repo for the origin first, then falls back to the global list', async () => {
    const dir = makeRepo();
    git(dir, 'remote', 'add', 'origin', 'git@github.com:Octo/Demo.git');
    const backend = new InMemoryCloudBackend({
      environments: [env('global_1'), env('global_2', { isPinned: true })],
      environmentsByRepo: { 'octo/demo': [env('repo_1', { taskCount: 1 }), env('repo_2', { taskCount: 3 })] },
    });
    expect((await detectEnvironment(backend, { cwd: dir })).id).toBe('repo_2');
    expect((await detectEnvironment(backend, { cwd: dir, label: 'REPO_1' })).id).toBe('repo_1');
    expect((await listAllEnvironments(backend, { cwd: dir })).map((e) => e.id)).toEqual([
      'global_2',
      'global_1',
      'repo_1',
      'repo_2',
    ]);

    const other = makeRepo();
    git(other, 'remote', 'add', 'origin', 'https://github.com/someone/else');
    expect((await detectEnvironment(backend, { cwd: other })).id).toBe('global_2');
  });

  it('no environment at all is a typed error', async () => {
    const backend = new InMemoryCloudBackend({ environments: [] });
    await expect(detectEnvironment(backend, { cwd: makeRepo() })).rejects.toMatchObject({
      name: 'CloudTaskError',
      code: 'no_environment',
    });
  });
});
