import { type DevBackend, startDevBackend } from '@codex-ts/dev-backend';
import { agentTestAccount } from '@codex-ts/dev-backend/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackendClient } from '../src/index.js';

describe('usage status and reset credits against the dev backend', () => {
  let backend: DevBackend;
  beforeAll(async () => {
    backend = await startDevBackend();
  });
  afterAll(() => backend.close());

  async function clientFor(plan: string) {
    const account = await agentTestAccount(backend, { email: `${plan}@example.com`, plan });
    return {
      accountId: account.accountId,
      client: new BackendClient({ baseUrl: backend.chatgptBaseUrl, auth: account.bearer }),
    };
  }

  it('a plus account: its account id, usage allowed, spend control not reached, no individual limit', async () => {
    const { client, accountId } = await clientFor('plus');
    const status = await client.getUsageStatus();
    expect({ ...status, snapshots: undefined }).toEqual({
      snapshots: undefined,
      accountId,
      ordinaryUsageAllowed: true,
      upsell: undefined,
    });
    expect(status.snapshots[0]).toMatchObject({
      limitId: 'codex',
      planType: 'plus',
      normalModelSlug: undefined,
      spendControlReached: false,
      individualLimit: undefined,
    });
    expect(await client.getRateLimitResetCredits()).toEqual({ availableCount: 0, credits: [] });
  });

  it('a business member: the individual share of the workspace credits, nothing spent', async () => {
    const { client } = await clientFor('business');
    const [codex] = (await client.getUsageStatus()).snapshots;
    expect(codex?.individualLimit).toEqual({
      limit: '100',
      used: '0',
      remainingPercent: 100,
      resetsAt: expect.any(Number),
    });
    expect(codex?.spendControlReached).toBe(false);
  });
});
