import { describe, expect, it } from 'vitest';
import { AgentKeyError } from '../src/errors.js';
import { encodeSshEd25519PublicKey, parseSshEd25519PublicKey } from '../src/ssh.js';
import { GOLDEN } from './golden-vector.js';

const PUBLIC_KEY = Buffer.from(GOLDEN.publicKeyHex, 'hex');
const SSH = GOLDEN.publicKeySsh;

function parseError(text: string): { code: string; message: string } {
  try {
    parseSshEd25519PublicKey(text);
  } catch (error) {
    expect(error).toBeInstanceOf(AgentKeyError);
    return { code: (error as AgentKeyError).code, message: (error as AgentKeyError).message };
  }
  throw new Error('expected an AgentKeyError');
}

describe('ssh-ed25519 public keys', () => {
  it('encodes the OpenSSH wire shape', () => {
    expect(encodeSshEd25519PublicKey(PUBLIC_KEY)).toBe(SSH);
    const blob = Buffer.from(SSH.split(' ')[1]!, 'base64');
    expect(blob).toHaveLength(51);
    expect(blob.readUInt32BE(0)).toBe(11);
    expect(blob.subarray(4, 15).toString()).toBe('ssh-ed25519');
    expect(blob.readUInt32BE(15)).toBe(32);
    expect(blob.subarray(19).equals(PUBLIC_KEY)).toBe(true);
  });

  it('parses its own output and an authorized_keys comment', () => {
    expect(Buffer.from(parseSshEd25519PublicKey(SSH)).equals(PUBLIC_KEY)).toBe(true);
    expect(Buffer.from(parseSshEd25519PublicKey(`${SSH} me@host`)).equals(PUBLIC_KEY)).toBe(true);
  });

  it('refuses to encode a key that is not 32 bytes', () => {
    expect(() => encodeSshEd25519PublicKey(new Uint8Array(31))).toThrow(
      new AgentKeyError(
        'invalid_public_key',
        'invalid ssh-ed25519 public key: an Ed25519 public key is 32 bytes, got 31',
      ),
    );
  });

  const rsaBlob = Buffer.concat([Buffer.from('00000007', 'hex'), Buffer.from('ssh-rsa'), Buffer.alloc(40)]);
  const shortBlob = Buffer.from(SSH.split(' ')[1]!, 'base64').subarray(0, 50).toString('base64');
  const wrongTypeInBlob = Buffer.from(SSH.split(' ')[1]!, 'base64');
  wrongTypeInBlob[5] = 0x74;
  const cases: Array<[string, string, string]> = [
    ['no space', 'ssh-ed25519', 'expected "ssh-ed25519 <base64>"'],
    ['another key type', `ssh-rsa ${rsaBlob.toString('base64')}`, 'key type must be "ssh-ed25519"'],
    [
      'a differently cased key type',
      SSH.replace('ssh-ed25519', 'SSH-ED25519'),
      'key type must be "ssh-ed25519"',
    ],
    ['leading whitespace', ` ${SSH}`, 'key type must be "ssh-ed25519"'],
    ['two spaces', SSH.replace(' ', '  '), 'key data is not valid base64'],
    ['bad base64', `${SSH.slice(0, -1)}!`, 'key data is not valid base64'],
    ['empty key data', 'ssh-ed25519 ', 'key data is not valid base64'],
    ['a truncated blob', `ssh-ed25519 ${shortBlob}`, 'key blob must be 51 bytes, got 50'],
    [
      'a blob of another type',
      `ssh-ed25519 ${wrongTypeInBlob.toString('base64')}`,
      'key blob does not hold an ssh-ed25519 key of 32 bytes',
    ],
  ];
  it.each(cases)('rejects %s', (_name, input, message) => {
    expect(parseError(input)).toEqual({
      code: 'invalid_public_key',
      message: `invalid ssh-ed25519 public key: ${message}`,
    });
  });
});
