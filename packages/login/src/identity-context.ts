import type { HttpOptions } from '@codex-ts/agent-identity';
import type { AttemptPolicy } from './attempts.js';
import type { AgentClock } from './clock.js';
import type { LoginConfig } from './config.js';
import type { Credentials } from './credentials.js';
import type { Logger } from './logger.js';
import type { TokenRefresher } from './token-refresher.js';

/** What the agent identity machinery is built with (collaborators passed down, never callbacks up). */
export interface IdentityContext {
  readonly config: LoginConfig;
  readonly env: NodeJS.ProcessEnv;
  readonly logger: Logger;
  readonly http: HttpOptions;
  readonly clock: AgentClock;
  readonly credentials: Credentials;
  readonly refresher: TokenRefresher;
  /** ABOM session source and agent_version. */
  readonly sessionSource: string;
  readonly version: string;
  /** Identity and background-task registration attempts before falling back to bearer. */
  readonly attempts: AttemptPolicy;
}
