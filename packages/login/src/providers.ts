import { inspect } from 'node:util';
import type {
  AuthDescription,
  AuthProvider,
  AuthRequest,
  UnauthorizedContext,
} from '@codex-ts/auth-provider';
import type { AuthManager, AuthScope } from './manager.js';

abstract class ManagerAuthProvider implements AuthProvider {
  protected readonly manager: AuthManager;
  protected readonly scope: AuthScope;

  constructor(manager: AuthManager, scope: AuthScope) {
    this.manager = manager;
    this.scope = scope;
  }

  headers(request: AuthRequest): Promise<Record<string, string>> {
    return this.manager.headersFor(this.scope, request);
  }

  onUnauthorized(context: UnauthorizedContext): Promise<boolean> {
    return this.manager.recoverFromUnauthorized(context);
  }

  describe(): AuthDescription {
    return this.manager.describeScope(this.scope);
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
  constructor(manager: AuthManager) {
    super(manager, { kind: 'default' });
  }
}

/** Sessionless control-plane calls (the background task). */
export class BackgroundAuthProvider extends ManagerAuthProvider {
  constructor(manager: AuthManager) {
    super(manager, { kind: 'background' });
  }
}

/** Bearer only, for bootstrap calls that must never carry an assertion. */
export class BearerOnlyAuthProvider extends ManagerAuthProvider {
  constructor(manager: AuthManager) {
    super(manager, { kind: 'bearer' });
  }
}

/** One conversation thread: its thread task's assertion, else bearer. */
export class ThreadAuthProvider extends ManagerAuthProvider {
  readonly threadId: string;
  constructor(manager: AuthManager, threadId: string) {
    super(manager, { kind: 'thread', threadId });
    this.threadId = threadId;
  }
}
