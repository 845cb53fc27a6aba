import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { createAuthFetch } from '@codex-ts/auth-provider';
import type { FileUploader } from '../../src/index.js';

/**
 * A small stand-in for backend-client's file upload against the dev backend, authorized by the provider it is
 * given: `POST /files`, `PUT` the bytes to the upload URL, `POST /files/{id}/uploaded`.
 */
export function devBackendUploader(chatgptBaseUrl: string): FileUploader {
  return {
    async uploadFile(file, { provider, signal }) {
      const bytes = typeof file === 'string' ? await readFile(file) : file.bytes;
      const fileName = typeof file === 'string' ? basename(file) : file.fileName;
      const authFetch = createAuthFetch(provider);
      const json = { 'content-type': 'application/json' };
      const created = await authFetch(`${chatgptBaseUrl}/files`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ file_name: fileName, file_size: bytes.length, use_case: 'codex' }),
        ...(signal ? { signal } : {}),
      });
      if (!created.ok) throw new Error(`POST /files answered ${created.status}`);
      const { file_id, upload_url } = (await created.json()) as { file_id: string; upload_url: string };
      const put = await fetch(upload_url, {
        method: 'PUT',
        headers: { 'x-ms-blob-type': 'BlockBlob' },
        body: bytes,
      });
      if (!put.ok) throw new Error(`the upload answered ${put.status}`);
      const done = await authFetch(`${chatgptBaseUrl}/files/${file_id}/uploaded`, {
        method: 'POST',
        headers: json,
        body: '{}',
      });
      if (!done.ok) throw new Error(`POST /files/{id}/uploaded answered ${done.status}`);
      const info = (await done.json()) as { download_url: string; file_name: string; mime_type: string };
      return {
        fileId: file_id,
        downloadUrl: info.download_url,
        fileName: info.file_name,
        mimeType: info.mime_type,
      };
    },
  };
}
