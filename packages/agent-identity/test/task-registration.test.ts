import { describe, expect, it } from 'vitest';
import { AgentTaskIdError, RegistrationError } from '../src/errors.js';
import { AgentKey } from '../src/keys.js';
import { sealTaskId } from '../src/sealed.js';
import { registerAgentTask } from '../src/task-registration.js';

import {
  json,
  KEY,
  NOW,
  registrationError,
  SIGNER,
  startServer,
  TASK_SIGNATURE,
} from './registration-server.js';

describe('registerAgentTask', () => {
  const register = (url: string, extra: { externalTaskRef?: string } = {}) =>
    registerAgentTask({
      authapiBaseUrl: `${url}/api/accounts/`,
      signer: SIGNER,
      kind: extra.externalTaskRef ? 'thread' : 'background',
      now: NOW,
      ...extra,
    });

  it('posts {timestamp, signature} with no auth header and reads a plaintext task_id', async () => {
    const server = await startServer((_req, res) => json(res, 200, { task_id: 'task-plain' }));
    expect(await register(server.url)).toEqual({
      agentRuntimeId: 'agent-123',
      taskId: 'task-plain',
      kind: 'background',
      registeredAt: '2026-04-23T00:00:00Z',
    });
    expect(server.requests).toEqual([
      {
        method: 'POST',
        path: '/api/accounts/v1/agent/agent-123/task/register',
        headers: { 'content-type': 'application/json' },
        body: `{"timestamp":"2026-04-23T00:00:00Z","signature":"${TASK_SIGNATURE}"}`,
      },
    ]);
  });

  it('adds external_task_ref when given and returns a thread task', async () => {
    const server = await startServer((_req, res) => json(res, 201, { taskId: 'task-camel' }));
    expect(await register(server.url, { externalTaskRef: 'thread-123' })).toEqual({
      agentRuntimeId: 'agent-123',
      taskId: 'task-camel',
      kind: 'thread',
      externalTaskRef: 'thread-123',
      registeredAt: '2026-04-23T00:00:00Z',
    });
    expect(JSON.parse(server.requests[0]!.body)).toEqual({
      timestamp: '2026-04-23T00:00:00Z',
      signature: TASK_SIGNATURE,
      external_task_ref: 'thread-123',
    });
    expect(Object.keys(JSON.parse(server.requests[0]!.body))).toEqual([
      'timestamp',
      'signature',
      'external_task_ref',
    ]);
  });

  it('opens encrypted_task_id and encryptedTaskId, and prefers a plaintext id', async () => {
    const sealed = await sealTaskId('task-sealed', { ed25519PublicKey: KEY.publicKey });
    const responses: unknown[] = [
      { encrypted_task_id: sealed },
      { encryptedTaskId: sealed },
      { task_id: 'task-plain', encrypted_task_id: sealed },
      { task_id: '', encryptedTaskId: sealed },
    ];
    const server = await startServer((_req, res) => json(res, 200, responses.shift()));
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push((await register(server.url)).taskId);
    expect(ids).toEqual(['task-sealed', 'task-sealed', 'task-plain', 'task-sealed']);
  });

  it('fails with missing_task_id when the response has no task id', async () => {
    const server = await startServer((_req, res) => json(res, 200, { status: 'ok' }));
    const error = await register(server.url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentTaskIdError);
    expect({ code: (error as AgentTaskIdError).code, message: (error as Error).message }).toEqual({
      code: 'missing_task_id',
      message: 'agent task registration response omitted task id',
    });
  });

  it('fails with the sealed-box error when the encrypted id cannot be opened', async () => {
    const other = AgentKey.fromSeed(new Uint8Array(32).fill(1));
    const sealed = await sealTaskId('task-x', { ed25519PublicKey: other.publicKey });
    const server = await startServer((_req, res) => json(res, 200, { encrypted_task_id: sealed }));
    await expect(register(server.url)).rejects.toMatchObject({ code: 'decrypt_failed' });
  });

  it('rejects ids of the wrong type', async () => {
    const server = await startServer((_req, res) => json(res, 200, { task_id: 42 }));
    await expect(register(server.url)).rejects.toMatchObject({
      name: 'RegistrationError',
      code: 'invalid_response',
      operation: 'task',
      retryable: false,
    });
  });

  it('treats 429 as retryable and 400 as not, without the signature in the error', async () => {
    const statuses = [429, 400];
    const server = await startServer((_req, res, body) => {
      res.writeHead(statuses.shift()!);
      res.end(`rejected ${body}`);
    });
    const url = `${server.url}/api/accounts/v1/agent/agent-123/task/register`;
    const expectedBody = `rejected {"timestamp":"2026-04-23T00:00:00Z","signature":"<redacted>"}`;
    expect(await registrationError(register(server.url))).toEqual({
      name: 'RegistrationError',
      code: 'http_status',
      operation: 'task',
      status: 429,
      body: expectedBody,
      url,
      retryable: true,
      message: `agent task registration failed with status 429 from ${url}: ${expectedBody}`,
    });
    expect(await registrationError(register(server.url))).toMatchObject({ status: 400, retryable: false });
  });
  it('carries the response Date and the authorization-error reason, so a client can correct its clock', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(401, {
        date: 'Thu, 23 Apr 2026 00:10:00 GMT',
        'x-openai-authorization-error': 'stale_timestamp',
      });
      res.end();
    });
    const error = await register(server.url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistrationError);
    expect(error).toMatchObject({
      status: 401,
      retryable: false,
      serverDate: 'Thu, 23 Apr 2026 00:10:00 GMT',
      authorizationError: 'stale_timestamp',
    });
  });

  it('leaves both unset when there was no response', async () => {
    const server = await startServer((req) => req.socket.destroy());
    const error = (await register(server.url).catch((e: unknown) => e)) as RegistrationError;
    expect(error.code).toBe('network');
    expect(error.serverDate).toBeUndefined();
    expect(error.authorizationError).toBeUndefined();
  });
});
