import { createHash, randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { CODEX_CLIENT_ID } from '../src/index.js';
import { backend, json, postJson } from './helpers.js';

const AUTH = 'https://api.openai.com/auth';

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function form(body: Record<string, string>): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(body).toString(),
    redirect: 'manual',
  };
}

describe('tokens', () => {
  it('issues JWTs with the upstream claim layout through /dev/tokens', async () => {
    const b = await backend();
    const res = await postJson(`${b.url}/dev/tokens`, {
      email: 'ada@example.com',
      plan: 'pro',
      accountId: 'acct-ada',
      fedramp: true,
    });
    const tokens = await json(res);
    expect(Object.keys(tokens).sort()).toEqual(['access_token', 'account_id', 'id_token', 'refresh_token']);
    expect(tokens.account_id).toBe('acct-ada');
    const id = decodeJwt(tokens.id_token);
    const userId = b.users()[0]!.userId;
    expect(id).toMatchObject({
      email: 'ada@example.com',
      sub: userId,
      iss: b.issuer,
      aud: CODEX_CLIENT_ID,
      [AUTH]: {
        chatgpt_plan_type: 'pro',
        chatgpt_user_id: userId,
        user_id: userId,
        chatgpt_account_id: 'acct-ada',
        chatgpt_account_is_fedramp: true,
      },
    });
    expect(id.exp! - id.iat!).toBe(3600);
    const access = decodeJwt(tokens.access_token);
    expect(access).toMatchObject({ sub: userId, [AUTH]: id[AUTH] as object });
    expect(typeof access.exp).toBe('number');
    const again = await b.issueTokens({ email: 'ada@example.com', expiresIn: 30 });
    expect(again.account_id).toBe('acct-ada');
    const short = decodeJwt(again.access_token);
    expect(short.exp! - short.iat!).toBe(30);
    expect(b.users()).toHaveLength(1);
    const bad = await postJson(`${b.url}/dev/tokens`, { expiresIn: 'soon' });
    expect([bad.status, (await json(bad)).error.code]).toEqual([400, 'invalid_body']);
    expect((await fetch(`${b.url}/dev/tokens`, { method: 'POST' })).status).toBe(200);
  });

  it('rotates refresh tokens and answers reuse, expiry and revocation with upstream codes', async () => {
    const b = await backend({ refreshTokenTtlSeconds: 1000 });
    const first = await b.issueTokens();
    const refresh = (token: string, asForm = false) =>
      asForm
        ? fetch(
            b.tokenUrl,
            form({ client_id: CODEX_CLIENT_ID, grant_type: 'refresh_token', refresh_token: token }),
          )
        : postJson(b.tokenUrl, {
            client_id: CODEX_CLIENT_ID,
            grant_type: 'refresh_token',
            refresh_token: token,
          });
    const r1 = await refresh(first.refresh_token);
    expect(r1.status).toBe(200);
    const second = await json(r1);
    expect(second).toMatchObject({ id_token: expect.any(String), access_token: expect.any(String) });
    expect(second.refresh_token).not.toBe(first.refresh_token);
    const usage = await fetch(`${b.chatgptBaseUrl}/wham/usage`, {
      headers: { authorization: `Bearer ${second.access_token}` },
    });
    expect(usage.status).toBe(200);

    const reused = await refresh(first.refresh_token);
    expect(reused.status).toBe(401);
    expect(await json(reused)).toEqual({
      error: { code: 'refresh_token_reused', message: expect.any(String) },
    });

    const third = await json(await refresh(second.refresh_token, true));
    b.setClockOffset(1001);
    const expired = await refresh(third.refresh_token);
    expect([expired.status, (await json(expired)).error.code]).toEqual([401, 'refresh_token_expired']);
    b.setClockOffset(0);

    b.revokeRefreshTokens();
    const revoked = await refresh(third.refresh_token);
    expect((await json(revoked)).error.code).toBe('refresh_token_invalidated');
    const unknown = await refresh('rt_nope');
    expect((await json(unknown)).error.code).toBe('refresh_token_invalidated');
    const noClient = await postJson(b.tokenUrl, { grant_type: 'refresh_token', refresh_token: 'x' });
    expect([noClient.status, (await json(noClient)).error.code]).toEqual([400, 'invalid_request']);
    const grant = await postJson(b.tokenUrl, { grant_type: 'password' });
    expect((await json(grant)).error.code).toBe('unsupported_grant_type');
  });

  it('revokes refresh and access tokens at /oauth/revoke', async () => {
    const b = await backend();
    const t = await b.issueTokens();
    expect((await fetch(`${b.url}/oauth/revoke`, form({ token: t.access_token }))).status).toBe(200);
    const usage = await fetch(`${b.chatgptBaseUrl}/wham/usage`, {
      headers: { authorization: `Bearer ${t.access_token}` },
    });
    expect(usage.headers.get('x-openai-authorization-error')).toBe('invalid_bearer');
    expect((await postJson(`${b.url}/oauth/revoke`, { token: t.refresh_token })).status).toBe(200);
    const r = await postJson(b.tokenUrl, {
      client_id: CODEX_CLIENT_ID,
      grant_type: 'refresh_token',
      refresh_token: t.refresh_token,
    });
    expect((await json(r)).error.code).toBe('refresh_token_invalidated');
    expect((await postJson(`${b.url}/oauth/revoke`, { token: 'whatever' })).status).toBe(200);
    expect((await postJson(`${b.url}/oauth/revoke`, {})).status).toBe(400);
  });
});

