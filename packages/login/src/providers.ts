import { inspect } from 'node:util';
import type {
  AuthDescription,
  AuthProvider,
  AuthRequest,
  UnauthorizedContext,
} from '@codex-ts/auth-provider';
import type { Authorizer } from './authorizer.js';
import type { AuthScope } from './decision.js';
import type { UnauthorizedHandler } from './unauthorized-handler.js';

/** A login AuthProvider: one scope, the shared authorizer and 401 handler. Holds no secret itself. */
abstract class LoginAuthProvider implements AuthProvider {
  readonly specificationVersion = 'v1';
  readonly #authorizer: Authorizer;
  readonly #unauthorized: UnauthorizedHandler;
  protected readonly scope: AuthScope;

  constructor(authorizer: Authorizer, unauthorized: UnauthorizedHandler, scope: AuthScope) {
    this.#authorizer = authorizer;
    this.#unauthorized = unauthorized;
    this.scope = scope;
  }

  headers(request: AuthRequest): Promise<Record<string, string>> {
    return this.#authorizer.headers(this.scope, request);
  }

  describe(request: AuthRequest): AuthDescription {
    return this.#authorizer.describe(this.scope, request);
  }

  onUnauthorized(context: UnauthorizedContext): Promise<boolean> {
    return this.#unauthorized.handle(context);
  }

  toJSON(): Record<string, unknown> {
    return { provider: this.constructor.name, ...this.scope };
  }

  [inspect.custom](): string {
    return `${this.constructor.name} ${inspect(this.scope)}`;
  }
}

/** Default ChatGPT backend authorization: the background task's AgentAssertion when available, else bearer. */
export class ChatgptAuthProvider extends LoginAuthProvider {
  constructor(authorizer: Authorizer, unauthorized: UnauthorizedHandler) {
    super(authorizer, unauthorized, { kind: 'default' });
  }
}

/** Sessionless control-plane calls (the background task). */
export class BackgroundAuthProvider extends LoginAuthProvider {
  constructor(authorizer: Authorizer, unauthorized: UnauthorizedHandler) {
    super(authorizer, unauthorized, { kind: 'background' });
  }
}

/** Bootstrap calls that must never carry an assertion (biscuit, registration, refresh): bearer only. */
export class BootstrapAuthProvider extends LoginAuthProvider {
  constructor(authorizer: Authorizer, unauthorized: UnauthorizedHandler) {
    super(authorizer, unauthorized, { kind: 'bootstrap' });
  }
}

/** One conversation thread: its thread task's assertion, else bearer. */
export class ThreadAuthProvider extends LoginAuthProvider {
  readonly threadId: string;
  constructor(authorizer: Authorizer, unauthorized: UnauthorizedHandler, threadId: string) {
    super(authorizer, unauthorized, { kind: 'thread', threadId });
    this.threadId = threadId;
  }
}
