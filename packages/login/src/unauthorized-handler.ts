import { decodeAgentAssertion, readAuthorizationError } from '@codex-ts/agent-identity';
import { authorizationScheme, type UnauthorizedContext } from '@codex-ts/auth-provider';
import type { AgentIdentityService } from './agent-identity-service.js';
import type { Credentials } from './credentials.js';
import { describeFailure } from './failure.js';
import type { Logger } from './logger.js';
import type { TokenRefresher } from './token-refresher.js';
import { type ExternalTokenRefresher, UnauthorizedRecovery } from './unauthorized-recovery.js';

export interface UnauthorizedHandlerParts {
  readonly credentials: Credentials;
  readonly refresher: TokenRefresher;
  readonly agentIdentity: AgentIdentityService;
  readonly externalRefresh: ExternalTokenRefresher | undefined;
  readonly logger: Logger;
}

/**
 * A request a login provider authorized came back 401. An assertion: the agent identity service drops what the
 * server forgot or corrects the clock (DESIGN.md point 8). Bearer: reload, then refresh (UnauthorizedRecovery).
 */
export class UnauthorizedHandler {
  readonly #p: UnauthorizedHandlerParts;

  constructor(parts: UnauthorizedHandlerParts) {
    this.#p = parts;
  }

  /** A fresh recovery sequence for the current credentials. */
  recovery(): UnauthorizedRecovery {
    return new UnauthorizedRecovery(this.#p.credentials, this.#p.refresher, this.#p.externalRefresh);
  }

  async handle(ctx: UnauthorizedContext): Promise<boolean> {
    const sent = ctx.sentHeaders.get('authorization') ?? undefined;
    const scheme = authorizationScheme(sent);
    if (scheme === 'agent-assertion' && sent) return this.#assertion(ctx, sent);
    if (scheme === 'bearer' && sent) return this.#bearer(sent);
    return false;
  }

  async #assertion(ctx: UnauthorizedContext, sent: string): Promise<boolean> {
    let claims: { agentRuntimeId: string; taskId: string };
    try {
      claims = decodeAgentAssertion(sent);
    } catch {
      return false;
    }
    return this.#p.agentIdentity.recover({
      reason: readAuthorizationError(ctx.response)?.reason,
      agentRuntimeId: claims.agentRuntimeId,
      taskId: claims.taskId,
      dateHeader: ctx.response.headers.get('date'),
    });
  }

  async #bearer(sent: string): Promise<boolean> {
    const current = this.#p.credentials.current;
    if (!current) return false;
    if (`Bearer ${current.token()}` !== sent) return true; // already changed since that request
    const recovery = this.recovery();
    while (recovery.hasNext()) {
      try {
        if ((await recovery.next()).authChanged) return true;
      } catch (err) {
        this.#p.logger.warn({ error: describeFailure(err) }, 'could not recover from 401');
        return false;
      }
    }
    return false;
  }
}
