import { createRequire } from 'node:module';

/** The fields of agent-identity's golden vector these suites use (`@codex-ts/agent-identity/test-vectors`). */
export interface GoldenVector {
  agentRuntimeId: string;
  taskId: string;
  timestamp: string;
  publicKeyHex: string;
  publicKeySsh: string;
  header: string;
  taskRegistrationSignature: string;
}

/** The one golden vector (DESIGN.md "Golden vector"), read from agent-identity's data file. */
export const GOLDEN: GoldenVector = createRequire(import.meta.url)('@codex-ts/agent-identity/test-vectors');
