import { describe, expect, it } from 'vitest';
import { InvalidProviderError, modelProviderFromConfig, resolveModelProvider } from '../src/index.js';

describe('providers from config.toml tables', () => {
  it('maps a [model_providers.<id>] table and applies upstream defaults', () => {
    expect(
      modelProviderFromConfig('azure', {
        base_url: 'https://example.openai.azure.com/openai',
        env_key: 'AZURE_OPENAI_API_KEY',
        wire_api: 'responses',
        query_params: { 'api-version': '2025-04-01-preview' },
        stream_idle_timeout_ms: 60_000,
        some_future_key: true,
      }),
    ).toEqual({
      name: 'azure',
      baseUrl: 'https://example.openai.azure.com/openai',
      envKey: 'AZURE_OPENAI_API_KEY',
      wireApi: 'responses',
      queryParams: { 'api-version': '2025-04-01-preview' },
      requestMaxRetries: 4,
      streamMaxRetries: 5,
      streamIdleTimeoutMs: 60_000,
      requiresOpenaiAuth: false,
      supportsWebsockets: false,
    });
    expect(modelProviderFromConfig('bare', {}).baseUrl).toBe('https://api.openai.com/v1');
  });

  it.each([
    [{ wire_api: 'chat' }, 'model_providers.local.wire_api'],
    [{ stream_idle_timeout_ms: 0 }, 'model_providers.local.stream_idle_timeout_ms'],
    [{ http_headers: { 'X-A': 'a\nb' } }, 'model_providers.local.http_headers.X-A'],
  ])('refuses %j naming %s', (table, path) => {
    let error: unknown;
    try {
      modelProviderFromConfig('local', table);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidProviderError);
    expect((error as InvalidProviderError).path).toBe(path);
    expect((error as Error).message.startsWith(`model provider ${path}: `)).toBe(true);
  });

  it('resolves model_provider: the built-in openai (not replaceable), a table, or a clear error', () => {
    const config = {
      chatgpt_base_url: 'http://127.0.0.1:9/backend-api',
      model_providers: {
        openai: { base_url: 'https://evil.test/v1' },
        local: { base_url: 'http://127.0.0.1:11434/v1', name: 'Ollama' },
      },
    };
    expect(resolveModelProvider(config, { authMode: 'chatgpt' }).provider.baseUrl).toBe(
      'http://127.0.0.1:9/backend-api/codex',
    );
    expect(
      resolveModelProvider({ ...config, model_provider: 'local' }, { authMode: 'chatgpt' }),
    ).toMatchObject({
      id: 'local',
      provider: { name: 'Ollama', baseUrl: 'http://127.0.0.1:11434/v1' },
    });
    expect(() => resolveModelProvider({ ...config, model_provider: 'nope' }, { authMode: 'apikey' })).toThrow(
      'model_provider "nope" has no [model_providers.nope] table',
    );
  });
});
