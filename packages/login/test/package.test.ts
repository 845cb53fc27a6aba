import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  compile,
  installPacked,
  linkDependency,
  repoRoot,
  strictConsumer,
} from '../../../scripts/package-check.mjs';
import { itShipsCleanPack } from '../../../scripts/package-suite.mjs';

const here = join(repoRoot, 'packages', 'login');

describe('@codex-ts/login as published', () => {
  itShipsCleanPack(here, { bins: ['bin/codex-ts-login.js'] });

  it('a strict TypeScript consumer (skipLibCheck off) compiles against the packed package', {
    timeout: 120_000,
  }, () => {
    const consumer = strictConsumer(`
import { AuthManager, AuthFileError, FileAuthStore, type AuthStatus } from '@codex-ts/login';
import { fetchWithAuth } from '@codex-ts/auth-provider';

const manager = await AuthManager.create({ codexHome: '/tmp/none' });
const status: AuthStatus = await manager.status();
const store = new FileAuthStore('/tmp/none', { lockTimeoutMs: 0 });
export const used = [status.loggedIn, store.location, AuthFileError, fetchWithAuth, manager.defaultProvider()];
`);
    for (const pkg of ['login', 'auth-provider', 'agent-identity', 'config'])
      installPacked(join(repoRoot, 'packages', pkg), consumer);
    // Their registry dependencies, from the workspace install (no network).
    for (const dep of ['zod', 'undici', 'pino', 'proper-lockfile']) linkDependency(dep, here, consumer);
    linkDependency('smol-toml', join(repoRoot, 'packages', 'config'), consumer);
    linkDependency('libsodium-wrappers', join(repoRoot, 'packages', 'agent-identity'), consumer);
    linkDependency('@types/node', here, consumer);
    expect(compile(consumer)).toBe('');
  });
});
