import { describe, expect, it } from 'vitest';
import { buildAbom } from '../src/abom.js';
import { fetchAgentBiscuit } from '../src/biscuit.js';
import { registerAgentIdentity } from '../src/identity-registration.js';

import {
  ABOM,
  ACCESS_TOKEN,
  BISCUIT,
  json,
  KEY,
  registrationError,
  startServer,
} from './registration-server.js';

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
