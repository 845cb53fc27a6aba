import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { buildAbom } from '../src/abom.js';
import { fetchAgentBiscuit } from '../src/biscuit.js';
import { AgentTaskIdError, RegistrationError } from '../src/errors.js';
import { registerAgentIdentity } from '../src/identity-registration.js';
import { AgentKey } from '../src/keys.js';
import { sealTaskId } from '../src/sealed.js';
import { createAgentSigner } from '../src/signer.js';
import { registerAgentTask } from '../src/task-registration.js';
import { GOLDEN_SEED } from './golden-vector.js';

interface Recorded {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

// What fetch itself adds to every request (undici's defaults), not what the calls choose to send.
const TRANSPORT_HEADERS = new Set([
  'host',
  'connection',
  'content-length',
  'accept',
  'accept-encoding',
  'accept-language',
  'sec-fetch-mode',
  'user-agent',
]);
const servers: Server[] = [];

async function startServer(handler: Handler): Promise<{ url: string; requests: Recorded[] }> {
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (!TRANSPORT_HEADERS.has(name)) headers[name] = String(value);
      }
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers, body });
      handler(req, res, body);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

function json(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(value));
}

async function registrationError(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(RegistrationError);
    const e = error as RegistrationError;
    return {
      name: e.name,
      code: e.code,
      operation: e.operation,
      status: e.status,
      body: e.body,
      url: e.url,
      retryable: e.retryable,
      message: e.message,
    };
  }
  throw new Error('expected RegistrationError');
}

const KEY = AgentKey.fromSeed(GOLDEN_SEED);
const NOW = new Date('2026-04-23T00:00:00Z');
const SIGNER = createAgentSigner({ agentRuntimeId: 'agent-123', key: KEY });
const TASK_SIGNATURE = KEY.signBase64('agent-123:2026-04-23T00:00:00Z');
const ACCESS_TOKEN = 'access-token-secret-123';
const BISCUIT = 'biscuit-secret-456';
const ABOM = { agent_version: '0.1.0', agent_harness_id: 'codex-cli', running_location: 'cli-linux' };

describe('buildAbom', () => {
  it('maps the session source like upstream', () => {
    expect(buildAbom({ sessionSource: 'cli', version: '1.2.3', os: 'linux' })).toEqual({
      agent_version: '1.2.3',
      agent_harness_id: 'codex-cli',
      running_location: 'cli-linux',
    });
    expect(buildAbom({ sessionSource: 'vscode', version: '1.2.3', os: 'macos' })).toEqual({
      agent_version: '1.2.3',
      agent_harness_id: 'codex-app',
      running_location: 'vscode-macos',
    });
    expect(buildAbom({ sessionSource: 'exec', version: '1' }).running_location).toMatch(/^exec-[a-z0-9]+$/);
    expect(buildAbom({ sessionSource: 'mcp', version: '1' }).agent_harness_id).toBe('codex-cli');
  });
});

describe('fetchAgentBiscuit', () => {
  it('sends exactly the bearer, request id and original-call headers and returns the biscuit header', async () => {
    const server = await startServer((_req, res) =>
      json(res, 200, {}, { 'x-openai-authorization': BISCUIT }),
    );
    const biscuit = await fetchAgentBiscuit({
      chatgptBaseUrl: `${server.url}/backend-api/`,
      accessToken: ACCESS_TOKEN,
      originalUrl: `${server.url}/backend-api/v1/agent/register`,
    });
    expect(biscuit).toBe(BISCUIT);
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    const requestId = request!.headers['x-request-id']!;
    expect(requestId).toMatch(/^codex-agent-identity-[A-Za-z0-9_-]{22}$/);
    expect(request).toEqual({
      method: 'GET',
      path: '/backend-api/authenticate_app_v2',
      headers: {
        authorization: `Bearer ${ACCESS_TOKEN}`,
        'x-request-id': requestId,
        'x-original-method': 'POST',
        'x-original-url': `${server.url}/backend-api/v1/agent/register`,
      },
      body: '',
    });
  });

  it('uses a new request id per call and the given original method', async () => {
    const server = await startServer((_req, res) =>
      json(res, 200, {}, { 'x-openai-authorization': BISCUIT }),
    );
    const options = {
      chatgptBaseUrl: server.url,
      accessToken: ACCESS_TOKEN,
      originalUrl: 'https://x',
      originalMethod: 'GET',
    };
    await fetchAgentBiscuit(options);
    await fetchAgentBiscuit(options);
    const [a, b] = server.requests;
    expect(a!.headers['x-original-method']).toBe('GET');
    expect(a!.headers['x-request-id']).not.toBe(b!.headers['x-request-id']);
  });

  it('fails with invalid_response when the biscuit header is missing', async () => {
    const server = await startServer((_req, res) => json(res, 200, { ok: true }));
    expect(
      await registrationError(
        fetchAgentBiscuit({ chatgptBaseUrl: server.url, accessToken: ACCESS_TOKEN, originalUrl: 'u' }),
      ),
    ).toEqual({
      name: 'RegistrationError',
      code: 'invalid_response',
      operation: 'biscuit',
      status: 200,
      body: undefined,
      url: `${server.url}/authenticate_app_v2`,
      retryable: false,
      message: `agent identity biscuit request returned no x-openai-authorization header from ${server.url}/authenticate_app_v2`,
    });
  });

  it('reports a 401 as not retryable and never repeats the access token', async () => {
    const server = await startServer((req, res) =>
      json(res, 401, { error: 'bad token', echo: req.headers.authorization }),
    );
    const error = await registrationError(
      fetchAgentBiscuit({ chatgptBaseUrl: server.url, accessToken: ACCESS_TOKEN, originalUrl: 'u' }),
    );
    const body = `{"error":"bad token","echo":"Bearer <redacted>"}`;
    expect(error).toEqual({
      name: 'RegistrationError',
      code: 'http_status',
      operation: 'biscuit',
      status: 401,
      body,
      url: `${server.url}/authenticate_app_v2`,
      retryable: false,
      message: `agent identity biscuit request failed with status 401 from ${server.url}/authenticate_app_v2: ${body}`,
    });
    expect(JSON.stringify(error)).not.toContain(ACCESS_TOKEN);
  });
});

