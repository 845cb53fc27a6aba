import { describe, expect, it } from 'vitest';
import {
  agentRegistrationUrl,
  agentTaskRegistrationUrl,
  biscuitUrl,
  DEFAULT_CHATGPT_BASE_URL,
  httpEquivalentUrl,
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
    'file:///etc/passwd',
    'not a url',
  ];
  it.each(yes)('accepts %s', (url) => expect(isAgentAssertionHost(url)).toBe(true));
  it.each(no)('rejects %s', (url) => expect(isAgentAssertionHost(url)).toBe(false));
  it('takes URL objects', () => {
    expect(isAgentAssertionHost(new URL('https://chatgpt.com/'))).toBe(true);
  });
  // Every http(s) case above, as its websocket twin: the same answer.
  const twin = (url: string) => url.replace(/^http(s?):/, 'ws$1:');
  it.each([
    ...yes.map((u) => [twin(u), true] as const),
    ...no.filter((u) => u.startsWith('http')).map((u) => [twin(u), false] as const),
  ])('decides %s as its http twin (%s)', (url, expected) => expect(isAgentAssertionHost(url)).toBe(expected));
  it('decides each scheme: wss like https, ws like http', () => {
    expect(isAgentAssertionHost('wss://chatgpt.com/backend-api/codex/responses')).toBe(true);
    expect(isAgentAssertionHost('ws://chatgpt.com/backend-api/codex/responses')).toBe(false);
    expect(isAgentAssertionHost('ws://127.0.0.1:9000/backend-api/codex/responses')).toBe(true);
    expect(isAgentAssertionHost('wss://localhost/')).toBe(true);
    expect(isAgentAssertionHost('wss://evil.com/')).toBe(false);
    expect(isAgentAssertionHost(new URL('wss://ab.chatgpt.com/'))).toBe(true);
  });
});

describe('httpEquivalentUrl', () => {
  it.each([
    ['ws://127.0.0.1:9000/a?b=1#c', 'http://127.0.0.1:9000/a?b=1#c'],
    ['wss://chatgpt.com/backend-api/codex/responses', 'https://chatgpt.com/backend-api/codex/responses'],
    ['wss://chatgpt.com:443/x', 'https://chatgpt.com/x'],
    ['ws://localhost:80/', 'http://localhost/'],
    ['wss://chatgpt.com:8443/', 'https://chatgpt.com:8443/'],
    ['http://localhost:3000/', 'http://localhost:3000/'],
    ['https://chatgpt.com/', 'https://chatgpt.com/'],
    ['blob:https://chatgpt.com/x', 'blob:https://chatgpt.com/x'],
    ['file:///etc/passwd', 'file:///etc/passwd'],
  ])('%s → %s', (input, expected) => {
    const url = new URL(input);
    const mapped = httpEquivalentUrl(url);
    expect(mapped.href).toBe(expected);
    expect(url.href).toBe(new URL(input).href);
    expect(mapped).not.toBe(url);
  });
});
