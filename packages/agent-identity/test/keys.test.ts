import { KeyObject } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { AgentKeyError } from '../src/errors.js';
import { AgentKey, ed25519PublicKeyObject } from '../src/keys.js';
import { createAgentSigner } from '../src/signer.js';
import { GOLDEN, GOLDEN_SEED } from './golden-vector.js';

const SEED = GOLDEN_SEED;
const V1 = Buffer.from(GOLDEN.pkcs8V1Base64, 'base64');
const V2 = Buffer.from(GOLDEN.pkcs8V2Base64, 'base64');

function keyError(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AgentKeyError);
    const { code, message } = error as AgentKeyError;
    return { code, message };
  }
  throw new Error('expected an AgentKeyError');
}

function edit(der: Buffer, offset: number, value: number): string {
  const copy = Buffer.from(der);
  copy[offset] = value;
  return copy.toString('base64');
}

describe('AgentKey', () => {
  it('round-trips a generated key through PKCS#8 v2', () => {
    const key = AgentKey.generate();
    const again = AgentKey.fromPkcs8Base64(key.toPkcs8Base64());
    expect(again.publicKeySsh).toBe(key.publicKeySsh);
    expect(again.equals(key)).toBe(true);
    expect(Buffer.from(key.toPkcs8Base64(), 'base64')).toHaveLength(83);
    expect(AgentKey.generate().equals(key)).toBe(false);
  });

  it('signs what node:crypto verifies with the public KeyObject', async () => {
    const { verify } = await import('node:crypto');
    const key = AgentKey.generate();
    const signature = key.sign('hello');
    expect(signature).toHaveLength(64);
    expect(verify(null, Buffer.from('hello'), ed25519PublicKeyObject(key.publicKey), signature)).toBe(true);
    expect(key.signBase64('hello')).toBe(Buffer.from(signature).toString('base64'));
    expect(Buffer.from(key.sign(new TextEncoder().encode('hello'))).equals(Buffer.from(signature))).toBe(
      true,
    );
  });

  it('returns copies of its key bytes', () => {
    const key = AgentKey.fromSeed(SEED);
    key.publicKey.fill(0);
    key.x25519PublicKey.fill(0);
    key.x25519SecretKey().fill(0);
    expect(Buffer.from(key.publicKey).toString('hex')).toBe(
      'ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c',
    );
    expect(Buffer.from(key.x25519SecretKey()).toString('hex')).toMatch(/^28ad39/);
    expect(Buffer.from(key.x25519PublicKey).toString('hex')).toMatch(/^761d88/);
  });

  it('never shows the private key through inspect, JSON, String or a signer', () => {
    const key = AgentKey.fromSeed(SEED);
    const pkcs8 = key.toPkcs8Base64();
    const seedHex = Buffer.from(SEED).toString('hex');
    const seedB64 = Buffer.from(SEED).toString('base64');
    const signer = createAgentSigner({ agentRuntimeId: 'agent-123', privateKeyPkcs8Base64: pkcs8 });
    const outputs = [
      inspect(key, { showHidden: true, depth: 10 }),
      inspect(signer, { showHidden: true, depth: 10 }),
      inspect({ key, signer }, { showHidden: true, depth: 10 }),
      JSON.stringify(key),
      JSON.stringify(signer),
      JSON.stringify({ key, signer }),
      String(key),
      `${signer}`,
    ];
    for (const output of outputs) {
      expect(output).not.toContain(pkcs8);
      expect(output).not.toContain(pkcs8.slice(0, 40));
      expect(output).not.toContain(seedHex);
      expect(output).not.toContain(seedB64.slice(0, 20));
    }
    expect(JSON.parse(JSON.stringify(key))).toEqual({ publicKeySsh: key.publicKeySsh });
    expect(JSON.parse(JSON.stringify(signer))).toEqual({
      agentRuntimeId: 'agent-123',
      publicKeySsh: key.publicKeySsh,
    });
    expect(inspect(key)).toBe(`AgentKey { publicKeySsh: ${JSON.stringify(key.publicKeySsh)} }`);
  });

  it('rejects a seed that is not 32 bytes', () => {
    expect(keyError(() => AgentKey.fromSeed(new Uint8Array(31)))).toEqual({
      code: 'invalid_seed',
      message: 'an Ed25519 seed is 32 bytes, got 31',
    });
  });

  it('builds a public KeyObject and rejects wrong lengths', () => {
    expect(ed25519PublicKeyObject(AgentKey.fromSeed(SEED).publicKey)).toBeInstanceOf(KeyObject);
    expect(keyError(() => ed25519PublicKeyObject(new Uint8Array(33)))).toEqual({
      code: 'invalid_public_key',
      message: 'an Ed25519 public key is 32 bytes, got 33',
    });
  });
});