describe('registerAgentIdentity', () => {
  it('posts exactly {abom, agent_public_key, capabilities} with the biscuit and no bearer', async () => {
    const server = await startServer((_req, res) =>
      json(res, 200, { agent_runtime_id: 'agent-123', extra: 1 }),
    );
    const runtime = await registerAgentIdentity({
      chatgptBaseUrl: `${server.url}/backend-api`,
      biscuit: BISCUIT,
      publicKeySsh: KEY.publicKeySsh,
      abom: ABOM,
    });
    expect(runtime).toBe('agent-123');
    expect(server.requests).toEqual([
      {
        method: 'POST',
        path: '/backend-api/v1/agent/register',
        headers: { 'content-type': 'application/json', 'x-openai-authorization': BISCUIT },
        body: JSON.stringify({ abom: ABOM, agent_public_key: KEY.publicKeySsh, capabilities: [] }),
      },
    ]);
  });

  it('reports a 5xx as retryable with the body cut to 512 characters and the biscuit redacted', async () => {
    const longBody = `${BISCUIT} ${'x'.repeat(1000)}`;
    const server = await startServer((_req, res) => {
      res.writeHead(503);
      res.end(longBody);
    });
    const error = await registrationError(
      registerAgentIdentity({
        chatgptBaseUrl: server.url,
        biscuit: BISCUIT,
        publicKeySsh: KEY.publicKeySsh,
        abom: ABOM,
      }),
    );
    const body = `<redacted> ${'x'.repeat(1000)}`.slice(0, 512);
    expect(error).toEqual({
      name: 'RegistrationError',
      code: 'http_status',
      operation: 'identity',
      status: 503,
      body,
      url: `${server.url}/v1/agent/register`,
      retryable: true,
      message: `agent identity registration failed with status 503 from ${server.url}/v1/agent/register: ${body}`,
    });
    expect(JSON.stringify(error)).not.toContain(BISCUIT);
  });

  it('rejects malformed JSON and a body without agent_runtime_id', async () => {
    const bodies = [
      '{"agent_runtime_id":',
      JSON.stringify({ runtime: 'x' }),
      JSON.stringify({ agent_runtime_id: '' }),
    ];
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(bodies.shift());
    });
    const options = {
      chatgptBaseUrl: server.url,
      biscuit: BISCUIT,
      publicKeySsh: KEY.publicKeySsh,
      abom: ABOM,
    };
    const url = `${server.url}/v1/agent/register`;
    expect(await registrationError(registerAgentIdentity(options))).toEqual({
      name: 'RegistrationError',
      code: 'invalid_response',
      operation: 'identity',
      status: 200,
      body: '{"agent_runtime_id":',
      url,
      retryable: false,
      message: `agent identity registration returned a body that is not JSON from ${url}: {"agent_runtime_id":`,
    });
    expect(await registrationError(registerAgentIdentity(options))).toMatchObject({
      code: 'invalid_response',
      retryable: false,
      message: expect.stringMatching(
        /^agent identity registration returned an unexpected body \(.+ at agent_runtime_id\) from /,
      ),
    });
    expect(await registrationError(registerAgentIdentity(options))).toMatchObject({
      code: 'invalid_response',
    });
  });
});

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
