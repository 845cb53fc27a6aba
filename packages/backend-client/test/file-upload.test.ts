import type { AuthRequest } from '@codex-ts/auth-provider';
import {
  recordingAuthProvider,
  type ScriptedServer,
  startScriptedServer,
} from '@codex-ts/auth-provider/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackendClient, FileUploadError, isBackendError } from '../src/index.js';

let uploadHost: ScriptedServer;
let backend: ScriptedServer;
let finalizeAnswers: unknown[];
let uploadStatus: number;

beforeEach(async () => {
  finalizeAnswers = [
    { status: 'retry' },
    { status: 'success', download_url: 'https://dl.test/f1', mime_type: 'text/plain' },
  ];
  uploadStatus = 201;
  uploadHost = await startScriptedServer(() => ({
    status: uploadStatus,
    body: uploadStatus === 201 ? '' : 'denied',
  }));
  let finalizes = 0;
  backend = await startScriptedServer((request) => {
    if (request.method === 'POST' && request.url === '/backend-api/files')
      return json({ file_id: 'f1', upload_url: `${uploadHost.url}/blob/f1?sig=capability` });
    if (request.method === 'POST' && request.url === '/backend-api/files/f1/uploaded')
      return json(finalizeAnswers[Math.min(finalizes++, finalizeAnswers.length - 1)]);
    return { status: 404 };
  });
});
afterEach(async () => {
  await backend.close();
  await uploadHost.close();
});

function json(body: unknown) {
  return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

const onBackend = (request: AuthRequest) => request.url.origin === new URL(backend.url).origin;

describe('file upload', () => {
  it('create → PUT → finalize with a thread provider; no credential goes to the upload host', async () => {
    const background = recordingAuthProvider({ accountId: 'acc', authorizes: onBackend });
    const thread = recordingAuthProvider({
      scheme: 'agent-assertion',
      accountId: 'acc',
      authorizes: onBackend,
    });
    const client = new BackendClient({ baseUrl: `${backend.url}/backend-api`, auth: background });
    const contents = new TextEncoder().encode('hello');

    const uploaded = await client.uploadFile({
      fileName: 'hello.txt',
      contents,
      auth: thread,
      retryDelayMs: 0,
    });

    expect(uploaded).toEqual({
      fileId: 'f1',
      uri: 'sediment://f1',
      downloadUrl: 'https://dl.test/f1',
      fileName: 'hello.txt',
      fileSizeBytes: 5,
      mimeType: 'text/plain',
    });
    expect(backend.seen.map((r) => [r.method, r.url, r.headers.authorization, r.body])).toEqual([
      [
        'POST',
        '/backend-api/files',
        'AgentAssertion test-assertion-1',
        '{"file_name":"hello.txt","file_size":5,"use_case":"codex"}',
      ],
      ['POST', '/backend-api/files/f1/uploaded', 'AgentAssertion test-assertion-2', '{}'],
      ['POST', '/backend-api/files/f1/uploaded', 'AgentAssertion test-assertion-3', '{}'],
    ]);
    expect(background.requests).toHaveLength(0);
    const [put] = uploadHost.seen;
    expect([put?.method, put?.url, put?.body]).toEqual(['PUT', '/blob/f1?sig=capability', 'hello']);
    expect(put?.headers).toMatchObject({ 'x-ms-blob-type': 'BlockBlob', 'content-length': '5' });
    expect(put?.headers.authorization).toBeUndefined();
    expect(put?.headers['chatgpt-account-id']).toBeUndefined();
    expect(thread.requests.map((r) => [r.method, r.url.pathname])).toEqual([
      ['POST', '/backend-api/files'],
      ['POST', '/backend-api/files/f1/uploaded'],
      ['POST', '/backend-api/files/f1/uploaded'],
    ]);
  });

  it('the PUT carries a credential only when the provider itself authorizes the upload host', async () => {
    const auth = recordingAuthProvider({ accountId: 'acc' }); // authorizes every URL
    const client = new BackendClient({ baseUrl: `${backend.url}/backend-api`, auth });
    await client.uploadFile({ fileName: 'a.txt', contents: new Uint8Array([1, 2]), retryDelayMs: 0 });
    expect(uploadHost.seen[0]?.headers.authorization).toBe('Bearer test-token-2');
    expect(uploadHost.seen[0]?.headers['chatgpt-account-id']).toBe('acc');
  });

  it('a refused PUT is a BackendError whose URL hides the signature', async () => {
    uploadStatus = 403;
    const client = new BackendClient({
      baseUrl: `${backend.url}/backend-api`,
      auth: recordingAuthProvider({ authorizes: onBackend }),
    });
    const error = await client
      .uploadFile({ fileName: 'a', contents: new Uint8Array([1]) })
      .catch((e: unknown) => e);
    expect(isBackendError(error) && [error.status, error.url, error.body]).toEqual([
      403,
      `${uploadHost.url}/blob/f1?sig=REDACTED`,
      'denied',
    ]);
    expect(String(error)).not.toContain('capability');
  });

  it('a finalize error and an oversized file are FileUploadErrors', async () => {
    finalizeAnswers = [{ status: 'error', error_message: 'virus found' }];
    const client = new BackendClient({
      baseUrl: `${backend.url}/backend-api`,
      auth: recordingAuthProvider({ authorizes: onBackend }),
    });
    const failed = await client
      .uploadFile({ fileName: 'a', contents: new Uint8Array([1]) })
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(FileUploadError);
    expect([(failed as FileUploadError).code, (failed as Error).message]).toEqual([
      'upload_failed',
      'file upload for `f1` failed: virus found',
    ]);
    const huge = { byteLength: 512 * 1024 * 1024 + 1 } as Uint8Array;
    const tooLarge = await client
      .uploadFile({ fileName: 'big.bin', contents: huge })
      .catch((e: unknown) => e);
    expect((tooLarge as FileUploadError).code).toBe('file_too_large');
    expect(backend.seen).toHaveLength(2);
  });

  it('an upload_url that is not http(s) is an invalid_response and nothing is PUT', async () => {
    await backend.close();
    backend = await startScriptedServer(() => json({ file_id: 'f1', upload_url: 'file:///etc/passwd' }));
    const client = new BackendClient({
      baseUrl: `${backend.url}/backend-api`,
      auth: recordingAuthProvider(),
    });
    const error = await client
      .uploadFile({ fileName: 'a', contents: new Uint8Array([1]) })
      .catch((e: unknown) => e);
    expect(isBackendError(error) && error.code).toBe('invalid_response');
    expect(uploadHost.seen).toHaveLength(0);
  });
});
