import { inspect } from 'node:util';
import { AuthUnavailableError, bearerAuthProvider, isAuthUnavailableError } from '@codex-ts/auth-provider';
import { recordingAuthProvider, startScriptedServer } from '@codex-ts/auth-provider/testing';
import { describe, expect, it } from 'vitest';
import { BackendClient, BackendError, isBackendError } from '../src/index.js';

async function failure(promise: Promise<unknown>): Promise<BackendError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isBackendError(error)) throw new Error(`expected a BackendError, got ${String(error)}`);
  return error;
}

describe('typed errors', () => {
  it('a non-2xx answer: method, URL without query secrets, status, content type, request id, 512 chars of body', async () => {
    const body = `{"error":"${'x'.repeat(600)}"}`;
    const server = await startScriptedServer([
      { status: 503, headers: { 'content-type': 'application/json', 'x-request-id': 'req-1' }, body },
    ]);
    try {
      const client = new BackendClient({
        baseUrl: `${server.url}/backend-api`,
        auth: recordingAuthProvider(),
      });
      const error = await failure(client.listTasks({ cursor: 'secret-cursor', limit: 1 }));
      const url = `${server.url}/backend-api/wham/tasks/list?limit=1&cursor=REDACTED`;
      expect(error).toBeInstanceOf(BackendError);
      expect({ ...error, message: error.message, isUnauthorized: error.isUnauthorized }).toEqual({
        name: 'BackendError',
        code: 'unexpected_status',
        method: 'GET',
        url,
        status: 503,
        contentType: 'application/json',
        requestId: 'req-1',
        body: body.slice(0, 512),
        message: `GET ${url} failed: 503; content-type=application/json; request-id=req-1; body=${body.slice(0, 512)}`,
        isUnauthorized: false,
        [Symbol.for('@codex-ts/backend-client.error')]: true,
      });
      expect(error.message).not.toContain('secret-cursor');
    } finally {
      await server.close();
    }
  });

  it('a 401 goes through the provider once, then surfaces as isUnauthorized', async () => {
    const server = await startScriptedServer([{ status: 401, body: 'expired' }]);
    try {
      const auth = recordingAuthProvider();
      const client = new BackendClient({ baseUrl: `${server.url}/backend-api`, auth });
      const error = await failure(client.getConfigRequirements());
      expect(error.isUnauthorized).toBe(true);
      expect(server.seen.map((r) => r.headers.authorization)).toEqual([
        'Bearer test-token-1',
        'Bearer test-token-2',
      ]);
      expect(auth.unauthorized).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('a 401 the provider recovers from succeeds on the retry', async () => {
    const server = await startScriptedServer([
      { status: 401, body: '' },
      { status: 200, body: '{"contents":"ok"}' },
    ]);
    try {
      const client = new BackendClient({
        baseUrl: `${server.url}/backend-api`,
        auth: recordingAuthProvider(),
      });
      expect((await client.getConfigRequirements()).contents).toBe('ok');
      expect(server.seen).toHaveLength(2);
    } finally {
      await server.close();
    }
  });

  it.each([
    ['not JSON', '<html>', 'the body is not JSON'],
    ['a wrong shape', '{"items":"nope"}', 'the body does not match: items: '],
    ['a list item without id', '{"items":[{"title":"t"}]}', 'the body does not match: items.0.id: '],
  ])('a 2xx with %s is an invalid_response', async (_, body, reason) => {
    const server = await startScriptedServer([
      { status: 200, headers: { 'content-type': 'text/html' }, body },
    ]);
    try {
      const client = new BackendClient({
        baseUrl: `${server.url}/backend-api`,
        auth: recordingAuthProvider(),
      });
      const error = await failure(client.listTasks());
      expect(error.code).toBe('invalid_response');
      expect(error.status).toBe(200);
      expect(error.message).toContain(
        `GET ${server.url}/backend-api/wham/tasks/list answered 200 but ${reason}`,
      );
    } finally {
      await server.close();
    }
  });

  it('create without a task id is an invalid_response', async () => {
    const server = await startScriptedServer([{ status: 200, body: '{"task":{}}' }]);
    try {
      const client = new BackendClient({
        baseUrl: `${server.url}/backend-api`,
        auth: recordingAuthProvider(),
      });
      const error = await failure(client.createTask({}));
      expect(error.code).toBe('invalid_response');
    } finally {
      await server.close();
    }
  });

  it('no server: request_failed; a provider refusal passes through untouched', async () => {
    const server = await startScriptedServer([{ status: 200 }]);
    const url = server.url;
    await server.close();
    const client = new BackendClient({ baseUrl: `${url}/backend-api`, auth: recordingAuthProvider() });
    const error = await failure(client.getRateLimits());
    expect(error.code).toBe('request_failed');
    expect(error.message).toMatch(new RegExp(`^GET ${url}/backend-api/wham/usage failed: fetch failed`));

    const refusing = new BackendClient({
      baseUrl: `${url}/backend-api`,
      auth: recordingAuthProvider({
        refuse: () => new AuthUnavailableError('not_logged_in', 'log in first'),
      }),
    });
    const refusal = await refusing.getRateLimits().catch((e: unknown) => e);
    expect(isAuthUnavailableError(refusal) && refusal.reason).toBe('not_logged_in');
  });

  it('an aborted call rejects with the signal’s reason and sends nothing', async () => {
    const server = await startScriptedServer([{ status: 200, body: '{"items":[]}' }]);
    try {
      const client = new BackendClient({
        baseUrl: `${server.url}/backend-api`,
        auth: recordingAuthProvider(),
      });
      const controller = new AbortController();
      const reason = new Error('user pressed ctrl-c');
      controller.abort(reason);
      await expect(client.listTasks({ signal: controller.signal })).rejects.toBe(reason);
      expect(server.seen).toHaveLength(0);
    } finally {
      await server.close();
    }
  });

  it('neither the client nor its errors show the credential', async () => {
    const token = 'secret-access-token-123';
    const server = await startScriptedServer([{ status: 500, body: 'nope' }]);
    try {
      const client = new BackendClient({
        baseUrl: `${server.url}/backend-api`,
        auth: bearerAuthProvider({ token }),
      });
      const error = await failure(client.getRateLimits());
      const shown = [
        inspect(client, { depth: 8, showHidden: true }),
        inspect(error),
        JSON.stringify(error),
        JSON.stringify(client),
      ];
      for (const text of shown) expect(text).not.toContain(token);
      expect(server.seen[0]?.headers.authorization).toBe(`Bearer ${token}`);
    } finally {
      await server.close();
    }
  });
});
