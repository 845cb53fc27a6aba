import sodium from 'libsodium-wrappers';
import { describe, expect, it } from 'vitest';
import { verifyAgentAssertion } from '../src/assertion.js';
import { AgentKey } from '../src/keys.js';
import { createAgentSigner } from '../src/signer.js';
import { GOLDEN, GOLDEN_NOW, GOLDEN_SEED } from './golden-vector.js';

const SEED = GOLDEN_SEED;
const RUNTIME = GOLDEN.agentRuntimeId;
const TASK = GOLDEN.taskId;
const NOW = GOLDEN_NOW;
const PUBLIC_KEY_HEX = GOLDEN.publicKeyHex;
const SSH = GOLDEN.publicKeySsh;
const PKCS8_V1 = GOLDEN.pkcs8V1Base64;
const PKCS8_V2 = GOLDEN.pkcs8V2Base64;
const ASSERTION_SIGNATURE = GOLDEN.assertionSignature;
const HEADER = GOLDEN.header;
const TASK_SIGNATURE = GOLDEN.taskRegistrationSignature;
const X25519_SECRET_HEX = GOLDEN.x25519SecretHex;
const X25519_PUBLIC_HEX = GOLDEN.x25519PublicHex;

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('golden vector', () => {
  it('derives the public key, SSH key and PKCS#8 forms from the seed', () => {
    const key = AgentKey.fromSeed(SEED);
    expect(hex(key.publicKey)).toBe(PUBLIC_KEY_HEX);
    expect(key.publicKeySsh).toBe(SSH);
    expect(key.toPkcs8Base64()).toBe(PKCS8_V2);
  });

  it('imports PKCS#8 v1 and exports the v2 form upstream writes', () => {
    const key = AgentKey.fromPkcs8Base64(PKCS8_V1);
    expect(key.toPkcs8Base64()).toBe(PKCS8_V2);
    expect(Buffer.from(PKCS8_V2, 'base64')).toHaveLength(83);
    expect(Buffer.from(PKCS8_V1, 'base64')).toHaveLength(48);
    expect(AgentKey.fromPkcs8Base64(PKCS8_V2).publicKeySsh).toBe(SSH);
  });

  it('builds the header byte for byte', () => {
    const signer = createAgentSigner({ agentRuntimeId: RUNTIME, privateKeyPkcs8Base64: PKCS8_V1 });
    expect(signer.authorizationHeader(TASK, NOW)).toBe(HEADER);
    expect(signer.authorizationHeader({ agentRuntimeId: RUNTIME, taskId: TASK }, NOW)).toBe(HEADER);
    const json = Buffer.from(HEADER.slice('AgentAssertion '.length), 'base64url').toString('utf8');
    expect(json).toBe(
      `{"agent_runtime_id":"${RUNTIME}","signature":"${ASSERTION_SIGNATURE}","task_id":"${TASK}","timestamp":"${GOLDEN.timestamp}"}`,
    );
  });

  it('signs both messages byte for byte', () => {
    const key = AgentKey.fromSeed(SEED);
    expect(Buffer.from(key.sign(`${RUNTIME}:${TASK}:${GOLDEN.timestamp}`)).toString('base64')).toBe(
      ASSERTION_SIGNATURE,
    );
    const signer = createAgentSigner({ agentRuntimeId: RUNTIME, key });
    expect(signer.taskRegistrationBody({ now: NOW })).toEqual({
      timestamp: GOLDEN.timestamp,
      signature: TASK_SIGNATURE,
    });
  });

  it('derives the X25519 keys, matching libsodium', async () => {
    const key = AgentKey.fromSeed(SEED);
    expect(hex(key.x25519SecretKey())).toBe(X25519_SECRET_HEX);
    expect(hex(key.x25519PublicKey)).toBe(X25519_PUBLIC_HEX);
    await sodium.ready;
    const libsodiumSecretKey = new Uint8Array([...SEED, ...key.publicKey]);
    expect(hex(sodium.crypto_sign_ed25519_sk_to_curve25519(libsodiumSecretKey))).toBe(X25519_SECRET_HEX);
    expect(hex(sodium.crypto_sign_ed25519_pk_to_curve25519(key.publicKey))).toBe(X25519_PUBLIC_HEX);
  });

  it('verifies the golden header', () => {
    const key = AgentKey.fromSeed(SEED);
    expect(verifyAgentAssertion(HEADER, { publicKeyFor: () => key.publicKey, now: NOW })).toEqual({
      ok: true,
      claims: {
        agentRuntimeId: RUNTIME,
        taskId: TASK,
        timestamp: GOLDEN.timestamp,
        signature: ASSERTION_SIGNATURE,
      },
      ageSeconds: 0,
    });
  });
});
