import { describe, expect, it } from 'vitest';
import {
  type AgentAssertionClaims,
  decodeAgentAssertion,
  encodeAgentAssertion,
  verifyAgentAssertion,
  verifyTaskRegistrationSignature,
} from '../src/assertion.js';
import { AgentAssertionError } from '../src/errors.js';
import { AgentKey, ed25519PublicKeyObject } from '../src/keys.js';
import { createAgentSigner } from '../src/signer.js';
import { GOLDEN_SEED } from './golden-vector.js';

const KEY = AgentKey.fromSeed(GOLDEN_SEED);
const OTHER = AgentKey.fromSeed(new Uint8Array(32).fill(9));
const NOW = new Date('2026-04-23T00:00:00Z');
const SIGNER = createAgentSigner({ agentRuntimeId: 'agent-123', key: KEY });
const HEADER = SIGNER.authorizationHeader('task-123', NOW);
const CLAIMS: AgentAssertionClaims = decodeAgentAssertion(HEADER);

const token = (json: string) => `AgentAssertion ${Buffer.from(json).toString('base64url')}`;

function malformedMessage(header: string): string {
  try {
    decodeAgentAssertion(header);
  } catch (error) {
    expect(error).toBeInstanceOf(AgentAssertionError);
    expect((error as AgentAssertionError).reason).toBe('malformed_assertion');
    expect((error as AgentAssertionError).code).toBe('malformed_assertion');
    return (error as AgentAssertionError).message;
  }
  throw new Error('expected AgentAssertionError');
}

describe('decodeAgentAssertion', () => {
  it('decodes the four claims', () => {
    expect(CLAIMS).toEqual({
      agentRuntimeId: 'agent-123',
      taskId: 'task-123',
      timestamp: '2026-04-23T00:00:00Z',
      signature: KEY.signBase64('agent-123:task-123:2026-04-23T00:00:00Z'),
    });
    expect(encodeAgentAssertion(CLAIMS)).toBe(HEADER);
  });

  it('escapes every string exactly as JSON.stringify does', () => {
    const values = [
      'plain',
      'q"uote',
      'back\\slash',
      'tab\tnl\n',
      '\u0000\u001f\u007f',
      'é✓😀',
      '\ud800lone',
      'x\u2028y',
    ];
    for (const value of values) {
      const claims = { agentRuntimeId: value, taskId: value, timestamp: value, signature: value };
      const json = `{"agent_runtime_id":${JSON.stringify(value)},"signature":${JSON.stringify(value)},"task_id":${JSON.stringify(value)},"timestamp":${JSON.stringify(value)}}`;
      expect(encodeAgentAssertion(claims)).toBe(
        `AgentAssertion ${Buffer.from(json, 'utf8').toString('base64url')}`,
      );
      if (!value.includes('\ud800'))
        expect(decodeAgentAssertion(encodeAgentAssertion(claims))).toEqual(claims);
    }
  });

  const sig = CLAIMS.signature;
  const good = `"agent_runtime_id":"a","signature":"${sig}","task_id":"t","timestamp":"2026-04-23T00:00:00Z"`;
  const cases: Array<[string, string, string]> = [
    ['a bearer header', 'Bearer abc', 'scheme must be exactly "AgentAssertion" followed by one space'],
    [
      'a lower-case scheme',
      HEADER.replace('AgentAssertion', 'agentassertion'),
      'scheme must be exactly "AgentAssertion" followed by one space',
    ],
    [
      'an upper-case scheme',
      HEADER.replace('AgentAssertion', 'AGENTASSERTION'),
      'scheme must be exactly "AgentAssertion" followed by one space',
    ],
    ['no space', HEADER.replace(' ', ''), 'scheme must be exactly "AgentAssertion" followed by one space'],
    ['a tab', HEADER.replace(' ', '\t'), 'scheme must be exactly "AgentAssertion" followed by one space'],
    ['two spaces', HEADER.replace(' ', '  '), 'token is not base64url without padding'],
    ['an empty token', 'AgentAssertion ', 'token is empty'],
    ['padding', `${HEADER}=`, 'token is not base64url without padding'],
    [
      'standard base64 characters',
      `AgentAssertion ${Buffer.from(`{${good}}???`).toString('base64')}`,
      'token is not base64url without padding',
    ],
    ['trailing whitespace', `${HEADER} `, 'token is not base64url without padding'],
    [
      'an impossible length',
      `${HEADER}A`.slice(0, 'AgentAssertion '.length + 5),
      'token is not base64url without padding',
    ],
    [
      'invalid UTF-8',
      `AgentAssertion ${Buffer.from([0x7b, 0xff, 0x7d]).toString('base64url')}`,
      'token is not UTF-8',
    ],
    ['truncated JSON', token(`{${good}`), 'token is not valid JSON'],
    ['a JSON array', token('["a"]'), 'token JSON is not an object'],
    ['a JSON string', token('"x"'), 'token JSON is not an object'],
    ['JSON null', token('null'), 'token JSON is not an object'],
    [
      'a missing key',
      token(`{"agent_runtime_id":"a","signature":"${sig}","task_id":"t"}`),
      'missing key "timestamp"',
    ],
    ['an extra key', token(`{${good},"nonce":"n"}`), 'unexpected key(s) "nonce"'],
    [
      'a differently cased key',
      token(`{${good.replace('task_id', 'Task_id')}}`),
      'unexpected key(s) "Task_id"',
    ],
    ['a number value', token(`{${good.replace('"t"', '7')}}`), 'key "task_id" is not a string'],
    ['a null value', token(`{${good.replace('"a"', 'null')}}`), 'key "agent_runtime_id" is not a string'],
    ['a duplicate task_id', token(`{"task_id":"other",${good}}`), 'duplicate key "task_id"'],
    [
      'a duplicate key spelled with an escape',
      token(`{${good},"task\\u005fid":"t"}`),
      'duplicate key "task_id"',
    ],
    [
      'a duplicate key after whitespace',
      token(`{ ${good} , "signature" : "${sig}" }`),
      'duplicate key "signature"',
    ],
  ];
  it.each(cases)('rejects %s', (_name, header, message) => {
    expect(malformedMessage(header)).toBe(`malformed AgentAssertion: ${message}`);
  });
});

