import { describe, expect, it } from 'vitest';
import { useDevWorld } from './support/dev-world.js';

const world = useDevWorld();

const PATH = '/backend-api/wham/config/requirements';

describe('configRequirements/read', () => {
  it('no managed requirements: null; read over the background task', async () => {
    const { client } = await world.server({ flag: true });
    expect(await client.result('configRequirements/read')).toEqual({
      requirements: null,
      supportsIndependentSpeedModes: null,
    });
    expect(world.backend.requests({ path: PATH }).map((r) => [r.status, r.authScheme, r.taskKind])).toEqual([
      [200, 'assertion', 'background'],
    ]);
  });

  it('managed requirements TOML as upstream’s camelCase requirements', async () => {
    const { client } = await world.server({ flag: true });
    const contents =
      'allowed_approval_policies = ["on-request", "never"]\nallowed_sandbox_modes = ["read-only"]\n';
    world.backend.injectFault({ path: PATH, status: 200, body: { contents } });
    expect(await client.result('configRequirements/read')).toEqual({
      requirements: { allowedApprovalPolicies: ['on-request', 'never'], allowedSandboxModes: ['read-only'] },
      supportsIndependentSpeedModes: null,
    });
  });

  it('requirements that are not TOML: -32603 naming the problem', async () => {
    const { client } = await world.server({ flag: true });
    world.backend.injectFault({ path: PATH, status: 200, body: { contents: 'allowed = [' } });
    const reply = await client.call('configRequirements/read');
    expect(reply.error?.code).toBe(-32603);
    expect(reply.error?.message).toMatch(/^failed to parse the managed requirements: /);
  });
});
