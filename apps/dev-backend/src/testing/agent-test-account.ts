import {
  AgentKey,
  type AgentSigner,
  agentRegistrationUrl,
  buildAbom,
  createAgentSigner,
  fetchAgentBiscuit,
  registerAgentIdentity,
} from '@codex-ts/agent-identity';
import { type AuthProvider, bearerAuthProvider } from '@codex-ts/auth-provider';
import type { DevBackend, IssueTokensOptions } from '../types.js';
import { type TaskAuthProvider, type TaskIdentity, taskAuthProvider } from './task-auth-provider.js';

/** A dev-backend user with an agent identity, as the call-site packages' tests need one. */
export interface AgentTestAccount {
  readonly accountId: string;
  readonly accessToken: string;
  /** The user's bearer token (the feature flag off). */
  readonly bearer: AuthProvider;
  /** The identity's background task (registered on first use). */
  readonly background: TaskAuthProvider;
  /**
   * A thread task (`external_task_ref` = `threadId`) of the same identity, registered on first use; resolves once
   * the identity is registered. With `bearerWhilePending`, it sends bearer until `register()` has finished.
   */
  thread(threadId: string, options?: { bearerWhilePending?: boolean }): Promise<TaskAuthProvider>;
}

let accounts = 0;

/** Registers the account's agent identity once (on first need) with agent-identity's registration client. */
function agentIdentity(chatgptBaseUrl: string, accessToken: string): TaskIdentity {
  let signer: Promise<AgentSigner> | undefined;
  const register = async (): Promise<AgentSigner> => {
    const key = AgentKey.generate();
    const biscuit = await fetchAgentBiscuit({
      chatgptBaseUrl,
      accessToken,
      originalUrl: agentRegistrationUrl(chatgptBaseUrl),
    });
    const runtime = await registerAgentIdentity({
      chatgptBaseUrl,
      biscuit,
      publicKeySsh: key.publicKeySsh,
      abom: buildAbom({ sessionSource: 'exec', version: '0.0.0' }),
    });
    return createAgentSigner({ agentRuntimeId: runtime, key });
  };
  return {
    signer() {
      signer ??= register().catch((error: unknown) => {
        signer = undefined;
        throw error;
      });
      return signer;
    },
  };
}

/**
 * Issues tokens for a new dev-backend user (`options` go to `issueTokens`; a fresh email by default) and gives
 * its providers: bearer, the background task, and thread tasks. Nothing is registered before it is needed.
 */
export async function agentTestAccount(
  backend: Pick<DevBackend, 'chatgptBaseUrl' | 'issueTokens'>,
  options: IssueTokensOptions = {},
): Promise<AgentTestAccount> {
  const tokens = await backend.issueTokens({ email: `agent-test-${++accounts}@example.com`, ...options });
  const chatgptBaseUrl = backend.chatgptBaseUrl;
  const identity = agentIdentity(chatgptBaseUrl, tokens.access_token);
  const task = (threadId?: string, bearerWhilePending?: boolean) =>
    taskAuthProvider({
      chatgptBaseUrl,
      accessToken: tokens.access_token,
      accountId: tokens.account_id,
      identity,
      ...(threadId === undefined ? {} : { threadId }),
      ...(bearerWhilePending === undefined ? {} : { bearerWhilePending }),
    });
  return {
    accountId: tokens.account_id,
    accessToken: tokens.access_token,
    bearer: bearerAuthProvider({ token: tokens.access_token, accountId: tokens.account_id }),
    background: task(),
    async thread(threadId, threadOptions = {}) {
      await identity.signer();
      return task(threadId, threadOptions.bearerWhilePending);
    },
  };
}
