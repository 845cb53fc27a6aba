import { type DevBackend, type DevTokens, startDevBackend } from '@codex-ts/dev-backend';
import { openAiProvider } from '../../src/index.js';

export interface DevSetup {
  readonly backend: DevBackend;
  readonly tokens: DevTokens;
  /** The built-in openai provider with ChatGPT auth against the dev backend (`{chatgpt base}/codex`). */
  readonly provider: ReturnType<typeof openAiProvider>;
}

export async function devSetup(): Promise<DevSetup> {
  const backend = await startDevBackend({});
  const tokens = await backend.issueTokens({ email: 'model@example.com', plan: 'plus' });
  const provider = openAiProvider({ authMode: 'chatgpt', chatgptBaseUrl: backend.chatgptBaseUrl });
  return { backend, tokens, provider };
}

export const RESPONSES_PATH = '/backend-api/codex/responses';

/** What the dev backend's request log says about the Responses calls (HTTP POSTs and websocket handshakes). */
export function responsesLog(backend: DevBackend, method: 'POST' | 'GET') {
  return backend
    .requests({ path: RESPONSES_PATH, method })
    .map((r) => ({ status: r.status, authScheme: r.authScheme, taskKind: r.taskKind, taskId: r.taskId }));
}
