export { chatgptAuthJson } from '@codex-ts/dev-backend/testing';
export type { SchemaViolation } from './app-server-schema.js';
export { AppServerSchema, generateAppServerSchema } from './app-server-schema.js';
export type { AppServerCommand, TranscriptEntry } from './app-server-session.js';
export { AppServerRpcError, AppServerSession, AppServerSessionError } from './app-server-session.js';
export type { DevBackendConfigOptions, TempCodexHome } from './codex-home.js';
export { createCodexHome, devBackendConfigToml } from './codex-home.js';
export type { SessionOutcomes, StepOutcome } from './comparable-session.js';
export { type ComparableSessionContext, runComparableSession } from './comparable-session.js';
export {
  loadReferenceTranscript,
  referenceFixtureUrl,
  saveReferenceTranscript,
} from './reference-fixture.js';
export type { ReferenceSessionContext, ReferenceSessionResults } from './reference-session.js';
export { runReferenceSession } from './reference-session.js';
export type { ProxyAttempt, RefusingProxy } from './refusing-proxy.js';
export { isLoopbackHost, startRefusingProxy } from './refusing-proxy.js';
export type { ComparedRun, SessionComparison } from './session-compare.js';
export { compareSessions } from './session-compare.js';
export type { AllowedDifference, Shape, ShapeDifference } from './shape-compare.js';
export { compareShapes, mergeShapes, shapeOf, unexplained, unused } from './shape-compare.js';
export type { NormaliseOptions } from './transcript-normaliser.js';
export { normaliseTranscript, requestResponsePairs } from './transcript-normaliser.js';
export type { EnsureUpstreamOptions } from './upstream-cache.js';
export {
  ensureUpstream,
  fileIntegrity,
  UpstreamIntegrityError,
  upstreamCacheDir,
  verifyIntegrity,
} from './upstream-cache.js';
export type { UpstreamEnvOptions } from './upstream-env.js';
export { upstreamEnv } from './upstream-env.js';
export type { UpstreamRelease, UpstreamVersion } from './upstream-releases.js';
export { UPSTREAM_RELEASES, upstreamPlatformSupport } from './upstream-releases.js';
