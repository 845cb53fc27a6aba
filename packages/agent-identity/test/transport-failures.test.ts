import { describe, expect, it } from 'vitest';
import { fetchAgentBiscuit } from '../src/biscuit.js';
import { registerAgentIdentity } from '../src/identity-registration.js';
import { registerAgentTask } from '../src/task-registration.js';

import {
  ABOM,
  ACCESS_TOKEN,
  BISCUIT,
  registrationError,
  SIGNER,
  servers,
  startServer,
} from './registration-server.js';

describe('transport failures', () => {
  it('times out each call when the server never answers', async () => {
    const server = await startServer(() => {});
    const timeoutMs = 50;
    const calls: Array<[string, Promise<unknown>, string]> = [
      [
        'biscuit',
        fetchAgentBiscuit({
          chatgptBaseUrl: server.url,
          accessToken: ACCESS_TOKEN,
          originalUrl: 'u',
          timeoutMs,
        }),
        `${server.url}/authenticate_app_v2`,
      ],
      [
        'identity',
        registerAgentIdentity({
          chatgptBaseUrl: server.url,
          biscuit: BISCUIT,
          publicKeySsh: 'k',
          abom: ABOM,
          timeoutMs,
        }),
        `${server.url}/v1/agent/register`,
      ],
      [
        'task',
        registerAgentTask({ authapiBaseUrl: server.url, signer: SIGNER, kind: 'background', timeoutMs }),
        `${server.url}/v1/agent/agent-123/task/register`,
      ],
    ];
    const labels: Record<string, string> = {
      biscuit: 'agent identity biscuit request',
      identity: 'agent identity registration',
      task: 'agent task registration',
    };
    for (const [operation, promise, url] of calls) {
      expect(await registrationError(promise)).toEqual({
        name: 'RegistrationError',
        code: 'timeout',
        operation,
        status: undefined,
        body: undefined,
        url,
        retryable: true,
        message: `${labels[operation]} timed out after 50 ms from ${url}`,
      });
    }
  });

  it('times out while the body is still streaming', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"agent_runtime_id":');
    });
    await expect(
      registerAgentIdentity({
        chatgptBaseUrl: server.url,
        biscuit: BISCUIT,
        publicKeySsh: 'k',
        abom: ABOM,
        timeoutMs: 50,
      }),
    ).rejects.toMatchObject({ code: 'timeout', retryable: true });
  });

  it('reports a refused connection as a retryable network error', async () => {
    const server = await startServer(() => {});
    const closed = servers.pop()!;
    await new Promise((resolve) => closed.close(resolve));
    await expect(
      fetchAgentBiscuit({ chatgptBaseUrl: server.url, accessToken: ACCESS_TOKEN, originalUrl: 'u' }),
    ).rejects.toMatchObject({
      name: 'RegistrationError',
      code: 'network',
      operation: 'biscuit',
      retryable: true,
      message: expect.stringMatching(
        /^agent identity biscuit request failed \(.*\) from http:\/\/127\.0\.0\.1:\d+\/authenticate_app_v2$/,
      ),
    });
  });

  it('reports a caller abort as aborted, not retryable', async () => {
    const server = await startServer(() => {});
    const controller = new AbortController();
    const promise = registerAgentTask({
      authapiBaseUrl: server.url,
      signer: SIGNER,
      kind: 'background',
      signal: controller.signal,
    });
    controller.abort(new Error('shutting down'));
    await expect(promise).rejects.toMatchObject({
      name: 'RegistrationError',
      code: 'aborted',
      retryable: false,
    });
  });
});
