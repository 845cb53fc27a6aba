import type { AgentIdentityService } from './agent-identity-service.js';

const NO_TASK = Promise.resolve(undefined);

/** The null object: agent identity off. Everything is bearer. */
export const disabledAgentIdentity: AgentIdentityService = Object.freeze({
  enabled: false,
  version: 0,
  fallback: undefined,
  currentRuntimeId: undefined,
  backgroundPending: undefined,
  warmTask: () => undefined,
  background: () => NO_TASK,
  thread: () => NO_TASK,
  restoreThread: () => Promise.resolve(false),
  forgetThread: () => {},
  onThreadTask: () => () => {},
  retry: () => {},
  recover: () => Promise.resolve(false),
});
