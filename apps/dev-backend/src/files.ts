import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { FileRecord } from './files-store.js';
import { HttpError, header, readBody, readJson, sendJson } from './http.js';
import { randomHex, randomToken } from './ids.js';
import type { Ctx, Router } from './router.js';
import { sentAuthScheme } from './sent-auth-scheme.js';
import { parseBody } from './validation.js';

const createSchema = z.object({
  file_name: z.string().min(1).max(255),
  file_size: z.number().int().min(0),
  use_case: z.string().min(1).optional(),
});

function mimeFor(name: string): string {
  const ext = name.toLowerCase().split('.').pop() ?? '';
  const known: Record<string, string> = {
    png: 'image/png',
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    gif: 'image/gif',
    txt: 'text/plain',
    md: 'text/markdown',
    json: 'application/json',
    pdf: 'application/pdf',
  };
  return known[ext] ?? 'application/octet-stream';
}

function blobUrl(ctx: Ctx, file: FileRecord): string {
  return `${ctx.app.uploadUrl || ctx.app.url}/files-blob/${file.fileId}?sig=${file.signature}`;
}

/** POST /backend-api/files {file_name, file_size, use_case} → {file_id, upload_url} */
async function createFile(ctx: Ctx): Promise<void> {
  const { app } = ctx;
  const body = parseBody(createSchema, await readJson(ctx.req, app.options.maxBodyBytes));
  if (body.file_size > app.options.maxBodyBytes) {
    throw new HttpError(400, 'file_too_large', `file_size exceeds ${app.options.maxBodyBytes} bytes`);
  }
  const file: FileRecord = {
    fileId: `file-${randomHex(12)}`,
    userId: ctx.principal!.user.userId,
    fileName: body.file_name,
    declaredSize: body.file_size,
    useCase: body.use_case ?? 'codex',
    signature: randomToken('', 24),
    mimeType: mimeFor(body.file_name),
  };
  app.memory.files.set(file.fileId, file);
  sendJson(ctx.res, 200, { file_id: file.fileId, upload_url: blobUrl(ctx, file) });
}

function signedFile(ctx: Ctx): FileRecord {
  const file = ctx.app.memory.files.get(ctx.params.id ?? '');
  const sig = Buffer.from(ctx.url.searchParams.get('sig') ?? '');
  if (!file || sig.length !== file.signature.length || !timingSafeEqual(sig, Buffer.from(file.signature))) {
    throw new HttpError(404, 'blob_not_found', 'no such blob');
  }
  return file;
}

/** PUT /files-blob/{id}?sig=… : the upload target (plays the blob store; the URL is the capability). */
async function putBlob(ctx: Ctx): Promise<void> {
  ctx.record.authScheme = sentAuthScheme(ctx.req); // recorded, never accepted: the URL is the capability
  const file = signedFile(ctx);
  if (header(ctx.req, 'x-ms-blob-type') !== undefined && header(ctx.req, 'x-ms-blob-type') !== 'BlockBlob') {
    throw new HttpError(400, 'invalid_blob_type', 'x-ms-blob-type must be BlockBlob');
  }
  const content = await readBody(ctx.req, ctx.app.options.maxBodyBytes);
  if (content.length !== file.declaredSize) {
    throw new HttpError(400, 'size_mismatch', `expected ${file.declaredSize} bytes, got ${content.length}`);
  }
  file.content = content;
  ctx.res.writeHead(201, { 'content-length': '0' });
  ctx.res.end();
}

/** GET /files-blob/{id}?sig=… : the download URL. */
function getBlob(ctx: Ctx): void {
  const file = signedFile(ctx);
  if (!file.content) throw new HttpError(404, 'blob_not_found', 'nothing was uploaded yet');
  ctx.res.writeHead(200, { 'content-type': file.mimeType, 'content-length': String(file.content.length) });
  ctx.res.end(file.content);
}

/** POST /backend-api/files/{id}/uploaded → {status, download_url, file_name, mime_type, file_size} */
function uploaded(ctx: Ctx): void {
  const file = ctx.app.memory.files.get(ctx.params.id ?? '');
  if (!file || file.userId !== ctx.principal!.user.userId) {
    throw new HttpError(404, 'file_not_found', 'no such file');
  }
  if (!file.content) throw new HttpError(409, 'upload_incomplete', 'the file content has not been uploaded');
  sendJson(ctx.res, 200, {
    status: 'success',
    download_url: blobUrl(ctx, file),
    file_name: file.fileName,
    mime_type: file.mimeType,
    file_size: file.content.length,
  });
}

export function fileRoutes(router: Router): void {
  router
    .add('POST', '/backend-api/files', 'protected', createFile)
    .add('POST', '/backend-api/files/:id/uploaded', 'protected', uploaded);
  blobRoutes(router);
}

/** The blob store's routes (also served alone by the separate upload host). */
export function blobRoutes(router: Router): void {
  router.add('PUT', '/files-blob/:id', 'public', putBlob).add('GET', '/files-blob/:id', 'public', getBlob);
}
