import {
  type AgentTaskKind,
  type RegisteredAgentTask,
  RegistrationError,
  registerAgentTask,
  resolveAuthapiBaseUrl,
} from '@codex-ts/agent-identity';
import type { AgentIdentity } from './agent-identity.js';
import { isClockReason, isIdentityReason, unauthorizedReason } from './authorization-errors.js';
import type { IdentityContext } from './identity-context.js';

/** The 401/404 reason of a failed registration call, read with the one wire reader. */
function reasonOf(err: unknown): { refused: boolean; reason: string | undefined } {
  const e = err as { status?: number; body?: string; authorizationError?: string } | undefined;
  const refused = e?.status === 401 || e?.status === 404;
  return {
    refused,
    reason: refused
      ? unauthorizedReason({ status: e?.status, headerValue: e?.authorizationError, body: e?.body })
      : undefined,
  };
}

/** A task registration the server refused because of the identity itself (not a transient failure). */
export function identityRejected(err: unknown): boolean {
  const { refused, reason } = reasonOf(err);
  return refused && isIdentityReason(reason);
}

/**
 * One task registration. When the server rejects the signed timestamp (our clock is off), the clock offset is
 * corrected from the response `Date` (once per process, DESIGN.md point 8) and the registration is sent again.
 */
export async function registerTask(
  ctx: IdentityContext,
  identity: AgentIdentity,
  kind: AgentTaskKind,
  externalTaskRef?: string,
): Promise<RegisteredAgentTask> {
  const send = () => {
    const now = ctx.clock.now();
    return registerAgentTask({
      authapiBaseUrl: resolveAuthapiBaseUrl(ctx.config.chatgptBaseUrl, ctx.env),
      signer: identity.signer,
      kind,
      ...(externalTaskRef === undefined ? {} : { externalTaskRef }),
      ...(now === undefined ? {} : { now }),
      ...ctx.http,
    });
  };
  try {
    return await send();
  } catch (err) {
    if (!(err instanceof RegistrationError) || err.status !== 401) throw err;
    const reason = reasonOf(err).reason;
    if (!isClockReason(reason) || !ctx.clock.correctFromDateHeader(err.serverDate)) throw err;
    ctx.logger.warn(
      { offsetMs: ctx.clock.offsetMs, reason },
      'server rejected the task-registration timestamp; corrected the clock offset',
    );
    return send();
  }
}
