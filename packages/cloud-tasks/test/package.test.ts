import { join } from 'node:path';
import { expect, it } from 'vitest';
import {
  compile,
  installPacked,
  linkDependency,
  repoRoot,
  strictConsumer,
} from '../../../scripts/package-check.mjs';
import { describeCallSitePackage } from '../../../scripts/package-suite.mjs';

describeCallSitePackage('cloud-tasks', (here) => {
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
