import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useDevWorld } from './support/dev-world.js';
import { uniqueEmail } from './support/fixture.js';

const world = useDevWorld();

describe('account/read', () => {
  it('logged out: account null, OpenAI auth required', async () => {
    const { client } = await world.server({ signedIn: false });
    expect(await client.result('account/read', {})).toEqual({
      account: null,
      requiresOpenaiAuth: true,
      userId: null,
      workspaceRouting: null,
    });
  });

  it('ChatGPT auth: email and plan from the ID token, routing to the configured backend; account/updated after initialize', async () => {
    const home = await world.home({ signedIn: false });
    const email = uniqueEmail();
    const tokens = await world.signIn(home, { email, plan: 'pro' });
    const h = await world.server({ home });
    expect((await h.client.next('account/updated')).params).toEqual({ authMode: 'chatgpt', planType: 'pro' });
    const user = world.backend.users().find((u) => u.email === email)!;
    expect(await h.client.result('account/read', { refreshToken: true })).toEqual({
      account: { type: 'chatgpt', email, planType: 'pro', workspaceName: null },
      requiresOpenaiAuth: true,
      userId: user.userId,
      workspaceRouting: {
        chatgptAccountId: tokens.account_id,
        backendOrigin: new URL(world.backend.chatgptBaseUrl).origin,
        accountRoutingOverride: 'NO_CONSTRAINT',
      },
    });
    expect(world.backend.requests({ path: '/oauth/token' })).toHaveLength(1);
  });
});

describe('account/login/start', () => {
  it('apiKey: stored in auth.json, then login/completed and account/updated', async () => {
    const { client, home } = await world.server({ signedIn: false });
    expect(await client.result('account/login/start', { type: 'apiKey', apiKey: 'sk-test-key' })).toEqual({
      type: 'apiKey',
    });
    expect((await client.next('account/login/completed')).params).toEqual({
      loginId: null,
      success: true,
      error: null,
      onboardingEntrypoint: null,
    });
    expect((await client.next('account/updated')).params).toEqual({ authMode: 'apikey', planType: null });
    expect(JSON.parse(readFileSync(join(home, 'auth.json'), 'utf8'))).toMatchObject({
      auth_mode: 'apikey',
      OPENAI_API_KEY: 'sk-test-key',
    });
    expect(await client.result('account/read', {})).toEqual({
      account: { type: 'apiKey' },
      requiresOpenaiAuth: true,
      userId: null,
      workspaceRouting: null,
    });
  });

  it('chatgptAuthTokens: held in memory, never written; a non-JWT is -32603', async () => {
    const { client, home } = await world.server({ signedIn: false });
    expect(
      (
        await client.call('account/login/start', {
          type: 'chatgptAuthTokens',
          accessToken: 'nope',
          chatgptAccountId: 'a',
        })
      ).error,
    ).toEqual({ code: -32603, message: 'failed to set external auth: invalid ID token format' });
    const tokens = await world.backend.issueTokens({ email: uniqueEmail(), plan: 'team' });
    expect(
      await client.result('account/login/start', {
        type: 'chatgptAuthTokens',
        accessToken: tokens.access_token,
        chatgptAccountId: tokens.account_id,
      }),
    ).toEqual({ type: 'chatgptAuthTokens' });
    expect((await client.next('account/updated')).params).toMatchObject({ authMode: 'chatgptAuthTokens' });
    expect(existsSync(join(home, 'auth.json'))).toBe(false);
  });

  it('chatgpt: the browser flow with PKCE and the loopback callback, against the dev sign-in page', async () => {
    const h = await world.server({ signedIn: false });
    const { client, home } = h;
    const started = await client.result<{ type: string; loginId: string; authUrl: string }>(
      'account/login/start',
      { type: 'chatgpt' },
    );
    expect(started.type).toBe('chatgpt');
    const authUrl = new URL(started.authUrl);
    expect(authUrl.origin + authUrl.pathname).toBe(`${world.backend.issuer}/oauth/authorize`);
    expect(authUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authUrl.searchParams.get('originator')).toBe('codex_ts_test');
    // The person signs in on the dev page; the page redirects to our loopback callback.
    const form = new URLSearchParams(authUrl.searchParams);
    const email = uniqueEmail();
    form.set('email', email);
    form.set('plan', 'plus');
    const signIn = await fetch(`${world.backend.issuer}/oauth/authorize`, {
      method: 'POST',
      body: form,
      redirect: 'manual',
    });
    expect(signIn.status).toBe(302);
    const callback = await fetch(signIn.headers.get('location')!);
    expect(callback.status).toBe(200);
    expect((await client.next('account/login/completed')).params).toEqual({
      loginId: started.loginId,
      success: true,
      error: null,
      onboardingEntrypoint: null,
    });
    expect((await client.next('account/updated')).params).toEqual({ authMode: 'chatgpt', planType: 'plus' });
    expect((await client.result('account/read', {})).account).toEqual({
      type: 'chatgpt',
      email,
      planType: 'plus',
      workspaceName: null,
    });
    const stored = JSON.parse(readFileSync(join(home, 'auth.json'), 'utf8'));
    expect(stored.tokens.refresh_token).toEqual(expect.any(String));
    // Logs (debug level, JSON) and every message sent carry no credential.
    const seen = h.logs.join('') + JSON.stringify(client.raw);
    for (const secret of [stored.tokens.refresh_token, stored.tokens.access_token, stored.tokens.id_token]) {
      expect(seen).not.toContain(secret);
    }
    expect(h.logs.join('')).not.toContain(authUrl.searchParams.get('state'));
  });

  it('chatgpt: a callback with the wrong state is refused and the login stays open; cancel ends it', async () => {
    const { client } = await world.server({ signedIn: false });
    const started = await client.result<{ loginId: string; authUrl: string }>('account/login/start', {
      type: 'chatgpt',
    });
    const redirect = new URL(new URL(started.authUrl).searchParams.get('redirect_uri')!);
    redirect.searchParams.set('code', 'ac_x');
    redirect.searchParams.set('state', 'forged');
    expect((await fetch(redirect)).status).toBe(400);
    expect(await client.result('account/login/cancel', { loginId: started.loginId })).toEqual({
      status: 'canceled',
    });
    expect((await client.next('account/login/completed')).params).toEqual({
      loginId: started.loginId,
      success: false,
      error: 'Login server error: Login was not completed',
      onboardingEntrypoint: null,
    });
    expect(await client.result('account/login/cancel', { loginId: started.loginId })).toEqual({
      status: 'notFound',
    });
    expect((await client.call('account/login/cancel', { loginId: 'abc' })).error).toEqual({
      code: -32600,
      message: 'invalid login id: abc',
    });
  });

  it('chatgptDeviceCode: user code, approval on the dev page, then signed in', async () => {
    const { client } = await world.server({ signedIn: false });
    const started = await client.result<{ loginId: string; verificationUrl: string; userCode: string }>(
      'account/login/start',
      { type: 'chatgptDeviceCode' },
    );
    expect(started.verificationUrl).toBe(`${world.backend.issuer}/codex/device`);
    const email = uniqueEmail();
    const approve = await fetch(started.verificationUrl, {
      method: 'POST',
      body: new URLSearchParams({ user_code: started.userCode, email }),
    });
    expect(approve.status).toBe(200);
    expect((await client.next('account/login/completed')).params).toEqual({
      loginId: started.loginId,
      success: true,
      error: null,
      onboardingEntrypoint: null,
    });
    expect((await client.result('account/read', {})).account).toMatchObject({ type: 'chatgpt', email });
  });
});

