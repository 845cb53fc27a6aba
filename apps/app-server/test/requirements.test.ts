import { describe, expect, it } from 'vitest';
import {
  backendEnv,
  type DevBackend,
  type Harness,
  harness,
  tempHome,
  uniqueEmail,
  useDevBackend,
  writeChatgptAuth,
  writeConfig,
} from './support/fixture.js';

let backend: DevBackend;
useDevBackend((b) => {
  backend = b;
});

let h: Harness | undefined;

async function chatgpt(): Promise<Harness> {
  const home = tempHome();
  writeConfig(home, backend, true);
  writeChatgptAuth(home, await backend.issueTokens({ email: uniqueEmail() }));
  h = await harness(home, backendEnv(backend, home));
  await h.client.initialize();
  return h;
}

const PATH = '/backend-api/wham/config/requirements';

describe('configRequirements/read', () => {
  it('no managed requirements: null; read over the background task', async () => {
    const { client } = await chatgpt();
    expect(await client.result('configRequirements/read')).toEqual({
      requirements: null,
      supportsIndependentSpeedModes: null,
    });
    expect(backend.requests({ path: PATH }).map((r) => [r.status, r.authScheme, r.taskKind])).toEqual([
      [200, 'assertion', 'background'],
    ]);
  });

  it('managed requirements TOML as upstream’s camelCase requirements', async () => {
    const { client } = await chatgpt();
    const contents =
      'allowed_approval_policies = ["on-request", "never"]\nallowed_sandbox_modes = ["read-only"]\n';
    backend.injectFault({ path: PATH, status: 200, body: { contents } });
    expect(await client.result('configRequirements/read')).toEqual({
      requirements: { allowedApprovalPolicies: ['on-request', 'never'], allowedSandboxModes: ['read-only'] },
      supportsIndependentSpeedModes: null,
    });
  });

  it('requirements that are not TOML: -32603 naming the problem', async () => {
    const { client } = await chatgpt();
    backend.injectFault({ path: PATH, status: 200, body: { contents: 'allowed = [' } });
    const reply = await client.call('configRequirements/read');
    expect(reply.error?.code).toBe(-32603);
    expect(reply.error?.message).toMatch(/^failed to parse the managed requirements: /);
  });
});
