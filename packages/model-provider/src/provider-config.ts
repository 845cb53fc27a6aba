import { InvalidProviderError } from './errors.js';
import { DEFAULT_OPENAI_API_BASE_URL, OPENAI_PROVIDER_ID, openAiProvider } from './openai-provider.js';
import { type ModelProviderInfo, parseModelProviderInfo } from './provider-info.js';

/** The config.toml keys this package reads, as the config reader hands them over (snake_case, plain objects). */
export interface ModelProvidersConfig {
  readonly model_provider?: string | undefined;
  readonly model_providers?: Readonly<Record<string, Readonly<Record<string, unknown>>>> | undefined;
  readonly chatgpt_base_url?: string | undefined;
  readonly openai_base_url?: string | undefined;
}

const KEYS: ReadonlyArray<readonly [string, string]> = [
  ['name', 'name'],
  ['base_url', 'baseUrl'],
  ['env_key', 'envKey'],
  ['env_key_instructions', 'envKeyInstructions'],
  ['wire_api', 'wireApi'],
  ['query_params', 'queryParams'],
  ['http_headers', 'httpHeaders'],
  ['env_http_headers', 'envHttpHeaders'],
  ['request_max_retries', 'requestMaxRetries'],
  ['stream_max_retries', 'streamMaxRetries'],
  ['stream_idle_timeout_ms', 'streamIdleTimeoutMs'],
  ['requires_openai_auth', 'requiresOpenaiAuth'],
  ['supports_websockets', 'supportsWebsockets'],
];

/**
 * One `[model_providers.<id>]` table (snake_case) as a validated `ModelProviderInfo`. `name` defaults to the id
 * and `base_url` to `https://api.openai.com/v1`, as upstream; errors name `model_providers.<id>.<key>`.
 */
export function modelProviderFromConfig(
  id: string,
  table: Readonly<Record<string, unknown>>,
): ModelProviderInfo {
  const input: Record<string, unknown> = { name: id, baseUrl: DEFAULT_OPENAI_API_BASE_URL };
  for (const [snake, camel] of KEYS) if (table[snake] !== undefined) input[camel] = table[snake];
  try {
    return parseModelProviderInfo(input, `model_providers.${id}`);
  } catch (error) {
    if (!(error instanceof InvalidProviderError)) throw error;
    const [, ...rest] = error.path.split('.').slice(1);
    const camel = rest[0];
    const snake = KEYS.find(([, c]) => c === camel)?.[0] ?? camel;
    const path = [`model_providers.${id}`, snake, ...rest.slice(1)].join('.');
    throw new InvalidProviderError(path, error.message.replace(error.path, path));
  }
}

/**
 * The provider a session uses: `model_provider` (default `openai`). The built-in `openai` (which a
 * `[model_providers.openai]` table does not replace, as upstream) follows `openAiProvider`; any other id must be
 * a `[model_providers.<id>]` table.
 */
export function resolveModelProvider(
  config: ModelProvidersConfig,
  options: {
    readonly authMode: 'chatgpt' | 'apikey';
    readonly env?: Readonly<Record<string, string | undefined>>;
  },
): { readonly id: string; readonly provider: ModelProviderInfo } {
  const id = config.model_provider?.trim() || OPENAI_PROVIDER_ID;
  if (id === OPENAI_PROVIDER_ID) {
    return {
      id,
      provider: openAiProvider({
        authMode: options.authMode,
        chatgptBaseUrl: config.chatgpt_base_url,
        openaiBaseUrl: config.openai_base_url,
        ...(options.env ? { env: options.env } : {}),
      }),
    };
  }
  const table = config.model_providers?.[id];
  if (table === undefined) {
    throw new InvalidProviderError(
      'model_provider',
      `model_provider "${id}" has no [model_providers.${id}] table`,
    );
  }
  return { id, provider: modelProviderFromConfig(id, table) };
}
