import {
  AgentKey,
  buildAbom,
  createAgentSigner,
  fetchAgentBiscuit,
  registerAgentIdentity,
  registerAgentTask,
} from '@codex-ts/agent-identity';
import type { AuthProvider } from '@codex-ts/auth-provider';
import { bearerAuthProvider } from '@codex-ts/auth-provider';
import type { DevBackend } from '@codex-ts/dev-backend';

/** A user of the dev backend: a bearer provider (flag off) and an assertion provider for the background task. */
export interface TestAccount {
  readonly accountId: string;
  readonly bearer: AuthProvider;
  /** Real `AgentAssertion` headers (fresh per request) for the background task; re-registers after a 401. */
  readonly background: AuthProvider;
  /** The same identity, for a thread task (`external_task_ref` = threadId). */
  thread(threadId: string): Promise<AuthProvider>;
}

/** Registers an identity for a new dev-backend user with `@codex-ts/agent-identity`'s registration client. */
export async function testAccount(backend: DevBackend, email: string): Promise<TestAccount> {
  const tokens = await backend.issueTokens({ email });
  const base = backend.chatgptBaseUrl;
  const key = AgentKey.generate();
  const biscuit = await fetchAgentBiscuit({
    chatgptBaseUrl: base,
    accessToken: tokens.access_token,
    originalUrl: `${base}/v1/agent/register`,
  });
  const runtime = await registerAgentIdentity({
    chatgptBaseUrl: base,
    biscuit,
    publicKeySsh: key.publicKeySsh,
    abom: buildAbom({ sessionSource: 'cli', version: '0.0.0' }),
  });
  const signer = createAgentSigner({ agentRuntimeId: runtime, key });
  const taskProvider = async (externalTaskRef?: string): Promise<AuthProvider> => {
    const register = async () =>
      (
        await registerAgentTask({
          authapiBaseUrl: base,
          signer,
          kind: externalTaskRef === undefined ? 'background' : 'thread',
          ...(externalTaskRef === undefined ? {} : { externalTaskRef }),
        })
      ).taskId;
    let taskId = await register();
    return {
      specificationVersion: 'v1',
      async headers(request) {
        request.signal?.throwIfAborted();
        return {
          Authorization: signer.authorizationHeader(taskId),
          'ChatGPT-Account-ID': tokens.account_id,
        };
      },
      describe: () => ({ scheme: 'agent-assertion', accountId: tokens.account_id }),
      async onUnauthorized() {
        taskId = await register();
        return true;
      },
    };
  };
  return {
    accountId: tokens.account_id,
    bearer: bearerAuthProvider({ token: tokens.access_token, accountId: tokens.account_id }),
    background: await taskProvider(),
    thread: (threadId) => taskProvider(threadId),
  };
}
