import { AgentKeyError } from './errors.js';

/**
 * The two PKCS#8 shapes of an Ed25519 private key (RFC 8410):
 *   v1 (48 bytes): SEQUENCE { INTEGER 0, SEQUENCE { OID 1.3.101.112 }, OCTET STRING { OCTET STRING seed } }
 *   v2 (83 bytes): SEQUENCE { INTEGER 1, SEQUENCE { OID 1.3.101.112 }, OCTET STRING { OCTET STRING seed },
 *                             [1] IMPLICIT BIT STRING public-key }
 * The parser below accepts exactly these (DER, short lengths, no attributes, no algorithm parameters).
 */

export interface Ed25519Pkcs8 {
  version: 1 | 2;
  seed: Uint8Array;
  publicKey?: Uint8Array;
}

const TAG_SEQUENCE = 0x30;
const TAG_INTEGER = 0x02;
const TAG_OCTET_STRING = 0x04;
const TAG_OID = 0x06;
const TAG_ATTRIBUTES = 0xa0;
const TAG_PUBLIC_KEY = 0x81;
const ED25519_OID = Buffer.from([0x2b, 0x65, 0x70]);

const V1_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const V2_PREFIX = Buffer.from('3051020101300506032b657004220420', 'hex');
const V2_PUBLIC_KEY_PREFIX = Buffer.from('812100', 'hex');

interface Tlv {
  tag: number;
  value: Uint8Array;
  next: number;
}

function malformed(message: string): AgentKeyError {
  return new AgentKeyError('invalid_der', `invalid PKCS#8 private key: ${message}`);
}

function readTlv(bytes: Uint8Array, offset: number, end: number, what: string): Tlv {
  if (offset + 2 > end) throw malformed(`truncated before ${what}`);
  const tag = bytes[offset]!;
  const length = bytes[offset + 1]!;
  if (length >= 0x80) throw malformed(`${what} uses an unsupported length encoding`);
  const start = offset + 2;
  if (start + length > end) throw malformed(`${what} is truncated`);
  return { tag, value: bytes.subarray(start, start + length), next: start + length };
}

function expectTag(tlv: Tlv, tag: number, what: string): void {
  if (tlv.tag !== tag) {
    throw malformed(`expected ${what} (tag 0x${tag.toString(16)}), found tag 0x${tlv.tag.toString(16)}`);
  }
}

export function parseEd25519Pkcs8(der: Uint8Array): Ed25519Pkcs8 {
  const outer = readTlv(der, 0, der.length, 'the PrivateKeyInfo sequence');
  expectTag(outer, TAG_SEQUENCE, 'a SEQUENCE');
  if (outer.next !== der.length) throw malformed(`${der.length - outer.next} trailing bytes after the key`);
  const body = outer.value;

  const version = readTlv(body, 0, body.length, 'the version');
  expectTag(version, TAG_INTEGER, 'the version INTEGER');
  if (version.value.length !== 1 || (version.value[0] !== 0 && version.value[0] !== 1)) {
    throw malformed('version must be 0 (v1) or 1 (v2)');
  }
  const isV2 = version.value[0] === 1;

  const algorithm = readTlv(body, version.next, body.length, 'the algorithm identifier');
  expectTag(algorithm, TAG_SEQUENCE, 'the AlgorithmIdentifier SEQUENCE');
  const oid = readTlv(algorithm.value, 0, algorithm.value.length, 'the algorithm OID');
  expectTag(oid, TAG_OID, 'an OBJECT IDENTIFIER');
  if (!ED25519_OID.equals(oid.value)) {
    throw new AgentKeyError(
      'unsupported_algorithm',
      `invalid PKCS#8 private key: algorithm OID is not Ed25519 (1.3.101.112)`,
    );
  }
  if (oid.next !== algorithm.value.length)
    throw malformed('Ed25519 algorithm identifier must not have parameters');

  const privateKey = readTlv(body, algorithm.next, body.length, 'the private key');
  expectTag(privateKey, TAG_OCTET_STRING, 'the privateKey OCTET STRING');
  const seed = readTlv(privateKey.value, 0, privateKey.value.length, 'the CurvePrivateKey');
  expectTag(seed, TAG_OCTET_STRING, 'the CurvePrivateKey OCTET STRING');
  if (seed.next !== privateKey.value.length) throw malformed('trailing bytes inside the privateKey field');
  if (seed.value.length !== 32) {
    throw new AgentKeyError(
      'invalid_length',
      `invalid PKCS#8 private key: Ed25519 seed must be 32 bytes, got ${seed.value.length}`,
    );
  }

  let offset = privateKey.next;
  if (offset < body.length && body[offset] === TAG_ATTRIBUTES) {
    throw malformed('PKCS#8 attributes are not supported');
  }
  let publicKey: Uint8Array | undefined;
  if (offset < body.length) {
    const field = readTlv(body, offset, body.length, 'the public key');
    expectTag(field, TAG_PUBLIC_KEY, 'the [1] publicKey field');
    if (field.value.length < 1 || field.value[0] !== 0) {
      throw malformed('publicKey BIT STRING must have 0 unused bits');
    }
    publicKey = field.value.subarray(1);
    if (publicKey.length !== 32) {
      throw new AgentKeyError(
        'invalid_length',
        `invalid PKCS#8 private key: Ed25519 public key must be 32 bytes, got ${publicKey.length}`,
      );
    }
    offset = field.next;
  }
  if (offset !== body.length) throw malformed('unexpected fields after the private key');
  if (isV2 && publicKey === undefined) throw malformed('a v2 (version 1) key must carry its public key');
  if (!isV2 && publicKey !== undefined) throw malformed('a v1 (version 0) key must not carry a public key');

  const result: Ed25519Pkcs8 = { version: isV2 ? 2 : 1, seed: Uint8Array.from(seed.value) };
  if (publicKey !== undefined) result.publicKey = Uint8Array.from(publicKey);
  return result;
}

/** PKCS#8 v1 (48 bytes): the form node:crypto imports. */
export function encodeEd25519Pkcs8V1(seed: Uint8Array): Buffer {
  return Buffer.concat([V1_PREFIX, seed]);
}

/** PKCS#8 v2 (83 bytes) with the public key: the form upstream (ed25519-dalek) writes. */
export function encodeEd25519Pkcs8V2(seed: Uint8Array, publicKey: Uint8Array): Buffer {
  return Buffer.concat([V2_PREFIX, seed, V2_PUBLIC_KEY_PREFIX, publicKey]);
}
