import { describe, expect, it } from 'vitest';
import {
  agentRegistrationUrl,
  agentTaskRegistrationUrl,
  biscuitUrl,
  DEFAULT_CHATGPT_BASE_URL,
  isAgentAssertionHost,
  normalizeChatgptBaseUrl,
  resolveAuthapiBaseUrl,
} from '../src/urls.js';

describe('normalizeChatgptBaseUrl', () => {
  const cases: Array<[string, string]> = [
    ['https://chatgpt.com/backend-api', 'https://chatgpt.com/backend-api'],
    ['https://chatgpt.com/backend-api/', 'https://chatgpt.com/backend-api'],
    ['https://chatgpt.com/backend-api///', 'https://chatgpt.com/backend-api'],
    ['https://chatgpt.com', 'https://chatgpt.com/backend-api'],
    ['https://chatgpt.com/', 'https://chatgpt.com/backend-api'],
    ['https://chatgpt.com/codex', 'https://chatgpt.com/backend-api'],
    ['https://chatgpt.com/codex/', 'https://chatgpt.com/backend-api'],
    ['https://chat.openai.com', 'https://chat.openai.com/backend-api'],
    ['https://chatgpt.com/backend-api/codex', 'https://chatgpt.com/backend-api'],
    ['https://chatgpt.com/backend-api/wham/remote/control/server', 'https://chatgpt.com/backend-api'],
    ['https://chatgpt.com/backend-api/wham/remote/control/server/enroll', 'https://chatgpt.com/backend-api'],
    ['https://chatgpt.com/backend-api/wham/remote/control/server/enroll/', 'https://chatgpt.com/backend-api'],
    ['https://chatgpt.com/wham/remote/control/server', 'https://chatgpt.com/backend-api'],
    ['https://example.com/api/codex', 'https://example.com/api/codex'],
    ['https://chatgpt.com/api/codex', 'https://chatgpt.com/api/codex/backend-api'],
    ['https://example.com/codex', 'https://example.com'],
    ['https://chatgpt-staging.com/backend-api', 'https://chatgpt-staging.com/backend-api'],
    ['https://chatgpt-staging.com', 'https://chatgpt-staging.com'],
    ['http://chatgpt.com', 'http://chatgpt.com'],
    ['http://127.0.0.1:8080/backend-api/', 'http://127.0.0.1:8080/backend-api'],
    ['http://localhost:3000', 'http://localhost:3000'],
  ];
  it.each(cases)('%s → %s', (input, expected) => {
    expect(normalizeChatgptBaseUrl(input)).toBe(expected);
  });
});

describe('resolveAuthapiBaseUrl', () => {
  it('uses the env override, trimmed and without trailing slashes', () => {
    expect(
      resolveAuthapiBaseUrl(DEFAULT_CHATGPT_BASE_URL, {
        CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL: '  https://auth.example.com/api/accounts/  ',
      }),
    ).toBe('https://auth.example.com/api/accounts');
  });

  it('falls back to the normalized ChatGPT base URL', () => {
    expect(resolveAuthapiBaseUrl('https://chatgpt.com/codex', {})).toBe('https://chatgpt.com/backend-api');
    expect(
      resolveAuthapiBaseUrl('http://127.0.0.1:9/backend-api/', {
        CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL: '  ',
      }),
    ).toBe('http://127.0.0.1:9/backend-api');
  });

  it('reads process.env by default', () => {
    const saved = process.env.CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL;
    process.env.CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL = 'http://127.0.0.1:1/authapi/';
    try {
      expect(resolveAuthapiBaseUrl(DEFAULT_CHATGPT_BASE_URL)).toBe('http://127.0.0.1:1/authapi');
    } finally {
      if (saved === undefined) delete process.env.CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL;
      else process.env.CODEX_AGENT_IDENTITY_AUTHAPI_BASE_URL = saved;
    }
  });
});

describe('endpoint URLs', () => {
  it('builds the three registration URLs', () => {
    expect(biscuitUrl('https://chatgpt.com')).toBe('https://chatgpt.com/backend-api/authenticate_app_v2');
    expect(agentRegistrationUrl('http://127.0.0.1:5/backend-api/')).toBe(
      'http://127.0.0.1:5/backend-api/v1/agent/register',
    );
    expect(agentTaskRegistrationUrl('https://auth.example.com/api/accounts/', 'agent 1/ü')).toBe(
      'https://auth.example.com/api/accounts/v1/agent/agent%201%2F%C3%BC/task/register',
    );
  });
});

describe('isAgentAssertionHost', () => {
  const yes = [
    'https://chatgpt.com/backend-api/wham/usage',
    'https://CHATGPT.com/x',
    'https://chat.openai.com/backend-api',
    'https://chatgpt-staging.com/backend-api',
    'https://ab.chatgpt.com/backend-api',
    'https://a.b.chat.openai.com/',
    'https://x.chatgpt-staging.com:8443/',
    'http://localhost:3000/backend-api',
    'https://localhost/',
    'http://127.0.0.1:8080/',
    'http://127.255.0.9/',
    'http://[::1]:9000/',
  ];
  const no = [
    'http://chatgpt.com/backend-api',
    'http://ab.chatgpt.com/',
    'https://evilchatgpt.com/',
    'https://chatgpt.com.evil.com/',
    'https://openai.com/',
    'https://api.openai.com/v1/responses',
    'https://chatgpt.co/',
    'https://chatgpt.com./',
    'http://128.0.0.1/',
    'http://10.0.0.1/',
    'http://[::2]/',
    'http://localhost.evil.com/',
    'ws://localhost/',
    'file:///etc/passwd',
    'not a url',
  ];
  it.each(yes)('accepts %s', (url) => expect(isAgentAssertionHost(url)).toBe(true));
  it.each(no)('rejects %s', (url) => expect(isAgentAssertionHost(url)).toBe(false));
  it('takes URL objects', () => {
    expect(isAgentAssertionHost(new URL('https://chatgpt.com/'))).toBe(true);
  });
});
