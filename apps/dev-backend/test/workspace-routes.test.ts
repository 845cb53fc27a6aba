import { describe, expect, it } from 'vitest';
import { MODELS } from '../src/index.js';
import { assertionHeader, backend, json, postJson } from './helpers.js';

// What upstream Codex 0.169 needs from the dev backend (issue 8 §2); tests/upstream-interop drives the real binary.

describe('workspace routing and the small routes upstream calls', () => {
  it('GET wham/accounts/check lists the caller’s workspace; its origin is NO_CONSTRAINT over plain HTTP', async () => {
    const b = await backend();
    const tokens = await b.issueTokens({ email: 'dev@example.com', plan: 'plus' });
    const res = await fetch(`${b.chatgptBaseUrl}/wham/accounts/check`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(res.status).toBe(200);
    const userId = b.users()[0]!.userId;
    expect(await json(res)).toEqual({
      accounts: [
        {
          id: tokens.account_id,
          account_user_id: `${userId}__${tokens.account_id}`,
          account_user_role: 'account-owner',
          structure: 'personal',
          plan_type: 'plus',
          is_zdr: false,
          is_openai_internal: false,
          workspace_backend_origin: 'NO_CONSTRAINT',
          account_routing_override: 'NO_CONSTRAINT',
        },
      ],
      default_account_id: tokens.account_id,
      account_ordering: [tokens.account_id],
    });
  });

  it.each([
    ['/wham/settings/user', { commit_attribution_enabled: false }],
    ['/wham/rate-limit-reset-credits', { credits: [], available_count: 0, total_earned_count: 0 }],
    [
      '/ps/plugins/installed?includeExtensions=true&limit=200',
      { plugins: [], pagination: { next_page_token: null } },
    ],
    ['/ps/plugins/suggested/codex?scope=GLOBAL', { enabled: true, plugins: [] }],
  ])('GET %s answers a small valid body, with an assertion as with a bearer', async (path, body) => {
    const b = await backend();
    const tokens = await b.issueTokens();
    for (const authorization of [`Bearer ${tokens.access_token}`, await assertionHeader(b)]) {
      const res = await fetch(`${b.chatgptBaseUrl}${path}`, { headers: { authorization } });
      expect([res.status, await json(res)]).toEqual([200, body]);
    }
    const anonymous = await fetch(`${b.chatgptBaseUrl}${path}`);
    expect(anonymous.status).toBe(401);
  });

  it('every model carries model_messages.instructions_template', async () => {
    const b = await backend();
    const tokens = await b.issueTokens();
    const res = await fetch(`${b.chatgptBaseUrl}/codex/models?client_version=0.169.0`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    const { models } = await json(res);
    expect(models.map((m: { slug: string }) => m.slug)).toEqual(MODELS.map((m) => m.slug));
    for (const model of models) {
      expect(model.model_messages).toEqual({ instructions_template: expect.stringMatching(/\S/) });
    }
  });

  it('the device-code response names the user code once (`user_code`), as upstream rejects a duplicate', async () => {
    const b = await backend();
    const res = await postJson(`${b.url}/api/accounts/deviceauth/usercode`, { client_id: 'app_test' });
    expect(Object.keys(await json(res)).sort()).toEqual([
      'device_auth_id',
      'expires_at',
      'interval',
      'user_code',
      'verification_uri',
    ]);
  });
});
