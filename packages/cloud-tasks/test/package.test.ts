import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  compile,
  dependencyRuleViolations,
  installPacked,
  linkDependency,
  packedFiles,
  publishingProblems,
  repoRoot,
  strictConsumer,
} from '../../../scripts/package-check.mjs';

const here = join(repoRoot, 'packages', 'cloud-tasks');

describe('@codex-ts/cloud-tasks as published', () => {
  it('stands on auth-provider, never on login or the dev backend (dependencies and src imports)', () => {
    expect(dependencyRuleViolations(here)).toEqual([]);
  });

  it('ships what a registry user needs and nothing that points at missing files', { timeout: 60_000 }, () => {
    const files = packedFiles(here);
    expect(publishingProblems(here, files)).toEqual([]);
    expect(files.filter((f) => !f.startsWith('dist/'))).toEqual(['LICENSE', 'README.md', 'package.json']);
    expect(files.filter((f) => f.endsWith('.map') || f.includes('.test.'))).toEqual([]);
  });

  it('a strict TypeScript consumer (skipLibCheck off) compiles against it and backend-client, packed', {
    timeout: 120_000,
  }, () => {
    const consumer = strictConsumer(`
import { bearerAuthProvider } from '@codex-ts/auth-provider';
import { BackendClient, type BackendError, isBackendError, unifiedDiff } from '@codex-ts/backend-client';
import { type ApplyOutcome, detectEnvironment, HttpCloudBackend, InMemoryCloudBackend } from '@codex-ts/cloud-tasks';
import { EXIT, runCloudCli } from '@codex-ts/cloud-tasks/cli';

const client = new BackendClient({ baseUrl: 'https://chatgpt.com', auth: bearerAuthProvider({ token: 't' }) });
const cloud = new HttpCloudBackend(client);
const outcome: ApplyOutcome = await new InMemoryCloudBackend().applyTaskPreflight('x', { cwd: '/tmp' });
const error: BackendError | undefined = undefined;
export const used = [cloud, outcome.status, error, isBackendError, unifiedDiff, detectEnvironment, EXIT.ok, runCloudCli];
`);
    for (const pkg of ['cloud-tasks', 'backend-client', 'auth-provider'])
      installPacked(join(repoRoot, 'packages', pkg), consumer);
    linkDependency('zod', join(repoRoot, 'packages', 'backend-client'), consumer);
    linkDependency('@types/node', here, consumer);
    expect(compile(consumer)).toBe('');
  });
});
