import { decodeBase64Strict } from './base64.js';
import { AgentKeyError } from './errors.js';

/** OpenSSH `ssh-ed25519` public keys: blob = u32be(11) ‖ "ssh-ed25519" ‖ u32be(32) ‖ key (51 bytes). */

const KEY_TYPE = 'ssh-ed25519';
const BLOB_PREFIX = Buffer.from('0000000b7373682d6564323535313900000020', 'hex');
const BLOB_LENGTH = BLOB_PREFIX.length + 32;

function invalid(message: string): AgentKeyError {
  return new AgentKeyError('invalid_public_key', `invalid ssh-ed25519 public key: ${message}`);
}

export function encodeSshEd25519PublicKey(publicKey: Uint8Array): string {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) {
    throw invalid(`an Ed25519 public key is 32 bytes, got ${publicKey?.length}`);
  }
  return `${KEY_TYPE} ${Buffer.concat([BLOB_PREFIX, publicKey]).toString('base64')}`;
}

/**
 * Parses `ssh-ed25519 <base64>` with an optional ` comment` (as in authorized_keys). Strict: one space after the
 * key type, canonical base64, and a blob that is exactly the 51-byte Ed25519 layout. Returns the 32 raw bytes.
 */
export function parseSshEd25519PublicKey(text: string): Uint8Array {
  if (typeof text !== 'string') throw invalid('expected a string');
  const firstSpace = text.indexOf(' ');
  if (firstSpace === -1) throw invalid(`expected "${KEY_TYPE} <base64>"`);
  const keyType = text.slice(0, firstSpace);
  if (keyType !== KEY_TYPE) throw invalid(`key type must be "${KEY_TYPE}"`);
  const rest = text.slice(firstSpace + 1);
  const secondSpace = rest.indexOf(' ');
  const encoded = secondSpace === -1 ? rest : rest.slice(0, secondSpace);
  const blob = decodeBase64Strict(encoded);
  if (blob === undefined || encoded.length === 0) throw invalid('key data is not valid base64');
  if (blob.length !== BLOB_LENGTH) throw invalid(`key blob must be ${BLOB_LENGTH} bytes, got ${blob.length}`);
  if (!blob.subarray(0, BLOB_PREFIX.length).equals(BLOB_PREFIX)) {
    throw invalid('key blob does not hold an ssh-ed25519 key of 32 bytes');
  }
  return Uint8Array.from(blob.subarray(BLOB_PREFIX.length));
}
