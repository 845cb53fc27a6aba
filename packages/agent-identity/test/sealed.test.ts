import sodium from 'libsodium-wrappers';
import { describe, expect, it } from 'vitest';
import { AgentTaskIdError } from '../src/errors.js';
import { AgentKey } from '../src/keys.js';
import { openSealedTaskId, sealTaskId } from '../src/sealed.js';
import { GOLDEN_SEED } from './golden-vector.js';

const KEY = AgentKey.fromSeed(GOLDEN_SEED);

async function taskIdError(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AgentTaskIdError);
    return { code: (error as AgentTaskIdError).code, message: (error as AgentTaskIdError).message };
  }
  throw new Error('expected AgentTaskIdError');
}

describe('sealed task ids', () => {
  it('round-trips through either recipient form', async () => {
    for (const recipient of [{ x25519PublicKey: KEY.x25519PublicKey }, { ed25519PublicKey: KEY.publicKey }]) {
      const sealed = await sealTaskId('task-ü-1', recipient);
      expect(Buffer.from(sealed, 'base64').toString('base64')).toBe(sealed);
      expect(Buffer.from(sealed, 'base64')).toHaveLength('task-ü-1'.length + 1 + 48);
      await expect(openSealedTaskId(sealed, KEY)).resolves.toBe('task-ü-1');
    }
  });

  it('opens a box sealed by libsodium directly (what the server does)', async () => {
    await sodium.ready;
    const sealed = sodium.crypto_box_seal(new TextEncoder().encode('task-from-server'), KEY.x25519PublicKey);
    await expect(openSealedTaskId(Buffer.from(sealed).toString('base64'), KEY)).resolves.toBe(
      'task-from-server',
    );
  });

  it('rejects bad base64', async () => {
    expect(await taskIdError(openSealedTaskId('not base64!', KEY))).toEqual({
      code: 'invalid_base64',
      message: 'encrypted task id is not valid base64',
    });
  });

  it('rejects a box for another key or a damaged box', async () => {
    const other = AgentKey.fromSeed(new Uint8Array(32).fill(8));
    const sealed = await sealTaskId('task-1', { x25519PublicKey: other.x25519PublicKey });
    const damaged = Buffer.from(
      await sealTaskId('task-1', { x25519PublicKey: KEY.x25519PublicKey }),
      'base64',
    );
    damaged[damaged.length - 1]! ^= 1;
    for (const input of [sealed, damaged.toString('base64'), Buffer.alloc(10).toString('base64')]) {
      expect(await taskIdError(openSealedTaskId(input, KEY))).toEqual({
        code: 'decrypt_failed',
        message: 'failed to decrypt encrypted task id',
      });
    }
  });

  it('rejects a plaintext that is not UTF-8, or empty', async () => {
    await sodium.ready;
    const notUtf8 = Buffer.from(
      sodium.crypto_box_seal(new Uint8Array([0xff, 0xfe]), KEY.x25519PublicKey),
    ).toString('base64');
    expect(await taskIdError(openSealedTaskId(notUtf8, KEY))).toEqual({
      code: 'invalid_utf8',
      message: 'decrypted task id is not valid UTF-8',
    });
    const empty = await sealTaskId('', { x25519PublicKey: KEY.x25519PublicKey });
    expect(await taskIdError(openSealedTaskId(empty, KEY))).toEqual({
      code: 'missing_task_id',
      message: 'decrypted task id is empty',
    });
  });
});
