import { BackendClient } from '@codex-ts/backend-client';
import { type DevBackend, startDevBackend } from '@codex-ts/dev-backend';
import { AuthManager } from '@codex-ts/login';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codexHome } from './helpers.js';

describe.each([
  { flag: true, scheme: 'assertion' },
  { flag: false, scheme: 'bearer' },
] as const)('file upload with login’s providers, use_agent_identity = $flag', ({ flag, scheme }) => {
  let backend: DevBackend;
  let manager: AuthManager;

  beforeAll(async () => {
    backend = await startDevBackend({ separateUploadHost: true });
    const home = await codexHome(backend, flag, `upload-${flag}@example.com`);
    manager = await AuthManager.create({ codexHome: home, env: {} });
  });
  afterAll(() => backend.close());

  // The PUT to upload_url follows the provider's own destination rule. Login authorizes loopback only at the
  // origins it was configured with (the ChatGPT base, the authapi, trusted origins), so the upload host on the
  // second loopback port, like a production blob store, gets no credential at all.
  it('create and finalize carry the thread provider’s credential; the PUT to the upload host carries none', async () => {
    const client = new BackendClient({ baseUrl: backend.chatgptBaseUrl, auth: manager.defaultProvider() });
    backend.clearRequests();
    const uploaded = await client.uploadFile({
      fileName: 'turn.txt',
      contents: new TextEncoder().encode('attached to a turn'),
      auth: manager.threadProvider('thread-e2e'),
    });
    const calls = backend
      .requests()
      .filter((r) => r.path.startsWith('/backend-api/files') || r.path.startsWith('/files-blob/'));
    expect(calls.map((r) => [r.method, r.path, r.authScheme, r.status])).toEqual([
      ['POST', '/backend-api/files', scheme, 200],
      ['PUT', `/files-blob/${uploaded.fileId}`, 'none', 201],
      ['POST', `/backend-api/files/${uploaded.fileId}/uploaded`, scheme, 200],
    ]);
    if (flag) {
      const backendCalls = calls.filter((r) => r.path.startsWith('/backend-api/'));
      expect(backendCalls.map((r) => r.taskKind)).toEqual(['thread', 'thread']);
    }
    expect(await (await fetch(uploaded.downloadUrl)).text()).toBe('attached to a turn');
  });
});