describe('AgentKey.fromPkcs8Base64 rejects', () => {
  const cases: Array<[string, string, { code: string; message: string }]> = [
    [
      'empty input',
      '',
      { code: 'invalid_base64', message: 'invalid PKCS#8 private key: not valid standard base64' },
    ],
    [
      'base64 with a bad character',
      `${V1.toString('base64').slice(0, -1)}!`,
      { code: 'invalid_base64', message: 'invalid PKCS#8 private key: not valid standard base64' },
    ],
    [
      'base64url instead of standard base64',
      V2.toString('base64url'),
      { code: 'invalid_base64', message: 'invalid PKCS#8 private key: not valid standard base64' },
    ],
    [
      'base64 with whitespace',
      ` ${V1.toString('base64')}`,
      { code: 'invalid_base64', message: 'invalid PKCS#8 private key: not valid standard base64' },
    ],
    [
      'base64 without its padding',
      V2.toString('base64').replace(/=+$/, ''),
      { code: 'invalid_base64', message: 'invalid PKCS#8 private key: not valid standard base64' },
    ],
    [
      'a truncated document',
      V1.subarray(0, 40).toString('base64'),
      {
        code: 'invalid_der',
        message: 'invalid PKCS#8 private key: the PrivateKeyInfo sequence is truncated',
      },
    ],
    [
      'trailing bytes',
      Buffer.concat([V1, Buffer.from([0])]).toString('base64'),
      { code: 'invalid_der', message: 'invalid PKCS#8 private key: 1 trailing bytes after the key' },
    ],
    [
      'a non-SEQUENCE outer tag',
      edit(V1, 0, 0x31),
      {
        code: 'invalid_der',
        message: 'invalid PKCS#8 private key: expected a SEQUENCE (tag 0x30), found tag 0x31',
      },
    ],
    [
      'version 2',
      edit(V1, 4, 2),
      { code: 'invalid_der', message: 'invalid PKCS#8 private key: version must be 0 (v1) or 1 (v2)' },
    ],
    [
      'an X25519 OID',
      edit(V1, 11, 0x6e),
      {
        code: 'unsupported_algorithm',
        message: 'invalid PKCS#8 private key: algorithm OID is not Ed25519 (1.3.101.112)',
      },
    ],
    [
      'a 31-byte seed',
      Buffer.from(
        '302d020100300506032b657004210420'.replace('0420', '041f') + '07'.repeat(31),
        'hex',
      ).toString('base64'),
      {
        code: 'invalid_length',
        message: 'invalid PKCS#8 private key: Ed25519 seed must be 32 bytes, got 31',
      },
    ],
    [
      'a v1 header carrying a public key',
      Buffer.concat([Buffer.from([0x30, 0x51, 0x02, 0x01, 0x00]), V2.subarray(5)]).toString('base64'),
      {
        code: 'invalid_der',
        message: 'invalid PKCS#8 private key: a v1 (version 0) key must not carry a public key',
      },
    ],
    [
      'a v2 header without its public key',
      edit(V1, 4, 1),
      {
        code: 'invalid_der',
        message: 'invalid PKCS#8 private key: a v2 (version 1) key must carry its public key',
      },
    ],
    [
      'a v2 key whose public key does not match the seed',
      edit(V2, 82, V2[82]! ^ 1),
      {
        code: 'public_key_mismatch',
        message: 'invalid PKCS#8 private key: the embedded public key does not match the private key',
      },
    ],
    [
      'a v2 public key with unused bits',
      edit(V2, 50, 1),
      {
        code: 'invalid_der',
        message: 'invalid PKCS#8 private key: publicKey BIT STRING must have 0 unused bits',
      },
    ],
    [
      'attributes',
      Buffer.concat([Buffer.from([0x30, 0x30]), V1.subarray(2), Buffer.from([0xa0, 0x00])]).toString(
        'base64',
      ),
      { code: 'invalid_der', message: 'invalid PKCS#8 private key: PKCS#8 attributes are not supported' },
    ],
    [
      'a long-form length',
      Buffer.concat([Buffer.from([0x30, 0x81, 0x2e]), V1.subarray(2)]).toString('base64'),
      {
        code: 'invalid_der',
        message:
          'invalid PKCS#8 private key: the PrivateKeyInfo sequence uses an unsupported length encoding',
      },
    ],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    expect(keyError(() => AgentKey.fromPkcs8Base64(input))).toEqual(expected);
  });

  it('never echoes the key in an error message', () => {
    const input = edit(V2, 82, V2[82]! ^ 1);
    const { message } = keyError(() => AgentKey.fromPkcs8Base64(input));
    expect(message).not.toContain(input.slice(0, 20));
    expect(message).not.toContain('0707070707');
  });
});
