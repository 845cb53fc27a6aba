import { type DevBackend, startDevBackend } from '@codex-ts/dev-backend';
import { type AgentTestAccount, agentTestAccount } from '@codex-ts/dev-backend/testing';
import { openAiProvider } from '../../src/index.js';

export interface DevSetup {
  readonly backend: DevBackend;
  /** The user: bearer, and thread tasks of its agent identity (`account.thread(threadId)`). */
  readonly account: AgentTestAccount;
  /** The built-in openai provider with ChatGPT auth against the dev backend (`{chatgpt base}/codex`). */
  readonly provider: ReturnType<typeof openAiProvider>;
}

export async function devSetup(): Promise<DevSetup> {
  const backend = await startDevBackend({});
  const account = await agentTestAccount(backend, { email: 'model@example.com', plan: 'plus' });
  const provider = openAiProvider({ authMode: 'chatgpt', chatgptBaseUrl: backend.chatgptBaseUrl });
  return { backend, account, provider };
}

export const RESPONSES_PATH = '/backend-api/codex/responses';

/** What the dev backend's request log says about the Responses calls (HTTP POSTs and websocket handshakes). */
export function responsesLog(backend: DevBackend, method: 'POST' | 'GET') {
  return backend
    .requests({ path: RESPONSES_PATH, method })
    .map((r) => ({ status: r.status, authScheme: r.authScheme, taskKind: r.taskKind, taskId: r.taskId }));
}
