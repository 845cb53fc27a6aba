import { verify as cryptoVerify, type KeyObject } from 'node:crypto';
import type { AgentAssertionFailureReason } from './authorization-error.js';
import { decodeBase64Strict, decodeBase64UrlNoPadStrict } from './base64.js';
import { AgentAssertionError } from './errors.js';
import { parseJsonRejectingDuplicateKeys } from './json-object.js';
import { ed25519PublicKeyObject } from './keys.js';
import { parseAgentTimestamp } from './timestamp.js';

/**
 * `Authorization: AgentAssertion <token>`: token = base64url (no padding) of the compact JSON object with exactly
 * the sorted keys agent_runtime_id, signature, task_id, timestamp; signature = standard base64 of the Ed25519
 * signature over `{agent_runtime_id}:{task_id}:{timestamp}`.
 */
export const AGENT_ASSERTION_SCHEME = 'AgentAssertion';
const PREFIX = `${AGENT_ASSERTION_SCHEME} `;
const KEYS = ['agent_runtime_id', 'signature', 'task_id', 'timestamp'] as const;
export const DEFAULT_ASSERTION_WINDOW_SECONDS = 300;

export interface AgentAssertionClaims {
  agentRuntimeId: string;
  taskId: string;
  timestamp: string;
  signature: string;
}

export type AgentAssertionVerification =
  | { ok: true; claims: AgentAssertionClaims; ageSeconds: number }
  | { ok: false; reason: AgentAssertionFailureReason; message: string; claims?: AgentAssertionClaims };

export interface VerifyAgentAssertionOptions {
  /** The registered public key of a runtime, or undefined when the runtime is unknown. Keep KeyObjects cached. */
  publicKeyFor(agentRuntimeId: string): Uint8Array | KeyObject | undefined;
  /** Whether the task is registered for the runtime; omitted means every task is accepted. */
  isKnownTask?(agentRuntimeId: string, taskId: string): boolean;
  now?: Date;
  /** Accepted clock difference either way, in seconds (default 300). */
  windowSeconds?: number;
}

/** The signed message of an assertion. */
export function agentAssertionMessage(agentRuntimeId: string, taskId: string, timestamp: string): string {
  return `${agentRuntimeId}:${taskId}:${timestamp}`;
}

/** The signed message of a task registration. */
export function taskRegistrationMessage(agentRuntimeId: string, timestamp: string): string {
  return `${agentRuntimeId}:${timestamp}`;
}

// Characters JSON.stringify would escape: the quote, the backslash, C0 controls and (well-formed JSON.stringify)
// surrogates. Strings without them are quoted as they are, which keeps the per-request header cheap.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

function quote(value: string): string {
  return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
}

/**
 * The one encoder of the header value (the signer uses it too). The JSON is written in key order by hand; strings
 * are escaped exactly like JSON.stringify, which matches serde_json for these values (non-ASCII kept raw).
 */
export function encodeAgentAssertion(claims: AgentAssertionClaims): string {
  const json =
    `{"agent_runtime_id":${quote(claims.agentRuntimeId)},"signature":${quote(claims.signature)},` +
    `"task_id":${quote(claims.taskId)},"timestamp":${quote(claims.timestamp)}}`;
  return PREFIX + Buffer.from(json, 'utf8').toString('base64url');
}

function malformed(message: string): AgentAssertionError {
  return new AgentAssertionError('malformed_assertion', `malformed AgentAssertion: ${message}`);
}

/**
 * Decodes the header value without checking the signature. Throws AgentAssertionError('malformed_assertion'),
 * also for a payload that names a key twice.
 */
export function decodeAgentAssertion(headerValue: string): AgentAssertionClaims {
  if (typeof headerValue !== 'string') throw malformed('header value is not a string');
  if (!headerValue.startsWith(PREFIX)) {
    throw malformed(`scheme must be exactly "${AGENT_ASSERTION_SCHEME}" followed by one space`);
  }
  const token = headerValue.slice(PREFIX.length);
  if (token.length === 0) throw malformed('token is empty');
  const bytes = decodeBase64UrlNoPadStrict(token);
  if (bytes === undefined) throw malformed('token is not base64url without padding');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw malformed('token is not UTF-8');
  }
  const parsed = parseJsonRejectingDuplicateKeys(text);
  if (!parsed.ok) {
    throw malformed(
      parsed.error === 'syntax' ? 'token is not valid JSON' : `duplicate key ${JSON.stringify(parsed.key)}`,
    );
  }
  const value = parsed.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw malformed('token JSON is not an object');
  }
  const record = value as Record<string, unknown>;
  const present = Object.keys(record);
  const extra = present.filter((key) => !(KEYS as readonly string[]).includes(key));
  if (extra.length > 0)
    throw malformed(`unexpected key(s) ${extra.map((k) => JSON.stringify(k)).join(', ')}`);
  for (const key of KEYS) {
    if (!(key in record)) throw malformed(`missing key "${key}"`);
    if (typeof record[key] !== 'string') throw malformed(`key "${key}" is not a string`);
  }
  return {
    agentRuntimeId: record.agent_runtime_id as string,
    taskId: record.task_id as string,
    timestamp: record.timestamp as string,
    signature: record.signature as string,
  };
}

const keyObjects = new WeakMap<Uint8Array, KeyObject>();

function toKeyObject(publicKey: Uint8Array | KeyObject): KeyObject {
  if (!(publicKey instanceof Uint8Array)) return publicKey;
  let keyObject = keyObjects.get(publicKey);
  if (keyObject === undefined) {
    keyObject = ed25519PublicKeyObject(publicKey);
    keyObjects.set(publicKey, keyObject);
  }
  return keyObject;
}

