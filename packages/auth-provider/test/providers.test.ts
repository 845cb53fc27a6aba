import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  AuthUnavailableError,
  accountRoutingHeaders,
  authorizationScheme,
  bearerAuthProvider,
  redactAuthorization,
  unauthenticatedAuthProvider,
} from '../src/index.js';
import { describeAuthProviderContract, recordingAuthProvider } from '../src/testing/index.js';

const request = { url: new URL('https://chatgpt.com/backend-api/wham/usage'), method: 'GET' };

describe('bearerAuthProvider', () => {
  it('sends only the bearer token when no account is known', async () => {
    const provider = bearerAuthProvider({ token: 'Access Token' });
    expect(await provider.headers(request)).toEqual({ Authorization: 'Bearer Access Token' });
    expect(provider.describe(request)).toEqual({ scheme: 'bearer' });
  });

  it('adds the account routing headers', async () => {
    const provider = bearerAuthProvider({ token: 'tok', accountId: 'account-1', isFedrampAccount: true });
    expect(await provider.headers(request)).toEqual({
      Authorization: 'Bearer tok',
      'ChatGPT-Account-ID': 'account-1',
      'X-OpenAI-Fedramp': 'true',
    });
    expect(provider.describe(request)).toEqual({ scheme: 'bearer', accountId: 'account-1' });
  });

  it('omits the FedRAMP header for other accounts', async () => {
    const provider = bearerAuthProvider({ token: 'tok', accountId: 'account-1', isFedrampAccount: false });
    expect(await provider.headers(request)).toEqual({
      Authorization: 'Bearer tok',
      'ChatGPT-Account-ID': 'account-1',
    });
  });

  it('returns a fresh object each time, so a caller cannot alter the next request', async () => {
    const provider = bearerAuthProvider({ token: 'tok' });
    const first = await provider.headers(request);
    first.Authorization = 'changed';
    expect(await provider.headers(request)).toEqual({ Authorization: 'Bearer tok' });
  });

  it('never shows the token through inspect or JSON', () => {
    const provider = bearerAuthProvider({ token: 'secret-token-value', accountId: 'account-1' });
    expect(inspect(provider, { showHidden: true, depth: 5 })).not.toContain('secret-token-value');
    expect(JSON.stringify(provider)).not.toContain('secret-token-value');
    expect(JSON.stringify(provider)).toBe('{"scheme":"bearer","accountId":"account-1"}');
  });

  it('rejects an empty token and one with control characters (it would end up in a header)', () => {
    expect(() => bearerAuthProvider({ token: '' })).toThrow('bearer token must not be empty');
    expect(() => bearerAuthProvider({ token: 'sk-1\nX-Injected: 1' })).toThrow(
      'bearer token must not contain control characters',
    );
  });

  it('declares specificationVersion v1', () => {
    expect(bearerAuthProvider({ token: 't' }).specificationVersion).toBe('v1');
    expect(unauthenticatedAuthProvider().specificationVersion).toBe('v1');
  });
});

describeAuthProviderContract('bearerAuthProvider', async () => ({
  provider: bearerAuthProvider({ token: 'contract-secret-token', accountId: 'account-1' }),
  authorized: [request, { url: new URL('wss://chatgpt.com/backend-api/codex/responses'), method: 'GET' }],
  secrets: ['contract-secret-token'],
}));

describeAuthProviderContract('recordingAuthProvider (agent-assertion)', async () => ({
  provider: recordingAuthProvider({
    scheme: 'agent-assertion',
    refuse: (r) =>
      r.url.hostname === 'example.com'
        ? new AuthUnavailableError('unsupported_destination', 'not for example.com')
        : undefined,
  }),
  authorized: [request],
  refused: { url: new URL('https://example.com/'), method: 'GET' },
  secrets: [],
}));

describe('unauthenticatedAuthProvider', () => {
  it('adds no headers', async () => {
    const provider = unauthenticatedAuthProvider();
    expect(await provider.headers(request)).toEqual({});
    expect(provider.describe(request)).toEqual({ scheme: 'none' });
  });
});

describe('accountRoutingHeaders', () => {
  it('is empty without an account', () => {
    expect(accountRoutingHeaders({})).toEqual({});
    expect(accountRoutingHeaders({ accountId: '' })).toEqual({});
  });
});

describe('authorizationScheme and redactAuthorization', () => {
  it.each([
    ['Bearer abc', 'bearer'],
    ['AgentAssertion eyJ', 'agent-assertion'],
    ['bearer abc', 'none'],
    ['agentassertion eyJ', 'none'],
    ['Basic abc', 'none'],
    ['Bearer', 'none'],
  ] as const)('%s is %s', (value, scheme) => {
    expect(authorizationScheme(value)).toBe(scheme);
  });

  it('treats a missing header as none', () => {
    expect(authorizationScheme(undefined)).toBe('none');
  });

  it('keeps the scheme and drops the credential', () => {
    expect(redactAuthorization('Bearer abc.def')).toBe('Bearer <redacted>');
    expect(redactAuthorization('AgentAssertion eyJhbGci')).toBe('AgentAssertion <redacted>');
    expect(redactAuthorization('rawtokenwithoutscheme')).toBe('<redacted>');
    expect(redactAuthorization('b@d token')).toBe('<redacted>');
  });
});
