import { describe, expect, it } from 'vitest';
import {
  InvalidProviderError,
  MissingEnvKeyError,
  openAiProvider,
  parseModelProviderInfo,
  providerAuth,
} from '../src/index.js';

const URL_ = { url: new URL('https://example.test/v1/responses'), method: 'POST' };

describe('parseModelProviderInfo', () => {
  it('applies upstream defaults to a minimal description', () => {
    expect(parseModelProviderInfo({ name: 'Local', baseUrl: 'http://127.0.0.1:8080/v1' })).toEqual({
      name: 'Local',
      baseUrl: 'http://127.0.0.1:8080/v1',
      wireApi: 'responses',
      requestMaxRetries: 4,
      streamMaxRetries: 5,
      streamIdleTimeoutMs: 300_000,
      requiresOpenaiAuth: false,
      supportsWebsockets: false,
    });
  });

  it('keeps every field of a full description', () => {
    const full = {
      name: 'Azure',
      baseUrl: 'https://example.openai.azure.com/openai',
      envKey: 'AZURE_OPENAI_API_KEY',
      envKeyInstructions: 'export the key',
      wireApi: 'responses' as const,
      queryParams: { 'api-version': '2025-04-01-preview' },
      httpHeaders: { 'X-Team': 'codex' },
      envHttpHeaders: { 'X-Project': 'PROJECT_ID' },
      requestMaxRetries: 1,
      streamMaxRetries: 2,
      streamIdleTimeoutMs: 1000,
      requiresOpenaiAuth: false,
      supportsWebsockets: true,
    };
    expect(parseModelProviderInfo(full)).toEqual(full);
  });

  it.each([
    [
      { name: 'x', baseUrl: 'ftp://example.test' },
      'mine.baseUrl',
      'model provider mine.baseUrl: must be an http(s) URL',
    ],
    [{ name: '', baseUrl: 'https://a.test' }, 'mine.name', undefined],
    [{ name: 'x', baseUrl: 'https://a.test', wireApi: 'chat' }, 'mine.wireApi', undefined],
    [{ name: 'x', baseUrl: 'https://a.test', requestMaxRetries: 101 }, 'mine.requestMaxRetries', undefined],
    [
      { name: 'x', baseUrl: 'https://a.test', httpHeaders: { 'X-A': 'a\r\nb' } },
      'mine.httpHeaders.X-A',
      undefined,
    ],
  ])('rejects %j naming %s', (input, path, message) => {
    let error: unknown;
    try {
      parseModelProviderInfo(input, 'mine');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidProviderError);
    expect((error as InvalidProviderError).path).toBe(path);
    expect((error as InvalidProviderError).code).toBe('invalid_provider');
    if (message) expect((error as Error).message).toBe(message);
  });
});

describe('openAiProvider', () => {
  it.each([
    [{ authMode: 'chatgpt' }, 'https://chatgpt.com/backend-api/codex'],
    [
      { authMode: 'chatgpt', chatgptBaseUrl: 'http://127.0.0.1:9/backend-api/' },
      'http://127.0.0.1:9/backend-api/codex',
    ],
    [
      { authMode: 'chatgpt', chatgptBaseUrl: 'http://a.test/x', openaiBaseUrl: 'http://b.test/y' },
      'http://b.test/y',
    ],
    [
      { authMode: 'chatgpt', env: { OPENAI_BASE_URL: 'http://env.test/v1' } },
      'https://chatgpt.com/backend-api/codex',
    ],
    [{ authMode: 'apikey' }, 'https://api.openai.com/v1'],
    [{ authMode: 'apikey', env: { OPENAI_BASE_URL: 'http://env.test/v1' } }, 'http://env.test/v1'],
    [{ authMode: 'apikey', env: { OPENAI_BASE_URL: '  ' } }, 'https://api.openai.com/v1'],
    [
      {
        authMode: 'apikey',
        openaiBaseUrl: 'http://cfg.test/v1',
        env: { OPENAI_BASE_URL: 'http://env.test/v1' },
      },
      'http://cfg.test/v1',
    ],
    [{ authMode: 'apikey', chatgptBaseUrl: 'http://a.test/x' }, 'https://api.openai.com/v1'],
  ] as const)('%j → %s', (options, baseUrl) => {
    expect(openAiProvider(options)).toEqual({
      name: 'OpenAI',
      baseUrl,
      wireApi: 'responses',
      envHttpHeaders: { 'OpenAI-Organization': 'OPENAI_ORGANIZATION', 'OpenAI-Project': 'OPENAI_PROJECT' },
      requestMaxRetries: 4,
      streamMaxRetries: 5,
      streamIdleTimeoutMs: 300_000,
      requiresOpenaiAuth: true,
      supportsWebsockets: true,
    });
  });
});

describe('providerAuth', () => {
  const userAuth = {
    specificationVersion: 'v1' as const,
    headers: async () => ({ Authorization: 'Bearer chatgpt-user-token' }),
    describe: () => ({ scheme: 'bearer' as const }),
  };

  it('uses the env_key value as a bearer key and never the caller provider', async () => {
    const provider = parseModelProviderInfo({ name: 'Mine', baseUrl: 'http://a.test', envKey: 'MINE_KEY' });
    const auth = providerAuth(provider, { auth: userAuth, env: { MINE_KEY: 'sk-mine-123' } });
    expect(await auth.headers(URL_)).toEqual({ Authorization: 'Bearer sk-mine-123' });
  });

  it('refuses an unset env_key with the variable name and instructions', () => {
    const provider = parseModelProviderInfo({
      name: 'Mine',
      baseUrl: 'http://a.test',
      envKey: 'MINE_KEY',
      envKeyInstructions: 'create one at https://a.test/keys',
    });
    expect(() => providerAuth(provider, { auth: userAuth, env: { MINE_KEY: '' } })).toThrow(
      new MissingEnvKeyError('MINE_KEY', 'Mine', 'create one at https://a.test/keys'),
    );
    expect(() => providerAuth(provider, { env: {} })).toThrow(
      'the Mine provider needs the environment variable MINE_KEY, which is unset or empty: create one at https://a.test/keys',
    );
  });

  it('hands out the caller provider for OpenAI auth and refuses to run without one', async () => {
    const openai = openAiProvider({ authMode: 'chatgpt' });
    expect(providerAuth(openai, { auth: userAuth })).toBe(userAuth);
    expect(() => providerAuth(openai, {})).toThrow(
      'the OpenAI provider requires OpenAI auth and none was given',
    );
  });

  it('sends nothing for a local provider without auth', async () => {
    const local = parseModelProviderInfo({ name: 'Local', baseUrl: 'http://127.0.0.1:1' });
    expect(await providerAuth(local).headers(URL_)).toEqual({});
  });
});
