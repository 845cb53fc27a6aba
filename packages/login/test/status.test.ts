import { describe, expect, it } from 'vitest';
import type { Decision } from '../src/decision.js';
import { type AuthStatus, authStatus, type StatusFacts } from '../src/status.js';

const chatgpt: StatusFacts['account'] = {
  mode: 'chatgpt',
  source: 'file',
  accountId: 'acct-1',
  email: 'a@example.com',
  plan: 'plus',
  fedramp: false,
};

const facts: StatusFacts = {
  account: chatgpt,
  store: '/home/u/.codex/auth.json',
  enabled: true,
  decision: { send: 'assertion', task: 'background', ready: false },
  fallback: undefined,
  agentRuntimeId: undefined,
  backgroundTask: false,
  storedIdentity: false,
};

const identity = (o: Partial<AuthStatus['agentIdentity']>): AuthStatus['agentIdentity'] => ({
  enabled: true,
  state: 'unregistered',
  agentRuntimeId: undefined,
  backgroundTask: false,
  fallbackReason: undefined,
  fallbackSince: undefined,
  ...o,
});

const bearer = (because: string) => ({ send: 'bearer', because }) as Decision;

describe('authStatus', () => {
  it.each<[string, Partial<StatusFacts>, AuthStatus['agentIdentity']]>([
    [
      'flag off',
      { enabled: false, decision: bearer('flag_off'), agentRuntimeId: 'r', backgroundTask: true },
      identity({ enabled: false, state: 'off' }),
    ],
    ['API key', { decision: bearer('api_key') }, identity({ state: 'not_applicable' })],
    [
      'not logged in',
      { account: undefined, decision: { send: 'refuse', reason: 'not_logged_in' } },
      identity({ state: 'not_applicable' }),
    ],
    ['no account to bind to', { decision: bearer('not_applicable') }, identity({ state: 'not_applicable' })],
    [
      'fallback',
      {
        decision: bearer('fallback'),
        fallback: {
          reason: 'agent identity registration failed 3 time(s)',
          since: '2026-01-01T00:00:00.000Z',
        },
      },
      identity({
        state: 'fallback',
        fallbackReason: 'agent identity registration failed 3 time(s)',
        fallbackSince: '2026-01-01T00:00:00.000Z',
      }),
    ],
    [
      'active',
      {
        decision: { send: 'assertion', task: 'background', ready: true },
        agentRuntimeId: 'r',
        backgroundTask: true,
      },
      identity({ state: 'active', agentRuntimeId: 'r', backgroundTask: true }),
    ],
    [
      'registered (stored, not used yet)',
      { storedIdentity: true, agentRuntimeId: 'r', backgroundTask: true },
      identity({ state: 'registered', agentRuntimeId: 'r', backgroundTask: true }),
    ],
    ['unregistered', {}, identity({ state: 'unregistered' })],
    [
      'registration still running past the wait',
      { decision: bearer('registration_pending') },
      identity({ state: 'unregistered' }),
    ],
  ])('%s', (_name, o, expected) => {
    expect(authStatus({ ...facts, ...o }).agentIdentity).toEqual(expected);
  });

  it('reports the account, and no account id for API keys', () => {
    expect(authStatus(facts)).toEqual({
      loggedIn: true,
      mode: 'chatgpt',
      source: 'file',
      store: '/home/u/.codex/auth.json',
      accountId: 'acct-1',
      email: 'a@example.com',
      plan: 'plus',
      fedramp: false,
      agentIdentity: identity({}),
    });
    const apiKey = authStatus({
      ...facts,
      account: { ...chatgpt, mode: 'apikey', source: 'env', email: undefined, plan: undefined },
      decision: bearer('api_key'),
    });
    expect(apiKey).toMatchObject({ loggedIn: true, mode: 'apikey', source: 'env', accountId: undefined });
    expect(authStatus({ ...facts, account: undefined }).loggedIn).toBe(false);
  });
});
