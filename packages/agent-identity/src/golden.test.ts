import sodium from 'libsodium-wrappers';
import { describe, expect, it } from 'vitest';
import { verifyAgentAssertion } from './assertion.js';
import { AgentKey } from './keys.js';
import { createAgentSigner } from './signer.js';

// DESIGN.md "Golden vector" (upstream's own test key).
const SEED = new Uint8Array(32).fill(7);
const RUNTIME = 'agent-123';
const TASK = 'task-123';
const NOW = new Date('2026-04-23T00:00:00Z');
const PUBLIC_KEY_HEX = 'ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c';
const SSH = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOpKbGPinFIKvvVQexMuxfmVR3auvr57kkIe6mkURtIs';
const PKCS8_V1 = 'MC4CAQAwBQYDK2VwBCIEIAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcH';
const PKCS8_V2 =
  'MFECAQEwBQYDK2VwBCIEIAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHgSEA6kpsY+KcUgq+9VB7Ey7F+ZVHdq6+vnuSQh7qaRRG0iw=';
const ASSERTION_SIGNATURE =
  '+GlrOKR/FHxxhkmOhg5hj19+5O7hM2MgxNrgTfRgIX8CYn13AJESv5yXkwwUC9jDd8cvQRMu1f8Pybf6/LBgDw==';
const HEADER =
  'AgentAssertion eyJhZ2VudF9ydW50aW1lX2lkIjoiYWdlbnQtMTIzIiwic2lnbmF0dXJlIjoiK0dsck9LUi9GSHh4aGttT2hnNWhqMTkrNU83aE0yTWd4TnJnVGZSZ0lYOENZbjEzQUpFU3Y1eVhrd3dVQzlqRGQ4Y3ZRUk11MWY4UHliZjYvTEJnRHc9PSIsInRhc2tfaWQiOiJ0YXNrLTEyMyIsInRpbWVzdGFtcCI6IjIwMjYtMDQtMjNUMDA6MDA6MDBaIn0';
const TASK_SIGNATURE =
  '3HXOrVnOX7USh8WvXXCZnUyrvwUdaWFME6ZQv+foYCmk7QXzPpNPLR/Qe26X9XkHB2SGAZjnOifmm39FXjdACA==';
const X25519_SECRET_HEX = '28ad39fefd7fa3e200a9c626eef599e61a2d055c48a8288a4e7e4c4bca392878';
const X25519_PUBLIC_HEX = '761d88ec830413919dfe9d4d1d56f17e653c8c994082df5b137b90a0ae6edf74';

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
      `{"agent_runtime_id":"agent-123","signature":"${ASSERTION_SIGNATURE}","task_id":"task-123","timestamp":"2026-04-23T00:00:00Z"}`,
    );
  });

  it('signs both messages byte for byte', () => {
    const key = AgentKey.fromSeed(SEED);
    expect(Buffer.from(key.sign('agent-123:task-123:2026-04-23T00:00:00Z')).toString('base64')).toBe(
      ASSERTION_SIGNATURE,
    );
    const signer = createAgentSigner({ agentRuntimeId: RUNTIME, key });
    expect(signer.taskRegistrationBody({ now: NOW })).toEqual({
      timestamp: '2026-04-23T00:00:00Z',
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
        timestamp: '2026-04-23T00:00:00Z',
        signature: ASSERTION_SIGNATURE,
      },
      ageSeconds: 0,
    });
  });
});