describe('verifyAgentAssertion', () => {
  const keys = new Map([['agent-123', ed25519PublicKeyObject(KEY.publicKey)]]);
  const options = {
    publicKeyFor: (runtime: string) => keys.get(runtime),
    isKnownTask: (runtime: string, task: string) => runtime === 'agent-123' && task === 'task-123',
    now: NOW,
  };

  it('accepts a fresh header with a cached KeyObject or raw bytes', () => {
    expect(verifyAgentAssertion(HEADER, options)).toEqual({ ok: true, claims: CLAIMS, ageSeconds: 0 });
    expect(
      verifyAgentAssertion(HEADER, {
        publicKeyFor: () => KEY.publicKey,
        now: new Date('2026-04-23T00:04:59.900Z'),
      }),
    ).toEqual({ ok: true, claims: CLAIMS, ageSeconds: 299 });
  });

  it('accepts the edges of the window and rejects beyond them', () => {
    const at = (iso: string) => verifyAgentAssertion(HEADER, { ...options, now: new Date(iso) });
    expect(at('2026-04-23T00:05:00Z')).toEqual({ ok: true, claims: CLAIMS, ageSeconds: 300 });
    expect(at('2026-04-22T23:55:00Z')).toEqual({ ok: true, claims: CLAIMS, ageSeconds: -300 });
    expect(at('2026-04-23T00:05:01Z')).toEqual({
      ok: false,
      reason: 'stale_timestamp',
      message: 'timestamp 2026-04-23T00:00:00Z is 301s old (window 300s)',
      claims: CLAIMS,
    });
    expect(at('2026-04-22T23:54:59Z')).toEqual({
      ok: false,
      reason: 'future_timestamp',
      message: 'timestamp 2026-04-23T00:00:00Z is 301s in the future (window 300s)',
      claims: CLAIMS,
    });
  });

  it('honours a custom window', () => {
    expect(
      verifyAgentAssertion(HEADER, { ...options, windowSeconds: 10, now: new Date('2026-04-23T00:00:11Z') }),
    ).toMatchObject({
      ok: false,
      reason: 'stale_timestamp',
      message: 'timestamp 2026-04-23T00:00:00Z is 11s old (window 10s)',
    });
  });

  it('reports a malformed header without claims', () => {
    expect(verifyAgentAssertion('Bearer x', options)).toEqual({
      ok: false,
      reason: 'malformed_assertion',
      message: 'malformed AgentAssertion: scheme must be exactly "AgentAssertion" followed by one space',
    });
  });

  it('reports an unknown runtime', () => {
    const header = createAgentSigner({ agentRuntimeId: 'agent-999', key: KEY }).authorizationHeader(
      'task-123',
      NOW,
    );
    expect(verifyAgentAssertion(header, options)).toEqual({
      ok: false,
      reason: 'unknown_runtime',
      message: 'agent runtime agent-999 is not registered',
      claims: decodeAgentAssertion(header),
    });
  });

  it('reports an unknown task', () => {
    const header = SIGNER.authorizationHeader('task-999', NOW);
    expect(verifyAgentAssertion(header, options)).toEqual({
      ok: false,
      reason: 'unknown_task',
      message: 'agent task task-999 is not registered for runtime agent-123',
      claims: decodeAgentAssertion(header),
    });
  });

  it('reports a bad signature (other key, tampered claims) before task or time checks', () => {
    const forged = createAgentSigner({ agentRuntimeId: 'agent-123', key: OTHER }).authorizationHeader(
      'task-999',
      new Date(0),
    );
    const tampered = encodeAgentAssertion({ ...CLAIMS, taskId: 'task-124' });
    for (const header of [forged, tampered]) {
      expect(verifyAgentAssertion(header, options)).toEqual({
        ok: false,
        reason: 'bad_signature',
        message: 'signature does not verify with the registered public key',
        claims: decodeAgentAssertion(header),
      });
    }
  });

  it('reports a signature or timestamp that cannot be read as malformed', () => {
    const badSignature = encodeAgentAssertion({ ...CLAIMS, signature: 'AAAA' });
    expect(verifyAgentAssertion(badSignature, options)).toEqual({
      ok: false,
      reason: 'malformed_assertion',
      message: 'signature is not 64 bytes of standard base64',
      claims: decodeAgentAssertion(badSignature),
    });
    const badTimestamp = encodeAgentAssertion({ ...CLAIMS, timestamp: '2026-04-23T00:00:00.000Z' });
    expect(verifyAgentAssertion(badTimestamp, options)).toEqual({
      ok: false,
      reason: 'malformed_assertion',
      message: 'timestamp "2026-04-23T00:00:00.000Z" is not RFC 3339 seconds with Z',
      claims: decodeAgentAssertion(badTimestamp),
    });
  });
});

