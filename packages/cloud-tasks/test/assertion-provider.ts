import {
  AgentKey,
  buildAbom,
  createAgentSigner,
  fetchAgentBiscuit,
  registerAgentIdentity,
  registerAgentTask,
} from '@codex-ts/agent-identity';
import type { AuthProvider } from '@codex-ts/auth-provider';

/**
 * A small provider for tests with the flag on: it registers an agent identity and one task with the dev backend
 * (agent-identity's registration client) — a background task, or a thread task with `threadId` — and sends a
 * fresh `AgentAssertion` for it on every request to the backend's origin, and nothing anywhere else.
 */
export async function backgroundAssertionProvider(o: {
  chatgptBaseUrl: string;
  accessToken: string;
  accountId: string;
  threadId?: string;
}): Promise<AuthProvider> {
  const key = AgentKey.generate();
  const originalUrl = `${o.chatgptBaseUrl}/v1/agent/register`;
  const biscuit = await fetchAgentBiscuit({
    chatgptBaseUrl: o.chatgptBaseUrl,
    accessToken: o.accessToken,
    originalUrl,
  });
  const publicKeySsh = createAgentSigner({ agentRuntimeId: 'pending', key }).publicKeySsh;
  const runtime = await registerAgentIdentity({
    chatgptBaseUrl: o.chatgptBaseUrl,
    biscuit,
    publicKeySsh,
    abom: buildAbom({ sessionSource: 'exec', version: '0.0.0-test' }),
  });
  const signer = createAgentSigner({ agentRuntimeId: runtime, key });
  const task = await registerAgentTask({
    authapiBaseUrl: o.chatgptBaseUrl,
    signer,
    ...(o.threadId === undefined ? { kind: 'background' } : { kind: 'thread', externalTaskRef: o.threadId }),
  });
  const origin = new URL(o.chatgptBaseUrl).origin;
  const authorizes = (url: URL) => url.origin === origin;
  return {
    specificationVersion: 'v1',
    async headers(request) {
      request.signal?.throwIfAborted();
      if (!authorizes(request.url)) return {};
      return { Authorization: signer.authorizationHeader(task), 'ChatGPT-Account-ID': o.accountId };
    },
    describe(request) {
      return authorizes(request.url)
        ? { scheme: 'agent-assertion', accountId: o.accountId }
        : { scheme: 'none' };
    },
  };
}
