import {
  type AgentTaskKind,
  AUTHORIZATION_ERROR_HEADER,
  CLOCK_SKEW_REASONS,
  type RegisteredAgentTask,
  RegistrationError,
  readAuthorizationError,
  registerAgentTask,
  resolveAuthapiBaseUrl,
} from '@codex-ts/agent-identity';
import type { AgentIdentity } from './agent-identity.js';
import type { IdentityContext } from './identity-context.js';

/** Reasons that say the server does not accept the identity itself. */
const IDENTITY_REASONS: ReadonlySet<string> = new Set(['unknown_runtime', 'bad_signature']);

/**
 * The reason of a registration refused with 401 or 404 (a 404 from the task endpoint carries the same vocabulary),
 * read with agent-identity's one reader; undefined for any other failure.
 */
function refusal(err: unknown) {
  if (!(err instanceof RegistrationError) || (err.status !== 401 && err.status !== 404)) return undefined;
  return readAuthorizationError({
    status: 401,
    headers: { [AUTHORIZATION_ERROR_HEADER]: err.authorizationError },
    ...(err.body === undefined ? {} : { body: err.body }),
  });
}

/**
 * A task registration the server refused because of the identity itself (not a transient failure). A refusal
 * naming no reason counts: the server does not say which part of the identity it rejects.
 */
export function identityRejected(err: unknown): boolean {
  const reading = refusal(err);
  if (reading === undefined) return false;
  return reading.reason === 'unrecognized'
    ? reading.value === undefined
    : IDENTITY_REASONS.has(reading.reason);
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
    const reading = refusal(err);
    const reason = reading?.reason;
    if (
      !(err instanceof RegistrationError) ||
      err.status !== 401 ||
      reading === undefined ||
      reading.reason === 'unrecognized' ||
      !CLOCK_SKEW_REASONS.has(reading.reason) ||
      !ctx.clock.correctFromDateHeader(err.serverDate)
    ) {
      throw err;
    }
    ctx.logger.warn(
      { offsetMs: ctx.clock.offsetMs, reason },
      'server rejected the task-registration timestamp; corrected the clock offset',
    );
    return send();
  }
}