type SignatureFailure = { ok: false; reason: 'malformed' | 'bad_signature'; message: string };
type WindowFailure = { ok: false; reason: 'stale_timestamp' | 'future_timestamp'; message: string };

/** The timestamp's format and the signature over `message`. */
function checkSignature(
  message: string,
  signature: string,
  timestamp: string,
  publicKey: Uint8Array | KeyObject,
): { ok: true; signedAt: Date } | SignatureFailure {
  const signedAt = parseAgentTimestamp(timestamp);
  if (signedAt === undefined) {
    return {
      ok: false,
      reason: 'malformed',
      message: `timestamp ${JSON.stringify(timestamp)} is not RFC 3339 seconds with Z`,
    };
  }
  const signatureBytes = decodeBase64Strict(signature);
  if (signatureBytes === undefined || signatureBytes.length !== 64) {
    return { ok: false, reason: 'malformed', message: 'signature is not 64 bytes of standard base64' };
  }
  if (!cryptoVerify(null, Buffer.from(message, 'utf8'), toKeyObject(publicKey), signatureBytes)) {
    return {
      ok: false,
      reason: 'bad_signature',
      message: 'signature does not verify with the registered public key',
    };
  }
  return { ok: true, signedAt };
}

/** Whether a signed timestamp is within `windowSeconds` (default 300) of now, either way. */
function checkWindow(
  timestamp: string,
  signedAt: Date,
  now: Date | undefined,
  windowSeconds: number | undefined,
): { ok: true; ageSeconds: number } | WindowFailure {
  const window = windowSeconds ?? DEFAULT_ASSERTION_WINDOW_SECONDS;
  const ageSeconds = Math.floor(((now ?? new Date()).getTime() - signedAt.getTime()) / 1000);
  if (ageSeconds > window) {
    return {
      ok: false,
      reason: 'stale_timestamp',
      message: `timestamp ${timestamp} is ${ageSeconds}s old (window ${window}s)`,
    };
  }
  if (ageSeconds < -window) {
    return {
      ok: false,
      reason: 'future_timestamp',
      message: `timestamp ${timestamp} is ${-ageSeconds}s in the future (window ${window}s)`,
    };
  }
  return { ok: true, ageSeconds };
}

/**
 * Verifies an `Authorization` header value for a server. Order: decode, runtime lookup, signature, task lookup,
 * timestamp window (a forged header never learns whether a task exists). Synchronous.
 */
export function verifyAgentAssertion(
  headerValue: string,
  options: VerifyAgentAssertionOptions,
): AgentAssertionVerification {
  let claims: AgentAssertionClaims;
  try {
    claims = decodeAgentAssertion(headerValue);
  } catch (error) {
    if (error instanceof AgentAssertionError)
      return { ok: false, reason: 'malformed_assertion', message: error.message };
    throw error;
  }
  const publicKey = options.publicKeyFor(claims.agentRuntimeId);
  if (publicKey === undefined) {
    return {
      ok: false,
      reason: 'unknown_runtime',
      message: `agent runtime ${claims.agentRuntimeId} is not registered`,
      claims,
    };
  }
  const message = agentAssertionMessage(claims.agentRuntimeId, claims.taskId, claims.timestamp);
  const signed = checkSignature(message, claims.signature, claims.timestamp, publicKey);
  if (!signed.ok) {
    const reason = signed.reason === 'malformed' ? 'malformed_assertion' : signed.reason;
    return { ok: false, reason, message: signed.message, claims };
  }
  if (options.isKnownTask !== undefined && !options.isKnownTask(claims.agentRuntimeId, claims.taskId)) {
    return {
      ok: false,
      reason: 'unknown_task',
      message: `agent task ${claims.taskId} is not registered for runtime ${claims.agentRuntimeId}`,
      claims,
    };
  }
  const fresh = checkWindow(claims.timestamp, signed.signedAt, options.now, options.windowSeconds);
  if (!fresh.ok) return { ...fresh, claims };
  return { ok: true, claims, ageSeconds: fresh.ageSeconds };
}

/** Why a task registration was refused: a 400 `malformed_registration`, else the 401 wire reasons. */
export type TaskRegistrationFailureReason =
  | 'malformed_registration'
  | 'bad_signature'
  | 'stale_timestamp'
  | 'future_timestamp';

/** Verifies a task-registration body's signature over `{agent_runtime_id}:{timestamp}` and its window. */
export function verifyTaskRegistrationSignature(o: {
  agentRuntimeId: string;
  timestamp: string;
  signature: string;
  publicKey: Uint8Array | KeyObject;
  now?: Date;
  windowSeconds?: number;
}): { ok: true } | { ok: false; reason: TaskRegistrationFailureReason; message: string } {
  if (typeof o.timestamp !== 'string' || typeof o.signature !== 'string') {
    return {
      ok: false,
      reason: 'malformed_registration',
      message: 'timestamp and signature must be strings',
    };
  }
  const message = taskRegistrationMessage(o.agentRuntimeId, o.timestamp);
  const signed = checkSignature(message, o.signature, o.timestamp, o.publicKey);
  if (!signed.ok) {
    const reason = signed.reason === 'malformed' ? 'malformed_registration' : signed.reason;
    return { ok: false, reason, message: signed.message };
  }
  const fresh = checkWindow(o.timestamp, signed.signedAt, o.now, o.windowSeconds);
  return fresh.ok ? { ok: true } : fresh;
}
