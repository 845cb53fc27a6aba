import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, type Dispatcher } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { buildAbom } from '../src/abom.js';
import { fetchAgentBiscuit } from '../src/biscuit.js';
import { registerAgentIdentity } from '../src/identity-registration.js';
import { AgentKey } from '../src/keys.js';
import { createAgentSigner } from '../src/signer.js';
import { registerAgentTask } from '../src/task-registration.js';
import { fetchWithDispatcher, type RegistrationFetch, type RegistrationFetchInit } from '../src/transport.js';
import { GOLDEN_SEED } from './golden-vector.js';

const servers: Server[] = [];
const SIGNER = createAgentSigner({ agentRuntimeId: 'agent-123', key: AgentKey.fromSeed(GOLDEN_SEED) });
const ABOM = buildAbom({ sessionSource: 'cli', version: '0.1.0', os: 'linux' });

async function startServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url} ${req.headers['x-openai-authorization'] ?? ''}`.trim());
    req.resume();
    req.on('end', () => handler(req, res));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const json = (res: ServerResponse, status: number, body: string) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(body);
};

describe('the fetch transport', () => {
  it('sends through the given fetch, with the call, its headers, the body and no redirect following', async () => {
    const seen: Array<{ url: string; init: Omit<RegistrationFetchInit, 'signal'> }> = [];
    const fetch: RegistrationFetch = async (url, { signal, ...init }) => {
      expect(signal).toBeInstanceOf(AbortSignal);
      seen.push({ url, init });
      return new Response('{"task_id":"task-1"}', { status: 200 });
    };
    const now = new Date('2026-04-23T00:00:00Z');
    const task = await registerAgentTask({
      authapiBaseUrl: 'https://auth.example',
      signer: SIGNER,
      kind: 'background',
      now,
      fetch,
    });
    expect(task.taskId).toBe('task-1');
    expect(seen).toEqual([
      {
        url: 'https://auth.example/v1/agent/agent-123/task/register',
        init: {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(SIGNER.taskRegistrationBody({ now })),
          redirect: 'manual',
        },
      },
    ]);
  });

  it('sends through undici with a dispatcher (fetchWithDispatcher, and the deprecated dispatcher option)', async () => {
    const server = await startServer((_req, res) => json(res, 200, '{"task_id":"task-1"}'));
    let dispatched = 0;
    class CountingAgent extends Agent {
      override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
        dispatched++;
        return super.dispatch(options, handler);
      }
    }
    const dispatcher = new CountingAgent();
    try {
      const base = { authapiBaseUrl: server.url, signer: SIGNER, kind: 'background' as const };
      await registerAgentTask({ ...base, fetch: fetchWithDispatcher(dispatcher) });
      await registerAgentTask({ ...base, dispatcher });
    } finally {
      await dispatcher.close();
    }
    expect(dispatched).toBe(2);
  });

  it('does not follow a redirect: the biscuit never reaches the other host', async () => {
    const other = await startServer((_req, res) => json(res, 200, '{"agent_runtime_id":"agent-evil"}'));
    const server = await startServer((_req, res) => {
      res.writeHead(307, { location: `${other.url}/v1/agent/register` });
      res.end();
    });
    await expect(
      registerAgentIdentity({
        chatgptBaseUrl: server.url,
        biscuit: 'biscuit-secret',
        publicKeySsh: 'k',
        abom: ABOM,
      }),
    ).rejects.toMatchObject({
      name: 'RegistrationError',
      code: 'http_status',
      status: 307,
      retryable: false,
    });
    expect(server.hits).toEqual(['POST /v1/agent/register biscuit-secret']);
    expect(other.hits).toEqual([]);
  });

  it('refuses a response body that names a key twice', async () => {
    const server = await startServer((_req, res) =>
      json(res, 200, '{"agent_runtime_id":"agent-1","agent_runtime_id":"agent-2"}'),
    );
    await expect(
      registerAgentIdentity({
        chatgptBaseUrl: server.url,
        biscuit: 'biscuit-secret',
        publicKeySsh: 'k',
        abom: ABOM,
      }),
    ).rejects.toMatchObject({
      code: 'invalid_response',
      message: `agent identity registration returned a body that names the key "agent_runtime_id" twice from ${server.url}/v1/agent/register: {"agent_runtime_id":"agent-1","agent_runtime_id":"agent-2"}`,
    });
  });

  it('reads the biscuit header through fetch Headers', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'X-OpenAI-Authorization': 'biscuit-1' });
      res.end();
    });
    expect(await fetchAgentBiscuit({ chatgptBaseUrl: server.url, accessToken: 't', originalUrl: 'u' })).toBe(
      'biscuit-1',
    );
  });
});
