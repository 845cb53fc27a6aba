import { inspect } from 'node:util';
import type {
  AuthDescription,
  AuthProvider,
  AuthRequest,
  UnauthorizedContext,
} from '@codex-ts/auth-provider';
import type { Authorizer, AuthScope } from './authorizer.js';

abstract class ManagerAuthProvider implements AuthProvider {
  readonly specificationVersion = 'v1';
  readonly #authorizer: Authorizer;
  protected readonly scope: AuthScope;

  constructor(authorizer: Authorizer, scope: AuthScope) {
    this.#authorizer = authorizer;
    this.scope = scope;
  }

  // async: a synchronous throw in the decision still reaches the caller as a rejection.
  async headers(request: AuthRequest): Promise<Record<string, string>> {
    return this.#authorizer.headersFor(this.scope, request);
  }

  onUnauthorized(context: UnauthorizedContext): Promise<boolean> {
    return this.#authorizer.recoverFromUnauthorized(context);
  }

  describe(_request?: AuthRequest): AuthDescription {
    return this.#authorizer.describeScope(this.scope);
  }

  toJSON(): Record<string, unknown> {
    return { provider: this.constructor.name, ...this.scope, ...this.describe() };
  }

  [inspect.custom](): string {
    return `${this.constructor.name} ${inspect(this.describe())}`;
  }
}

/** Default ChatGPT backend authorization: background AgentAssertion when available, else bearer. */
export class ChatgptAuthProvider extends ManagerAuthProvider {
  constructor(authorizer: Authorizer) {
    super(authorizer, { kind: 'default' });
  }
}

/** Sessionless control-plane calls (the background task). */
export class BackgroundAuthProvider extends ManagerAuthProvider {
  constructor(authorizer: Authorizer) {
    super(authorizer, { kind: 'background' });
  }
}

/** Bearer only, for bootstrap calls that must never carry an assertion. */
export class BearerOnlyAuthProvider extends ManagerAuthProvider {
  constructor(authorizer: Authorizer) {
    super(authorizer, { kind: 'bearer' });
  }
}

/** One conversation thread: its thread task's assertion, else bearer. */
export class ThreadAuthProvider extends ManagerAuthProvider {
  readonly threadId: string;
  constructor(authorizer: Authorizer, threadId: string) {
    super(authorizer, { kind: 'thread', threadId });
    this.threadId = threadId;
  }
}
