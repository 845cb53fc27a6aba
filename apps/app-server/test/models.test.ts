import { BUNDLED_MODELS } from '@codex-ts/model-provider';
import { describe, expect, it } from 'vitest';
import { useDevWorld } from './support/dev-world.js';

const world = useDevWorld();

describe('model/list', () => {
  it('ChatGPT auth: the backend models as upstream Models, paginated, over the background task', async () => {
    const h = await world.server({ flag: true });
    const page = await h.client.result('model/list', { limit: 1 });
    expect(page).toEqual({
      data: [
        {
          id: 'dev-echo',
          model: 'dev-echo',
          displayName: 'Dev echo',
          description: 'Deterministic echo model served by the codex-ts dev backend',
          hidden: false,
          isDefault: true,
          defaultReasoningEffort: 'medium',
          supportedReasoningEfforts: expect.arrayContaining([
            { reasoningEffort: 'high', description: 'Greater reasoning depth for complex problems' },
          ]),
          inputModalities: ['text', 'image'],
          upgrade: null,
          upgradeInfo: null,
          availabilityNux: null,
          modelSpecialty: null,
          supportsPersonality: false,
          multiAgentVersion: null,
          additionalSpeedTiers: ['fast'],
          serviceTiers: [
            {
              id: 'priority',
              name: 'Fast',
              description: 'Faster responses, more of the usage limit per turn',
            },
          ],
          defaultServiceTier: null,
          availableAccessPrograms: null,
        },
      ],
      nextCursor: '1',
    });
    const rest = await h.client.result<{ data: Array<{ id: string; isDefault: boolean }> }>('model/list', {
      cursor: '1',
    });
    expect(rest).toEqual({
      data: [
        expect.objectContaining({
          id: 'dev-echo-mini',
          isDefault: false,
          upgrade: 'dev-echo',
          upgradeInfo: {
            model: 'dev-echo',
            upgradeCopy: null,
            modelLink: null,
            migrationMarkdown: 'Dev echo mini is being retired: switch to dev-echo.',
            retirementAt: null,
          },
          additionalSpeedTiers: [],
          serviceTiers: [],
        }),
      ],
      nextCursor: null,
    });
    const calls = world.backend.requests({ path: '/backend-api/codex/models' });
    expect(calls.map((r) => [r.status, r.authScheme, r.taskKind])).toEqual([
      [200, 'assertion', 'background'],
    ]);
  });

  it('API key: the bundled list, and the ChatGPT backend is not asked', async () => {
    const h = await world.server({ signedIn: false });
    await h.client.result('account/login/start', { type: 'apiKey', apiKey: 'sk-models' });
    const all = await h.client.result<{ data: Array<{ id: string }> }>('model/list', { includeHidden: true });
    expect(all.data.map((m) => m.id).sort()).toEqual(BUNDLED_MODELS.map((m) => m.slug).sort());
    expect(world.backend.requests()).toEqual([]);
  });
});
