import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { AuthProvider } from '@codex-ts/auth-provider';
import type { FileUploader } from '../../src/index.js';

/** An uploader double: "stores" the file's size on the test server and records which provider it was given. */
export function recordingUploader(files: Map<string, number>): FileUploader & {
  calls: Array<{ path: string; provider: AuthProvider }>;
} {
  const calls: Array<{ path: string; provider: AuthProvider }> = [];
  return {
    calls,
    async uploadFile(file, { provider }) {
      const path = typeof file === 'string' ? file : file.fileName;
      calls.push({ path, provider });
      const size = typeof file === 'string' ? readFileSync(file).length : file.bytes.length;
      const fileId = `file-${calls.length}`;
      files.set(fileId, size);
      return {
        fileId,
        downloadUrl: `https://files.example/${fileId}`,
        fileName: basename(path),
        mimeType: 'text/plain',
      };
    },
  };
}