describe('verifyTaskRegistrationSignature', () => {
  const body = SIGNER.taskRegistrationBody({ now: NOW });
  const base = { agentRuntimeId: 'agent-123', ...body, publicKey: KEY.publicKey, now: NOW };

  it('accepts a fresh body', () => {
    expect(verifyTaskRegistrationSignature(base)).toEqual({ ok: true });
    expect(
      verifyTaskRegistrationSignature({ ...base, publicKey: ed25519PublicKeyObject(KEY.publicKey) }),
    ).toEqual({
      ok: true,
    });
  });

  it('rejects each failure with its reason', () => {
    expect(verifyTaskRegistrationSignature({ ...base, agentRuntimeId: 'agent-124' })).toEqual({
      ok: false,
      reason: 'bad_signature',
      message: 'signature does not verify with the registered public key',
    });
    expect(verifyTaskRegistrationSignature({ ...base, now: new Date('2026-04-23T00:05:01Z') })).toEqual({
      ok: false,
      reason: 'stale_timestamp',
      message: 'timestamp 2026-04-23T00:00:00Z is 301s old (window 300s)',
    });
    expect(
      verifyTaskRegistrationSignature({ ...base, windowSeconds: 5, now: new Date('2026-04-22T23:59:54Z') }),
    ).toEqual({
      ok: false,
      reason: 'future_timestamp',
      message: 'timestamp 2026-04-23T00:00:00Z is 6s in the future (window 5s)',
    });
    expect(verifyTaskRegistrationSignature({ ...base, signature: `${body.signature}x` })).toEqual({
      ok: false,
      reason: 'malformed_registration',
      message: 'signature is not 64 bytes of standard base64',
    });
    expect(verifyTaskRegistrationSignature({ ...base, timestamp: 'yesterday' })).toEqual({
      ok: false,
      reason: 'malformed_registration',
      message: 'timestamp "yesterday" is not RFC 3339 seconds with Z',
    });
  });
});