describe('authorization code flow', () => {
  it('serves an escaped sign-in page, redirects to the loopback callback and exchanges the code with PKCE', async () => {
    const b = await backend();
    const { verifier, challenge } = pkce();
    const redirect = 'http://localhost:1455/auth/callback';
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: CODEX_CLIENT_ID,
      redirect_uri: redirect,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: '"><script>alert(1)</script>',
      scope: 'openid profile email offline_access',
    });
    const pageRes = await fetch(`${b.url}/oauth/authorize?${query}`);
    expect(pageRes.status).toBe(200);
    expect(pageRes.headers.get('content-type')).toContain('text/html');
    const html = await pageRes.text();
    expect(html).not.toContain('<script>');
    expect(html).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');

    const submit = await fetch(
      `${b.url}/oauth/authorize`,
      form({ ...Object.fromEntries(query), email: 'grace@example.com', plan: 'team' }),
    );
    expect(submit.status).toBe(302);
    const location = new URL(submit.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(redirect);
    expect(location.searchParams.get('state')).toBe('"><script>alert(1)</script>');
    const code = location.searchParams.get('code')!;

    const wrong = await fetch(
      b.tokenUrl,
      form({
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirect,
        client_id: CODEX_CLIENT_ID,
        code_verifier: pkce().verifier,
      }),
    );
    expect([wrong.status, (await json(wrong)).error.code]).toEqual([400, 'invalid_grant']);
    // the code was single-use, even when the verifier was wrong: start again
    const submit2 = await fetch(
      `${b.url}/oauth/authorize`,
      form({ ...Object.fromEntries(query), email: 'grace@example.com' }),
    );
    const code2 = new URL(submit2.headers.get('location')!).searchParams.get('code')!;
    const ok = await fetch(
      b.tokenUrl,
      form({
        grant_type: 'authorization_code',
        code: code2,
        redirect_uri: redirect,
        client_id: CODEX_CLIENT_ID,
        code_verifier: verifier,
      }),
    );
    expect(ok.status).toBe(200);
    const tokens = await json(ok);
    expect(decodeJwt(tokens.id_token)).toMatchObject({
      email: 'grace@example.com',
      [AUTH]: { chatgpt_plan_type: 'team' },
    });
    expect(tokens.refresh_token).toMatch(/^rt_/);
  });

  it('refuses non-loopback redirect URIs and missing PKCE', async () => {
    const b = await backend();
    const base = {
      response_type: 'code',
      client_id: CODEX_CLIENT_ID,
      code_challenge: pkce().challenge,
      code_challenge_method: 'S256',
    };
    for (const redirect_uri of ['https://evil.example/cb', 'http://evil.example/cb', 'javascript:alert(1)']) {
      const res = await fetch(`${b.url}/oauth/authorize?${new URLSearchParams({ ...base, redirect_uri })}`);
      expect(res.status).toBe(400);
      expect(await res.text()).not.toContain('<script');
      const post = await fetch(`${b.url}/oauth/authorize`, form({ ...base, redirect_uri }));
      expect(post.status).toBe(400);
      expect(post.headers.get('location')).toBeNull();
    }
    const plain = await fetch(
      `${b.url}/oauth/authorize?${new URLSearchParams({ ...base, redirect_uri: 'http://127.0.0.1:9/cb', code_challenge_method: 'plain' })}`,
    );
    expect(plain.status).toBe(400);
  });
});

describe('device code flow', () => {
  it('issues a user code, stays pending until approved, then yields a code for /oauth/token', async () => {
    const b = await backend();
    const start = await json(
      await postJson(`${b.url}/api/accounts/deviceauth/usercode`, { client_id: CODEX_CLIENT_ID }),
    );
    expect(start).toMatchObject({
      device_auth_id: expect.stringMatching(/^dauth_/),
      user_code: expect.stringMatching(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/),
      interval: '5',
      verification_uri: `${b.url}/codex/device`,
    });
    const poll = () =>
      postJson(`${b.url}/api/accounts/deviceauth/token`, {
        device_auth_id: start.device_auth_id,
        user_code: start.user_code,
      });
    const pending = await poll();
    expect([pending.status, (await json(pending)).error.code]).toEqual([403, 'authorization_pending']);

    const devicePage = await fetch(`${b.url}/codex/device`);
    expect(await devicePage.text()).toContain('name="user_code"');
    const approve = await fetch(
      `${b.url}/codex/device`,
      form({ user_code: start.user_code, email: 'dev2@example.com' }),
    );
    expect(approve.status).toBe(200);

    const done = await json(await poll());
    expect(done).toEqual({
      authorization_code: expect.any(String),
      code_challenge: expect.any(String),
      code_verifier: expect.any(String),
    });
    const tokens = await postJson(b.tokenUrl, {
      grant_type: 'authorization_code',
      code: done.authorization_code,
      redirect_uri: `${b.issuer}/deviceauth/callback`,
      client_id: CODEX_CLIENT_ID,
      code_verifier: done.code_verifier,
    });
    expect(tokens.status).toBe(200);
    expect(decodeJwt((await json(tokens)).id_token).email).toBe('dev2@example.com');
    const gone = await poll();
    expect(gone.status).toBe(400);
  });

  it('can be approved through /dev/device/approve and the /oauth/device aliases', async () => {
    const b = await backend();
    const start = await json(
      await postJson(`${b.url}/oauth/device/usercode`, { client_id: CODEX_CLIENT_ID }),
    );
    const approve = await postJson(`${b.url}/dev/device/approve`, {
      user_code: start.user_code.toLowerCase(),
    });
    expect(approve.status).toBe(200);
    const res = await postJson(`${b.url}/oauth/device/token`, {
      device_auth_id: start.device_auth_id,
      user_code: start.user_code,
    });
    expect(res.status).toBe(200);
    const unknown = await postJson(`${b.url}/dev/device/approve`, { user_code: 'ZZZZ-ZZZZ' });
    expect(unknown.status).toBe(404);
  });
});
