import type { CallOptions, CloudBackend } from './cloud-backend.js';
import { CloudTaskError } from './errors.js';
import { runGit } from './git.js';
import type { CloudEnvironment } from './types.js';

export interface GithubRepo {
  readonly owner: string;
  readonly repo: string;
}

const NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * The GitHub owner and repository of a remote URL, in any form git accepts: `https://github.com/o/r(.git)`,
 * `http://`, `https://user:token@github.com/…`, `ssh://git@github.com[:22]/o/r`, `git://github.com/o/r`,
 * `git@github.com:o/r(.git)`, `github.com:o/r`. Anything else (another host, a path) is `undefined`.
 */
export function parseGithubRemote(url: string): GithubRepo | undefined {
  const text = url.trim();
  let path: string | undefined;
  const scp = /^(?:[^@/\s]+@)?github\.com:(?!\/)(.+)$/i.exec(text);
  if (scp) {
    path = scp[1];
  } else {
    let parsed: URL;
    try {
      parsed = new URL(text);
    } catch {
      return undefined;
    }
    if (!['https:', 'http:', 'ssh:', 'git:', 'git+ssh:'].includes(parsed.protocol)) return undefined;
    if (parsed.hostname.toLowerCase() !== 'github.com' && parsed.hostname.toLowerCase() !== 'www.github.com')
      return undefined;
    path = decodeURIComponent(parsed.pathname);
  }
  const parts = (path ?? '').replace(/^\/+/, '').replace(/\/+$/, '').split('/');
  if (parts.length !== 2) return undefined;
  const owner = parts[0]!;
  const repo = parts[1]!.replace(/\.git$/i, '');
  return NAME.test(owner) && NAME.test(repo) && repo !== '' ? { owner, repo } : undefined;
}

/**
 * The remote URLs of the repository at `cwd`, `origin` first: `git config --get-regexp remote\..*\.url`, or
 * `git remote -v` when that lists nothing. Outside a repository: none.
 */
export async function gitRemoteUrls(cwd: string): Promise<string[]> {
  const named: Array<[string, string]> = [];
  const config = await runGit(['config', '--get-regexp', 'remote\\..*\\.url'], cwd);
  if (config.code === 0) {
    for (const line of config.stdout.split('\n')) {
      const match = /^remote\.(.+)\.url\s+(\S+)$/.exec(line.trim());
      if (match) named.push([match[1]!, match[2]!]);
    }
  }
  if (named.length === 0) {
    const remote = await runGit(['remote', '-v'], cwd);
    if (remote.code === 0) {
      for (const line of remote.stdout.split('\n')) {
        const match = /^(\S+)\s+(\S+)/.exec(line.trim());
        if (match && !named.some(([n, u]) => n === match[1] && u === match[2]))
          named.push([match[1]!, match[2]!]);
      }
    }
  }
  named.sort(([a], [b]) => (a === 'origin' ? -1 : b === 'origin' ? 1 : 0));
  return named.map(([, url]) => url);
}

/**
 * The environment to use among `rows`: the one whose label matches `label` (case-insensitive), else the only
 * one, else the pinned one, else the one with the most tasks, else the first.
 */
export function pickEnvironment(
  rows: readonly CloudEnvironment[],
  label?: string | undefined,
): CloudEnvironment | undefined {
  if (label) {
    const wanted = label.toLowerCase();
    const match = rows.find((row) => row.label?.toLowerCase() === wanted);
    if (match) return match;
  }
  if (rows.length === 1) return rows[0];
  const pinned = rows.find((row) => row.isPinned);
  if (pinned) return pinned;
  let best: CloudEnvironment | undefined;
  for (const row of rows) {
    if (row.taskCount !== undefined && (best === undefined || row.taskCount > (best.taskCount ?? -1)))
      best = row;
  }
  return best ?? rows[0];
}

/** The GitHub repositories of the repository at `cwd`, origin first, each once. */
export async function githubRepos(cwd: string): Promise<GithubRepo[]> {
  const repos: GithubRepo[] = [];
  for (const url of await gitRemoteUrls(cwd)) {
    const repo = parseGithubRemote(url);
    if (repo && !repos.some((r) => r.owner === repo.owner && r.repo === repo.repo)) repos.push(repo);
  }
  return repos;
}

/**
 * The environment for the repository at `cwd`: each GitHub remote's `environments/by-repo` list, then the
 * global `environments` list, picked by `pickEnvironment`. `no_environment` when every list is empty.
 */
export async function detectEnvironment(
  backend: CloudBackend,
  options: CallOptions & { cwd: string; label?: string | undefined },
): Promise<CloudEnvironment> {
  for (const { owner, repo } of await githubRepos(options.cwd)) {
    const picked = pickEnvironment(await backend.listEnvironmentsByRepo(owner, repo, options), options.label);
    if (picked) return picked;
  }
  const picked = pickEnvironment(await backend.listEnvironments(options), options.label);
  if (!picked)
    throw new CloudTaskError('no_environment', 'no cloud environment is available for this account');
  return picked;
}

/** Every environment the repository at `cwd` can use: by-repo lists and the global list merged by id. */
export async function listAllEnvironments(
  backend: CloudBackend,
  options: CallOptions & { cwd: string },
): Promise<CloudEnvironment[]> {
  const byId = new Map<string, CloudEnvironment>();
  for (const { owner, repo } of await githubRepos(options.cwd)) {
    for (const row of await backend.listEnvironmentsByRepo(owner, repo, options)) byId.set(row.id, row);
  }
  for (const row of await backend.listEnvironments(options)) if (!byId.has(row.id)) byId.set(row.id, row);
  return [...byId.values()].sort(
    (a, b) =>
      Number(b.isPinned) - Number(a.isPinned) ||
      (a.label ?? '').localeCompare(b.label ?? '') ||
      a.id.localeCompare(b.id),
  );
}
