import { describe, expect, it } from 'vitest';
import { modelInfoSchema } from '../src/index.js';

const base = { slug: 'gpt-x', display_name: 'GPT X', priority: 1, visibility: 'list' };

describe('model info: the catalog fields model/list reports', () => {
  it('reads upgrade, service tiers, availability notice, access programs, specialty and multi-agent version', () => {
    const catalog = {
      upgrade: {
        model: 'gpt-y',
        migration_markdown: 'Move to Y',
        upgrade_copy: 'Try Y',
        model_link: 'https://y',
        retirement_at: 1800000000,
      },
      additional_speed_tiers: ['fast'],
      service_tiers: [{ id: 'priority', name: 'Fast', description: 'Quicker' }],
      default_service_tier: 'priority',
      availability_nux: { message: 'Now available' },
      available_access_programs: { cyber: ['standard'] },
      model_specialty: 'coding',
      multi_agent_version: 'v2',
    };
    // A deep copy in: what comes out is the catalog as sent, nothing dropped or renamed.
    const info = modelInfoSchema.parse(structuredClone({ ...base, ...catalog }));
    expect(info).toEqual({ ...base, ...catalog });
  });

  it('a catalog field of the wrong shape fails the model', () => {
    for (const bad of [
      { upgrade: 'gpt-y' },
      { service_tiers: [{ id: 'priority' }] },
      { availability_nux: 'hi' },
      { multi_agent_version: 'v9' },
    ]) {
      expect(modelInfoSchema.safeParse({ ...base, ...bad }).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
