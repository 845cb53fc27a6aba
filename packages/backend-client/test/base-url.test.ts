import { recordingAuthProvider, startScriptedServer } from '@codex-ts/auth-provider/testing';
import { describe, expect, it } from 'vitest';
import { BackendClient, normalizeBaseUrl, pathStyleFor, redactUrl } from '../src/index.js';

describe('base URL normalisation and path style', () => {
  it.each([
    ['https://chatgpt.com', 'https://chatgpt.com/backend-api', 'chatgpt-api'],
    ['https://chatgpt.com/', 'https://chatgpt.com/backend-api', 'chatgpt-api'],
    ['https://chat.openai.com//', 'https://chat.openai.com/backend-api', 'chatgpt-api'],
    ['https://chatgpt.com/backend-api/', 'https://chatgpt.com/backend-api', 'chatgpt-api'],
    ['http://127.0.0.1:9/backend-api', 'http://127.0.0.1:9/backend-api', 'chatgpt-api'],
    ['https://api.example.test', 'https://api.example.test', 'codex-api'],
    ['https://api.example.test/root/', 'https://api.example.test/root', 'codex-api'],
  ] as const)('%s → %s (%s)', (input, normalized, style) => {
    expect(normalizeBaseUrl(input)).toBe(normalized);
    expect(pathStyleFor(normalizeBaseUrl(input))).toBe(style);
    const client = new BackendClient({ baseUrl: input, auth: recordingAuthProvider() });
    expect([client.baseUrl, client.pathStyle]).toEqual([normalized, style]);
  });

  it.each([
    ['https://h.test/files/1?sig=abc&limit=3', 'https://h.test/files/1?sig=REDACTED&limit=3'],
    [
      'https://u:p@h.test/x?token=t&task_filter=current',
      'https://h.test/x?token=REDACTED&task_filter=current',
    ],
    ['https://h.test/x', 'https://h.test/x'],
  ])('redactUrl(%s)', (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });

  it('speaks /api/codex/… on a base without /backend-api', async () => {
    const server = await startScriptedServer((request) => {
      if (request.url.startsWith('/root/api/codex/tasks/list'))
        return { status: 200, body: '{"items":[],"cursor":null}' };
      if (request.url === '/root/api/codex/usage') return { status: 200, body: '{"plan_type":"pro"}' };
      if (request.url === '/root/api/codex/tasks') return { status: 200, body: '{"id":"task_top"}' };
      if (request.url === '/root/api/codex/tasks/t%2F1')
        return { status: 200, body: '{"task":{"id":"t/1"}}' };
      if (request.url === '/root/api/codex/tasks/t/turns/u/sibling_turns')
        return { status: 200, body: '{"sibling_turns":[]}' };
      if (request.url === '/root/api/codex/config/requirements')
        return { status: 200, body: '{"contents":null}' };
      if (request.url === '/root/api/codex/environments') return { status: 200, body: '[]' };
      if (request.url === '/root/api/codex/environments/by-repo/github/o/r')
        return { status: 200, body: '[]' };
      return { status: 404, body: 'nope' };
    });
    try {
      const auth = recordingAuthProvider({ accountId: 'acc' });
      const client = new BackendClient({ baseUrl: `${server.url}/root/`, auth, userAgent: 'ua-test' });
      expect(client.pathStyle).toBe('codex-api');
      await client.listTasks({ limit: 2, taskFilter: 'current', cursor: 'c1', environmentId: 'e' });
      expect((await client.getRateLimits()).planType).toBe('pro');
      expect(await client.createTask({ any: 'body' })).toBe('task_top');
      expect((await client.getTaskDetails('t/1')).task.id).toBe('t/1');
      await client.listSiblingTurns('t', 'u');
      await client.getConfigRequirements();
      await client.listEnvironments();
      await client.listEnvironmentsByRepo('o', 'r');
      expect(server.seen.map((r) => `${r.method} ${r.url}`)).toEqual([
        'GET /root/api/codex/tasks/list?limit=2&task_filter=current&cursor=c1&environment_id=e',
        'GET /root/api/codex/usage',
        'POST /root/api/codex/tasks',
        'GET /root/api/codex/tasks/t%2F1',
        'GET /root/api/codex/tasks/t/turns/u/sibling_turns',
        'GET /root/api/codex/config/requirements',
        'GET /root/api/codex/environments',
        'GET /root/api/codex/environments/by-repo/github/o/r',
      ]);
      const post = server.seen[2]!;
      expect(post.body).toBe('{"any":"body"}');
      expect(post.headers['content-type']).toBe('application/json');
      expect(server.seen.map((r) => r.headers.authorization)).toEqual(
        server.seen.map((_, i) => `Bearer test-token-${i + 1}`),
      );
      expect(server.seen.every((r) => r.headers['user-agent'] === 'ua-test')).toBe(true);
      expect(server.seen.every((r) => r.headers['chatgpt-account-id'] === 'acc')).toBe(true);
    } finally {
      await server.close();
    }
  });
});