describe('account/logout', () => {
  it('revokes the refresh token at the issuer, removes auth.json, and says so', async () => {
    const home = await world.home({ signedIn: false });
    const tokens = await world.signIn(home);
    const h = await world.server({ home });
    await h.client.next('account/updated');
    expect(await h.client.result('account/logout')).toEqual({});
    expect((await h.client.next('account/updated')).params).toEqual({ authMode: null, planType: null });
    expect(world.backend.requests({ path: '/oauth/revoke' }).map((r) => r.status)).toEqual([200]);
    expect(existsSync(join(home, 'auth.json'))).toBe(false);
    const refresh = await fetch(world.backend.tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token,
        client_id: 'x',
      }),
    });
    expect(refresh.status).toBe(401);
  });
});

describe('account/agentIdentity/read (experimental)', () => {
  it('reports the identity state and never a secret', async () => {
    const h = await world.server({ flag: true, experimentalApi: true });
    expect(await h.client.result('account/agentIdentity/read')).toEqual({
      enabled: true,
      state: 'unregistered',
      agentRuntimeId: null,
      backgroundTask: false,
      fallbackReason: null,
      fallbackSince: null,
    });
    await h.server.context.auth.prewarmAgentIdentity();
    const after = await h.client.result('account/agentIdentity/read');
    expect(after).toEqual({
      enabled: true,
      state: 'active',
      agentRuntimeId: world.backend.identities()[world.backend.identities().length - 1]!.agentRuntimeId,
      backgroundTask: true,
      fallbackReason: null,
      fallbackSince: null,
    });
  });
});
