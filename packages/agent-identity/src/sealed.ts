import { decodeBase64Strict } from './base64.js';
import { AgentTaskIdError } from './errors.js';
import { type AgentTaskId, agentTaskId } from './ids.js';
import type { AgentKey } from './keys.js';

/**
 * Sealed task ids: a libsodium sealed box (crypto_box_seal) to the X25519 form of the agent key, sent as standard
 * base64. libsodium is loaded lazily, on the first seal or open, and initialised once.
 */

type Sodium = typeof import('libsodium-wrappers').default;
let sodiumPromise: Promise<Sodium> | undefined;

function sodium(): Promise<Sodium> {
  sodiumPromise ??= import('libsodium-wrappers').then(async (module) => {
    await module.default.ready;
    return module.default;
  });
  return sodiumPromise;
}

export type SealRecipient = { x25519PublicKey: Uint8Array } | { ed25519PublicKey: Uint8Array };

/** Server side: seals a task id to an agent's key. Returns standard base64 with padding. */
export async function sealTaskId(taskId: string, recipient: SealRecipient): Promise<string> {
  const lib = await sodium();
  const publicKey =
    'x25519PublicKey' in recipient
      ? recipient.x25519PublicKey
      : lib.crypto_sign_ed25519_pk_to_curve25519(recipient.ed25519PublicKey);
  const sealed = lib.crypto_box_seal(Buffer.from(taskId, 'utf8'), publicKey);
  return Buffer.from(sealed).toString('base64');
}

/** Client side: opens a sealed task id with the agent key. Throws AgentTaskIdError. */
export async function openSealedTaskId(encryptedBase64: string, key: AgentKey): Promise<AgentTaskId> {
  const ciphertext = decodeBase64Strict(encryptedBase64);
  if (ciphertext === undefined) {
    throw new AgentTaskIdError('invalid_base64', 'encrypted task id is not valid base64');
  }
  const lib = await sodium();
  let plaintext: Uint8Array;
  try {
    plaintext = lib.crypto_box_seal_open(ciphertext, key.x25519PublicKey, key.x25519SecretKey());
  } catch {
    throw new AgentTaskIdError('decrypt_failed', 'failed to decrypt encrypted task id');
  }
  let taskId: string;
  try {
    taskId = new TextDecoder('utf-8', { fatal: true }).decode(plaintext);
  } catch {
    throw new AgentTaskIdError('invalid_utf8', 'decrypted task id is not valid UTF-8');
  }
  if (taskId.length === 0) {
    throw new AgentTaskIdError('missing_task_id', 'decrypted task id is empty');
  }
  return agentTaskId(taskId);
}
