import { createHash, randomBytes, randomUUID } from 'node:crypto';

export function randomHex(bytes = 16): string {
  return randomBytes(bytes).toString('hex');
}

export function randomToken(prefix: string, bytes = 32): string {
  return `${prefix}${randomBytes(bytes).toString('base64url')}`;
}

/** Stored instead of refresh tokens, so the data file holds no usable secret for them. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function rfc3339Seconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

export function randomUUIDString(): string {
  return randomUUID();
}
