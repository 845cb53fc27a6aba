import { createRequire } from 'node:module';

/** The shape of `test/golden-vector.json`, exported to other packages as `@codex-ts/agent-identity/test-vectors`. */
export interface GoldenVector {
  description: string;
  seedHex: string;
  agentRuntimeId: string;
  taskId: string;
  timestamp: string;
  publicKeyHex: string;
  publicKeySsh: string;
  pkcs8V1Base64: string;
  pkcs8V2Base64: string;
  assertionSignature: string;
  header: string;
  taskRegistrationSignature: string;
  x25519SecretHex: string;
  x25519PublicHex: string;
}

/** The one golden vector, read from the data file every suite shares. */
export const GOLDEN: GoldenVector = createRequire(import.meta.url)('./golden-vector.json');
export const GOLDEN_SEED = new Uint8Array(Buffer.from(GOLDEN.seedHex, 'hex'));
export const GOLDEN_NOW = new Date(GOLDEN.timestamp);
