import type { AuthFetchInit, AuthProvider, FetchLike } from '@codex-ts/auth-provider';
import { createdFileSchema, uploadedFileSchema } from './schemas/files.js';
import { type CallOptions, decodeJson, invalidResponse, type Transport } from './transport.js';

/** The largest file `uploadFile` sends: 512 MiB, as upstream. */
export const FILE_UPLOAD_LIMIT_BYTES = 512 * 1024 * 1024;
/** The URI a turn refers to an uploaded file by: `sediment://<file_id>`. */
export const FILE_URI_PREFIX = 'sediment://';

const FINALIZE_TIMEOUT_MS = 30_000;

export interface UploadFileOptions extends CallOptions {
  readonly fileName: string;
  readonly contents: Uint8Array;
  /**
   * Who authorizes the upload: the client's provider by default, or a thread provider for a file that belongs
   * to a turn. It also decides the `PUT` to `upload_url`: that request carries a credential only when this
   * provider itself authorizes the destination (`describe` says so); otherwise it carries none.
   */
  readonly auth?: AuthProvider | undefined;
  /** Wait between `retry` answers of the finalize call (default 250 ms); it gives up after 30 s. */
  readonly retryDelayMs?: number | undefined;
}

export interface UploadedFile {
  readonly fileId: string;
  /** `sediment://<file_id>` */
  readonly uri: string;
  readonly downloadUrl: string;
  readonly fileName: string;
  readonly fileSizeBytes: number;
  readonly mimeType: string | undefined;
}

/** Why an upload did not complete although every request succeeded. */
export class FileUploadError extends Error {
  readonly code: 'file_too_large' | 'upload_not_ready' | 'upload_failed';
  readonly fileId: string | undefined;

  constructor(code: FileUploadError['code'], message: string, fileId?: string) {
    super(message);
    this.name = 'FileUploadError';
    this.code = code;
    this.fileId = fileId;
  }
}

/**
 * `POST {base}/files` → `{file_id, upload_url}`, `PUT` the bytes to `upload_url`, then `POST
 * {base}/files/{id}/uploaded` until it answers `success`.
 */
export async function uploadFile(
  transport: Transport,
  baseUrl: string,
  plainFetch: FetchLike | undefined,
  options: UploadFileOptions,
): Promise<UploadedFile> {
  const { fileName, contents, signal } = options;
  const auth = options.auth ?? transport.auth;
  if (contents.byteLength > FILE_UPLOAD_LIMIT_BYTES) {
    throw new FileUploadError(
      'file_too_large',
      `file \`${fileName}\` is too large: ${contents.byteLength} bytes exceeds the limit of ${FILE_UPLOAD_LIMIT_BYTES} bytes`,
    );
  }
  const created = await transport.json(createdFileSchema, {
    method: 'POST',
    url: new URL(`${baseUrl}/files`),
    json: { file_name: fileName, file_size: contents.byteLength, use_case: 'codex' },
    auth,
    signal,
  });

  const uploadUrl = new URL(created.upload_url);
  const init: AuthFetchInit = {
    method: 'PUT',
    headers: { 'x-ms-blob-type': 'BlockBlob' },
    body: contents,
  };
  if (signal) init.signal = signal;
  const authorizesDestination = auth.describe({ url: uploadUrl, method: 'PUT' }).scheme !== 'none';
  await transport.exchange(
    'PUT',
    uploadUrl,
    () =>
      authorizesDestination
        ? transport.authFetch(auth)(uploadUrl, init)
        : (plainFetch ?? (globalThis.fetch as unknown as FetchLike))(uploadUrl.href, init),
    signal,
  );

  const finalizeUrl = new URL(`${baseUrl}/files/${encodeURIComponent(created.file_id)}/uploaded`);
  const started = Date.now();
  for (;;) {
    const received = await transport.send({ method: 'POST', url: finalizeUrl, json: {}, auth, signal });
    const done = decodeJson(uploadedFileSchema, received);
    if (done.status === 'success') {
      if (!done.download_url) throw invalidResponse(received, 'has status success but no download_url');
      return {
        fileId: created.file_id,
        uri: `${FILE_URI_PREFIX}${created.file_id}`,
        downloadUrl: done.download_url,
        fileName: done.file_name ?? fileName,
        fileSizeBytes: contents.byteLength,
        mimeType: done.mime_type ?? undefined,
      };
    }
    if (done.status !== 'retry') {
      throw new FileUploadError(
        'upload_failed',
        `file upload for \`${created.file_id}\` failed: ${done.error_message ?? 'upload finalization returned an error'}`,
        created.file_id,
      );
    }
    if (Date.now() - started >= FINALIZE_TIMEOUT_MS) {
      throw new FileUploadError(
        'upload_not_ready',
        `file upload for \`${created.file_id}\` is not ready yet`,
        created.file_id,
      );
    }
    await delay(options.retryDelayMs ?? 250, signal);
  }
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
