import { type DevBackend, startDevBackend } from '@codex-ts/dev-backend';
import { type AgentTestAccount, agentTestAccount } from '@codex-ts/dev-backend/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BackendClient } from '../src/index.js';

describe('file upload end to end against the dev backend with a separate upload host', () => {
  let backend: DevBackend;
  let account: AgentTestAccount;

  beforeAll(async () => {
    backend = await startDevBackend({ separateUploadHost: true });
    account = await agentTestAccount(backend, { email: 'upload@example.com' });
  });
  afterAll(() => backend.close());
  beforeEach(() => backend.clearRequests());

  it('a thread provider authorizes create and finalize; the upload host gets no credential', async () => {
    const background = account.bearer;
    const thread = await account.thread('thread-upload-1');
    await thread.register();
    backend.clearRequests();
    const client = new BackendClient({ baseUrl: backend.chatgptBaseUrl, auth: background });
    const contents = new TextEncoder().encode('hello, dev backend');

    const uploaded = await client.uploadFile({ fileName: 'notes.txt', contents, auth: thread });

    expect(uploaded).toMatchObject({
      uri: `sediment://${uploaded.fileId}`,
      fileName: 'notes.txt',
      fileSizeBytes: contents.byteLength,
      mimeType: 'text/plain',
    });
    expect(uploaded.downloadUrl.startsWith(`${backend.uploadUrl}/files-blob/${uploaded.fileId}?sig=`)).toBe(
      true,
    );
    expect(backend.requests().map((r) => [r.method, r.path, r.authScheme, r.taskKind, r.status])).toEqual([
      ['POST', '/backend-api/files', 'assertion', 'thread', 200],
      ['PUT', `/files-blob/${uploaded.fileId}`, 'none', undefined, 201],
      ['POST', `/backend-api/files/${uploaded.fileId}/uploaded`, 'assertion', 'thread', 200],
    ]);
    const download = await fetch(uploaded.downloadUrl);
    expect(await download.text()).toBe('hello, dev backend');
  });

  it('a provider that authorizes every URL (bearer here) does send its credential to the upload host', async () => {
    const anywhere = account.bearer;
    const client = new BackendClient({ baseUrl: backend.chatgptBaseUrl, auth: anywhere });
    const uploaded = await client.uploadFile({ fileName: 'a.bin', contents: new Uint8Array([1, 2, 3]) });
    expect(backend.requests().map((r) => [r.method, r.authScheme])).toEqual([
      ['POST', 'bearer'],
      ['PUT', 'bearer'],
      ['POST', 'bearer'],
    ]);
    expect(uploaded.mimeType).toBe('application/octet-stream');
  });
});
