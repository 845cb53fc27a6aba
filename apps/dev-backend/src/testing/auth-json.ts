import type { DevTokens } from '../types.js';

/**
 * The `auth.json` a ChatGPT sign-in writes (upstream's layout, which login writes too) for tokens this backend
 * issued: what a test or benchmark puts in a `CODEX_HOME` to start signed in.
 */
export function chatgptAuthJson(
  tokens: Pick<DevTokens, 'id_token' | 'access_token' | 'refresh_token' | 'account_id'>,
): Record<string, unknown> {
  return {
    OPENAI_API_KEY: null,
    tokens: {
      id_token: tokens.id_token,
      access_token: tokens.access_token,
      refresh_token: tokens.refresh_token,
      account_id: tokens.account_id,
    },
    last_refresh: new Date().toISOString(),
  };
}
