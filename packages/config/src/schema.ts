import { z } from 'zod';
import { baseUrlProblem } from './base-url.js';

/** The ChatGPT backend base URL when config.toml names none. */
export const DEFAULT_CHATGPT_BASE_URL = 'https://chatgpt.com/backend-api';

// Each `error` below is the expected value, as the message "`key` must be <expected>, found <kind>" says it.
const text = (expected = 'a string') => z.string({ error: expected });
const flag = () => z.boolean({ error: 'true or false' });
const count = (expected: string) => z.int({ error: expected }).min(0, { error: expected });
const stringMap = () =>
  z.record(z.string(), z.string({ error: 'a string' }), { error: 'a table of strings' });

/** A URL that may receive credentials: https, or http to a loopback host. */
const credentialBaseUrl = () =>
  z
    .string({ error: 'a non-empty URL string' })
    .trim()
    .min(1, { error: 'a non-empty URL string' })
    .superRefine((value, ctx) => {
      const problem = baseUrlProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, params: { noFound: true } });
    });

/** `[model_providers.<id>]`. Unknown keys are kept. */
export const modelProviderSchema = z.looseObject(
  {
    name: text().optional(),
    base_url: text().optional(),
    env_key: text().optional(),
    env_key_instructions: text().optional(),
    wire_api: z.enum(['responses', 'chat'], { error: '"responses" or "chat"' }).optional(),
    query_params: stringMap().optional(),
    http_headers: stringMap().optional(),
    env_http_headers: stringMap().optional(),
    request_max_retries: count('a non-negative integer').optional(),
    stream_max_retries: count('a non-negative integer').optional(),
    stream_idle_timeout_ms: count('a non-negative integer (milliseconds)').optional(),
    requires_openai_auth: flag().optional(),
    supports_websockets: flag().optional(),
  },
  { error: 'a table' },
);

const credentialsStore = z
  .string({ error: 'one of "file", "auto", "ephemeral"' })
  .superRefine((value, ctx) => {
    if (value === 'keyring') {
      ctx.addIssue({
        code: 'custom',
        message:
          '`cli_auth_credentials_store = "keyring"` is not supported by codex-ts; use "file", "auto" or "ephemeral"',
        params: { whole: true },
      });
    } else if (value !== 'file' && value !== 'auto' && value !== 'ephemeral') {
      ctx.addIssue({ code: 'custom', message: 'one of "file", "auto", "ephemeral"' });
    }
  })
  .transform((value) => value as 'file' | 'auto' | 'ephemeral');

/**
 * `$CODEX_HOME/config.toml`: every key a codex-ts package reads, validated once. Unknown keys (anywhere) are
 * kept as they are, never an error, so a config written for the Rust CLI loads unchanged.
 */
export const codexConfigSchema = z.looseObject({
  model: text().optional(),
  model_provider: text().optional(),
  model_providers: z.record(z.string(), modelProviderSchema, { error: 'a table' }).optional(),
  chatgpt_base_url: credentialBaseUrl().default(DEFAULT_CHATGPT_BASE_URL),
  openai_base_url: credentialBaseUrl().optional(),
  features: z.looseObject({ use_agent_identity: flag().optional() }, { error: 'a table' }).default({}),
  cli_auth_credentials_store: credentialsStore.default('file'),
  forced_login_method: z.enum(['chatgpt', 'api'], { error: '"chatgpt" or "api"' }).optional(),
  forced_chatgpt_workspace_id: text()
    .transform((value) => value.trim() || undefined)
    .optional(),
  analytics: z.looseObject({ enabled: flag().optional() }, { error: 'a table' }).optional(),
  mcp_servers: z.record(z.string(), z.unknown(), { error: 'a table' }).optional(),
});

/** A validated config.toml, keys as written in the file. */
export type CodexConfig = z.output<typeof codexConfigSchema>;
/** One `[model_providers.<id>]` table. */
export type ModelProviderConfig = z.output<typeof modelProviderSchema>;
/** Where credentials live: `file` (auth.json), `ephemeral` (memory), `auto` (file here: there is no keyring). */
export type CredentialsStoreMode = CodexConfig['cli_auth_credentials_store'];
