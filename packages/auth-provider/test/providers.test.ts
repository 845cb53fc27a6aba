import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  accountRoutingHeaders,
  authorizationScheme,
  bearerAuthProvider,
  redactAuthorization,
  unauthenticatedAuthProvider,
} from '../src/index.js';

const request = { url: new URL('https://chatgpt.com/backend-api/wham/usage'), method: 'GET' };

describe('bearerAuthProvider', () => {
  it('sends only the bearer token when no account is known', async () => {
    const provider = bearerAuthProvider({ token: 'Access Token' });
    expect(await provider.headers(request)).toEqual({ Authorization: 'Bearer Access Token' });
    expect(provider.describe()).toEqual({ scheme: 'bearer' });
  });

  it('adds the account routing headers', async () => {
    const provider = bearerAuthProvider({ token: 'tok', accountId: 'account-1', isFedrampAccount: true });
    expect(await provider.headers(request)).toEqual({
      Authorization: 'Bearer tok',
      'ChatGPT-Account-ID': 'account-1',
      'X-OpenAI-Fedramp': 'true',
    });
    expect(provider.describe()).toEqual({ scheme: 'bearer', accountId: 'account-1' });
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

  it('rejects an empty token', () => {
    expect(() => bearerAuthProvider({ token: '' })).toThrow(TypeError);
  });
});

describe('unauthenticatedAuthProvider', () => {
  it('adds no headers', async () => {
    const provider = unauthenticatedAuthProvider();
    expect(await provider.headers(request)).toEqual({});
    expect(provider.describe()).toEqual({ scheme: 'none' });
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
