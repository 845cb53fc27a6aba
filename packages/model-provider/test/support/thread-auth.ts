import {
  AgentKey,
  agentRegistrationUrl,
  buildAbom,
  createAgentSigner,
  fetchAgentBiscuit,
  registerAgentIdentity,
  registerAgentTask,
} from '@codex-ts/agent-identity';
import type { AuthDescription, AuthProvider, AuthRequest } from '@codex-ts/auth-provider';

/**
 * A tiny test provider standing in for login's thread provider: it registers a real agent identity and a
 * thread task with the dev backend and signs a fresh `AgentAssertion` per request. With `bearerWhilePending`,
 * it sends the user's bearer token until the task is registered (a prewarm before the task exists).
 */
export interface ThreadAuth extends AuthProvider {
  /** Task registrations made so far. */
  readonly registrations: number;
  /** Starts the task registration (it also starts on the first request without `bearerWhilePending`). */
  register(): Promise<void>;
  readonly taskId: string | undefined;
}

export async function threadAuthProvider(o: {
  chatgptBaseUrl: string;
  accessToken: string;
  accountId: string;
  threadId: string;
  bearerWhilePending?: boolean;
}): Promise<ThreadAuth> {
  const key = AgentKey.generate();
  const biscuit = await fetchAgentBiscuit({
    chatgptBaseUrl: o.chatgptBaseUrl,
    accessToken: o.accessToken,
    originalUrl: agentRegistrationUrl(o.chatgptBaseUrl),
  });
  const runtime = await registerAgentIdentity({
    chatgptBaseUrl: o.chatgptBaseUrl,
    biscuit,
    publicKeySsh: key.publicKeySsh,
    abom: buildAbom({ sessionSource: 'exec', version: '0.0.0' }),
  });
  const signer = createAgentSigner({ agentRuntimeId: runtime, key });
  let taskId: string | undefined;
  let pending: Promise<void> | undefined;
  let registrations = 0;
  const register = (): Promise<void> => {
    pending ??= registerAgentTask({
      authapiBaseUrl: o.chatgptBaseUrl,
      signer,
      kind: 'thread',
      externalTaskRef: o.threadId,
    }).then(
      (task) => {
        registrations++;
        taskId = task.taskId;
        pending = undefined;
      },
      (error: unknown) => {
        pending = undefined;
        throw error;
      },
    );
    return pending;
  };
  const waitFor = (promise: Promise<void>, signal?: AbortSignal) =>
    signal
      ? Promise.race([
          promise,
          new Promise<never>((_, reject) => {
            signal.throwIfAborted();
            signal.addEventListener('abort', () => reject(signal.reason), { once: true });
          }),
        ])
      : promise;
  const routing = { 'ChatGPT-Account-ID': o.accountId };
  return {
    specificationVersion: 'v1',
    get registrations() {
      return registrations;
    },
    get taskId() {
      return taskId;
    },
    register,
    async headers(request: AuthRequest) {
      request.signal?.throwIfAborted();
      if (taskId === undefined && o.bearerWhilePending) {
        return { Authorization: `Bearer ${o.accessToken}`, ...routing };
      }
      if (taskId === undefined) await waitFor(register(), request.signal);
      return { Authorization: signer.authorizationHeader(taskId!), ...routing };
    },
    describe(): AuthDescription {
      return {
        scheme: taskId === undefined && o.bearerWhilePending ? 'bearer' : 'agent-assertion',
        accountId: o.accountId,
      };
    },
    async onUnauthorized(context) {
      const reason = context.response.headers.get('x-openai-authorization-error');
      if (reason !== 'unknown_task') return false;
      taskId = undefined;
      return true;
    },
  };
}
