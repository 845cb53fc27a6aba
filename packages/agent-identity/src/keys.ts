import {
  createHash,
  createPrivateKey,
  createPublicKey,
  sign as cryptoSign,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import { inspect } from 'node:util';
import { decodeBase64Strict } from './base64.js';
import { encodeEd25519Pkcs8V1, encodeEd25519Pkcs8V2, parseEd25519Pkcs8 } from './der.js';
import { AgentKeyError } from './errors.js';
import { encodeSshEd25519PublicKey } from './ssh.js';

export { encodeSshEd25519PublicKey, parseSshEd25519PublicKey } from './ssh.js';
export { formatAgentTimestamp, parseAgentTimestamp } from './timestamp.js';

const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const X25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');

/** A node KeyObject for a raw 32-byte Ed25519 public key; servers keep these to verify without re-parsing. */
export function ed25519PublicKeyObject(publicKey: Uint8Array): KeyObject {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) {
    throw new AgentKeyError(
      'invalid_public_key',
      `an Ed25519 public key is 32 bytes, got ${publicKey?.length ?? typeof publicKey}`,
    );
  }
  return createPublicKey({
    key: Buffer.concat([ED25519_SPKI_PREFIX, publicKey]),
    format: 'der',
    type: 'spki',
  });
}

/** The Ed25519 → X25519 secret: SHA-512(seed)[0..32], clamped (what libsodium's sk_to_curve25519 does). */
function x25519SecretFromSeed(seed: Uint8Array): Buffer {
  const secret = createHash('sha512').update(seed).digest().subarray(0, 32);
  secret[0]! &= 248;
  secret[31]! &= 127;
  secret[31]! |= 64;
  return Buffer.from(secret);
}

function x25519PublicFromSecret(secret: Uint8Array): Uint8Array {
  const privateKey = createPrivateKey({
    key: Buffer.concat([X25519_PKCS8_PREFIX, secret]),
    format: 'der',
    type: 'pkcs8',
  });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return Uint8Array.from(spki.subarray(spki.length - 32));
}

/**
 * An Ed25519 agent key. The private key is parsed into a node KeyObject once; it is never shown by
 * `util.inspect`, `JSON.stringify` or an error message.
 */
export class AgentKey {
  readonly #seed: Buffer;
  readonly #privateKey: KeyObject;
  readonly #publicKey: Buffer;
  readonly publicKeySsh: string;
  #x25519Secret: Buffer | undefined;
  #x25519Public: Uint8Array | undefined;

  private constructor(seed: Uint8Array) {
    this.#seed = Buffer.from(seed);
    this.#privateKey = createPrivateKey({
      key: encodeEd25519Pkcs8V1(this.#seed),
      format: 'der',
      type: 'pkcs8',
    });
    const spki = createPublicKey(this.#privateKey).export({ format: 'der', type: 'spki' });
    this.#publicKey = Buffer.from(spki.subarray(spki.length - 32));
    this.publicKeySsh = encodeSshEd25519PublicKey(this.#publicKey);
  }

  static generate(): AgentKey {
    return new AgentKey(randomBytes(32));
  }

  static fromSeed(seed: Uint8Array): AgentKey {
    if (!(seed instanceof Uint8Array) || seed.length !== 32) {
      throw new AgentKeyError(
        'invalid_seed',
        `an Ed25519 seed is 32 bytes, got ${seed?.length ?? typeof seed}`,
      );
    }
    return new AgentKey(seed);
  }

  /** Imports PKCS#8 (v1 or v2) in standard base64 with padding, as stored in auth.json. */
  static fromPkcs8Base64(pkcs8Base64: string): AgentKey {
    const der = decodeBase64Strict(pkcs8Base64);
    if (der === undefined || der.length === 0) {
      throw new AgentKeyError('invalid_base64', 'invalid PKCS#8 private key: not valid standard base64');
    }
    const parsed = parseEd25519Pkcs8(der);
    const key = new AgentKey(parsed.seed);
    if (parsed.publicKey !== undefined && !key.#publicKey.equals(parsed.publicKey)) {
      throw new AgentKeyError(
        'public_key_mismatch',
        'invalid PKCS#8 private key: the embedded public key does not match the private key',
      );
    }
    return key;
  }

  /** The 32 raw public key bytes (a copy). */
  get publicKey(): Uint8Array {
    return Uint8Array.from(this.#publicKey);
  }

  /** The X25519 public key that sealed task ids are encrypted to (a copy). */
  get x25519PublicKey(): Uint8Array {
    this.#x25519Public ??= x25519PublicFromSecret(this.#x25519SecretBytes());
    return Uint8Array.from(this.#x25519Public);
  }

  /** The X25519 secret derived from the seed (a copy; treat as secret). */
  x25519SecretKey(): Uint8Array {
    return Uint8Array.from(this.#x25519SecretBytes());
  }

  /** PKCS#8 v2 (83-byte DER, public key included) in standard base64, the form upstream writes. */
  toPkcs8Base64(): string {
    return encodeEd25519Pkcs8V2(this.#seed, this.#publicKey).toString('base64');
  }

  /** Ed25519 signature (64 bytes) of the message (a string is signed as UTF-8). */
  sign(message: string | Uint8Array): Uint8Array {
    return cryptoSign(
      null,
      typeof message === 'string' ? Buffer.from(message, 'utf8') : message,
      this.#privateKey,
    );
  }

  /** Ed25519 signature of the UTF-8 message, in standard base64 with padding. */
  signBase64(message: string): string {
    return cryptoSign(null, Buffer.from(message, 'utf8'), this.#privateKey).toString('base64');
  }

  /** Whether both keys have the same public key. */
  equals(other: AgentKey): boolean {
    return other instanceof AgentKey && this.#publicKey.equals(other.#publicKey);
  }

  #x25519SecretBytes(): Buffer {
    this.#x25519Secret ??= x25519SecretFromSeed(this.#seed);
    return this.#x25519Secret;
  }

  toJSON(): { publicKeySsh: string } {
    return { publicKeySsh: this.publicKeySsh };
  }

  toString(): string {
    return `AgentKey(${this.publicKeySsh})`;
  }

  [inspect.custom](): string {
    return `AgentKey { publicKeySsh: ${JSON.stringify(this.publicKeySsh)} }`;
  }
}
