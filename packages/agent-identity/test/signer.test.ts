import { describe, expect, it } from 'vitest';
import { decodeAgentAssertion, verifyAgentAssertion } from '../src/assertion.js';
import { AgentIdentityError, AgentKeyError, AgentRuntimeMismatchError } from '../src/errors.js';
import { AgentKey } from '../src/keys.js';
import { sealTaskId } from '../src/sealed.js';
import { createAgentSigner } from '../src/signer.js';
import { GOLDEN_SEED } from './golden-vector.js';

const KEY = AgentKey.fromSeed(GOLDEN_SEED);
const NOW = new Date('2026-04-23T00:00:00Z');

describe('createAgentSigner', () => {
  it('exposes the runtime, the SSH key and the key', () => {
    const signer = createAgentSigner({
      agentRuntimeId: 'agent-123',
      privateKeyPkcs8Base64: KEY.toPkcs8Base64(),
    });
    expect({
      runtime: signer.agentRuntimeId,
      ssh: signer.publicKeySsh,
      same: signer.key.equals(KEY),
    }).toEqual({
      runtime: 'agent-123',
      ssh: KEY.publicKeySsh,
      same: true,
    });
  });

  it('rejects a bad key or an empty runtime', () => {
    expect(() => createAgentSigner({ agentRuntimeId: 'a', privateKeyPkcs8Base64: 'nope' })).toThrow(
      AgentKeyError,
    );
    expect(() => createAgentSigner({ agentRuntimeId: '', key: KEY })).toThrow(
      new AgentIdentityError('invalid_id', 'agent runtime id must be a non-empty string'),
    );
  });

  it('rejects a task of another runtime with upstream’s message', () => {
    const signer = createAgentSigner({ agentRuntimeId: 'agent-123', key: KEY });
    let caught: unknown;
    try {
      signer.authorizationHeader({ agentRuntimeId: 'agent-456', taskId: 'task-1' }, NOW);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AgentRuntimeMismatchError);
    expect({ ...(caught as AgentRuntimeMismatchError), message: (caught as Error).message }).toEqual({
      code: 'runtime_mismatch',
      name: 'AgentRuntimeMismatchError',
      targetRuntimeId: 'agent-456',
      keyRuntimeId: 'agent-123',
      message: 'agent task runtime agent-456 does not match stored agent identity agent-123',
    });
  });

  it('rejects an empty task id', () => {
    const signer = createAgentSigner({ agentRuntimeId: 'agent-123', key: KEY });
    expect(() => signer.authorizationHeader('', NOW)).toThrow('agent task id must be a non-empty string');
  });

  it('makes a fresh, verifiable header per call with the current clock', () => {
    const signer = createAgentSigner({ agentRuntimeId: 'agent-123', key: KEY });
    const before = Math.floor(Date.now() / 1000);
    const claims = decodeAgentAssertion(signer.authorizationHeader('task-1'));
    const signedAt = Date.parse(claims.timestamp) / 1000;
    expect(signedAt).toBeGreaterThanOrEqual(before);
    expect(signedAt).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    const later = signer.authorizationHeader('task-1', new Date(NOW.getTime() + 1000));
    expect(decodeAgentAssertion(later).timestamp).toBe('2026-04-23T00:00:01Z');
    expect(signer.authorizationHeader('task-1', NOW)).not.toBe(later);
  });

  it('escapes ids like serde_json (quotes, control characters, non-ASCII raw, slash unescaped)', () => {
    const runtime = 'rt"\\/é\u0001\n';
    const task = 'täsk/😀\t';
    const signer = createAgentSigner({ agentRuntimeId: runtime, key: KEY });
    const header = signer.authorizationHeader(task, NOW);
    const json = Buffer.from(header.slice('AgentAssertion '.length), 'base64url').toString('utf8');
    const signature = KEY.signBase64(`${runtime}:${task}:2026-04-23T00:00:00Z`);
    expect(json).toBe(
      `{"agent_runtime_id":"rt\\"\\\\/é\\u0001\\n","signature":"${signature}","task_id":"täsk/😀\\t","timestamp":"2026-04-23T00:00:00Z"}`,
    );
    expect(verifyAgentAssertion(header, { publicKeyFor: () => KEY.publicKey, now: NOW })).toMatchObject({
      ok: true,
      claims: { agentRuntimeId: runtime, taskId: task },
    });
  });

  it('builds the task-registration body with the ref only when given', () => {
    const signer = createAgentSigner({ agentRuntimeId: 'agent-123', key: KEY });
    const signature = KEY.signBase64('agent-123:2026-04-23T00:00:00Z');
    expect(JSON.stringify(signer.taskRegistrationBody({ now: NOW }))).toBe(
      `{"timestamp":"2026-04-23T00:00:00Z","signature":"${signature}"}`,
    );
    expect(JSON.stringify(signer.taskRegistrationBody({ now: NOW, externalTaskRef: 'thread-123' }))).toBe(
      `{"timestamp":"2026-04-23T00:00:00Z","signature":"${signature}","external_task_ref":"thread-123"}`,
    );
  });

  it('opens a task id sealed to its key', async () => {
    const signer = createAgentSigner({ agentRuntimeId: 'agent-123', key: KEY });
    const sealed = await sealTaskId('task-abc', { x25519PublicKey: KEY.x25519PublicKey });
    await expect(signer.openSealedTaskId(sealed)).resolves.toBe('task-abc');
  });
});
