import { type AgentSigner, readAuthorizationError, registerAgentTask } from '@codex-ts/agent-identity';
import type {
  AuthDescription,
  AuthProvider,
  AuthRequest,
  UnauthorizedContext,
} from '@codex-ts/auth-provider';
import { abortable } from './abortable.js';

/**
 * An `AuthProvider` for one agent task (the background task, or a thread's task) of a dev-backend test account.
 * It registers the task on first use (or on `register()`) and signs a fresh `AgentAssertion` per request.
 */
export interface TaskAuthProvider extends AuthProvider {
  /** Task registrations this provider has made (a second one follows a 401 `unknown_task`). */
  readonly registrations: number;
  /** The registered task, or `undefined` before the first registration and after a 401 `unknown_task`. */
  readonly taskId: string | undefined;
  /** Registers the task unless it has one; joins a registration already in flight. */
  register(): Promise<void>;
}

/** Where the signer comes from: the account's agent identity, registered once for all its tasks. */
export interface TaskIdentity {
  signer(): Promise<AgentSigner>;
}

export interface TaskAuthProviderOptions {
  readonly chatgptBaseUrl: string;
  readonly accessToken: string;
  readonly accountId: string;
  readonly identity: TaskIdentity;
  /** A thread task with this `external_task_ref`; the background task without it. */
  readonly threadId?: string;
  /** Send the user's bearer token until the task is registered, instead of registering on the first request. */
  readonly bearerWhilePending?: boolean;
}

interface RegisteredTask {
  readonly signer: AgentSigner;
  readonly taskId: string;
}

/** The origin a URL is authorized as: `ws:`/`wss:` count as `http:`/`https:` of the same host. */
function httpOrigin(url: URL): string {
  const protocol = url.protocol === 'ws:' ? 'http:' : url.protocol === 'wss:' ? 'https:' : url.protocol;
  return `${protocol}//${url.host}`;
}

/** A provider for one task; it authorizes the dev backend's origin only (nothing is sent anywhere else). */
export function taskAuthProvider(o: TaskAuthProviderOptions): TaskAuthProvider {
  const origin = httpOrigin(new URL(o.chatgptBaseUrl));
  const authorizes = (request: AuthRequest) => httpOrigin(request.url) === origin;
  const routing = { 'ChatGPT-Account-ID': o.accountId };
  const kind = o.threadId === undefined ? 'background' : 'thread';
  let current: RegisteredTask | undefined;
  let pending: Promise<RegisteredTask> | undefined;
  let registrations = 0;

  const registerTask = async (): Promise<RegisteredTask> => {
    const signer = await o.identity.signer();
    const { taskId } = await registerAgentTask({
      authapiBaseUrl: o.chatgptBaseUrl,
      signer,
      kind,
      ...(o.threadId === undefined ? {} : { externalTaskRef: o.threadId }),
    });
    registrations++;
    current = { signer, taskId };
    return current;
  };
  const task = (): Promise<RegisteredTask> => {
    if (current !== undefined) return Promise.resolve(current);
    pending ??= registerTask().finally(() => {
      pending = undefined;
    });
    return pending;
  };
  const bearerNow = () => current === undefined && o.bearerWhilePending === true;

  return {
    specificationVersion: 'v1',
    get registrations() {
      return registrations;
    },
    get taskId() {
      return current?.taskId;
    },
    async register() {
      await task();
    },
    async headers(request: AuthRequest): Promise<Record<string, string>> {
      request.signal?.throwIfAborted();
      if (!authorizes(request)) return {};
      if (bearerNow()) return { Authorization: `Bearer ${o.accessToken}`, ...routing };
      const { signer, taskId } = current ?? (await abortable(task(), request.signal));
      return { Authorization: signer.authorizationHeader(taskId), ...routing };
    },
    describe(request: AuthRequest): AuthDescription {
      if (!authorizes(request)) return { scheme: 'none' };
      return { scheme: bearerNow() ? 'bearer' : 'agent-assertion', accountId: o.accountId };
    },
    async onUnauthorized(context: UnauthorizedContext): Promise<boolean> {
      const { status, headers, body } = context.response;
      if (status !== 401 || readAuthorizationError({ status, headers, body })?.reason !== 'unknown_task') {
        return false;
      }
      current = undefined;
      return true;
    },
  };
}
