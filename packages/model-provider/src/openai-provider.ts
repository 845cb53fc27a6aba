import type { ModelProviderInfo } from './provider-info.js';
import { parseModelProviderInfo } from './provider-info.js';

export const OPENAI_PROVIDER_ID = 'openai';
export const DEFAULT_CHATGPT_BASE_URL = 'https://chatgpt.com/backend-api';
export const DEFAULT_OPENAI_API_BASE_URL = 'https://api.openai.com/v1';

export interface OpenAiProviderOptions {
  /** How the user is signed in: ChatGPT tokens (or an agent identity) or an API key. */
  readonly authMode: 'chatgpt' | 'apikey';
  /** config.toml `chatgpt_base_url`; `https://chatgpt.com/backend-api` by default. */
  readonly chatgptBaseUrl?: string | undefined;
  /** config.toml `openai_base_url`: the built-in provider's base in either mode. */
  readonly openaiBaseUrl?: string | undefined;
  /** The environment; `OPENAI_BASE_URL` applies to API-key auth when `openaiBaseUrl` is not set. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The built-in `openai` provider. ChatGPT auth: `openaiBaseUrl` when set, else `{chatgptBaseUrl}/codex`
 * (so the dev backend and a custom `chatgpt_base_url` work). API key: `openaiBaseUrl`, else
 * `OPENAI_BASE_URL`, else `https://api.openai.com/v1`. A pure function of its options.
 */
export function openAiProvider(options: OpenAiProviderOptions): ModelProviderInfo {
  const configured = nonEmpty(options.openaiBaseUrl);
  let baseUrl: string;
  if (options.authMode === 'chatgpt') {
    baseUrl =
      configured ?? `${trimSlashes(nonEmpty(options.chatgptBaseUrl) ?? DEFAULT_CHATGPT_BASE_URL)}/codex`;
  } else {
    baseUrl = configured ?? nonEmpty(options.env?.OPENAI_BASE_URL) ?? DEFAULT_OPENAI_API_BASE_URL;
  }
  return parseModelProviderInfo(
    {
      name: 'OpenAI',
      baseUrl,
      wireApi: 'responses',
      envHttpHeaders: { 'OpenAI-Organization': 'OPENAI_ORGANIZATION', 'OpenAI-Project': 'OPENAI_PROJECT' },
      requiresOpenaiAuth: true,
      supportsWebsockets: true,
    },
    OPENAI_PROVIDER_ID,
  );
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function trimSlashes(url: string): string {
  return url.replace(/\/+$/, '');
}
