import type { AuthProvider } from '@codex-ts/auth-provider';
import { describeAuthProviderContract } from '@codex-ts/auth-provider/testing';
import { type DevBackend, startDevBackend } from '../src/index.js';
import { type AgentTestAccount, agentTestAccount } from '../src/testing/index.js';

async function subject(pick: (account: AgentTestAccount) => Promise<AuthProvider> | AuthProvider) {
  const backend: DevBackend = await startDevBackend();
  const account = await agentTestAccount(backend);
  const base = backend.chatgptBaseUrl;
  return {
    provider: await pick(account),
    authorized: [
      { url: new URL(`${base}/wham/usage`), method: 'GET' },
      { url: new URL(`${base.replace(/^http/, 'ws')}/codex/responses`), method: 'GET' },
    ],
    secrets: [account.accessToken],
    close: () => backend.close(),
  };
}

describeAuthProviderContract('agentTestAccount background task', () => subject((a) => a.background));
describeAuthProviderContract('agentTestAccount thread task', () =>
  subject((a) => a.thread('thread-contract')),
);
describeAuthProviderContract('agentTestAccount thread task, bearer while pending', () =>
  subject((a) => a.thread('thread-pending', { bearerWhilePending: true })),
);
describeAuthProviderContract('agentTestAccount bearer', () => subject((a) => a.bearer));
