import { isAbsolute, resolve } from 'node:path';
import type { AuthProvider } from '@codex-ts/auth-provider';
import type { AppsTool } from './apps-tool.js';
import type { FileUploader } from './collaborators.js';
import { AppsMcpError } from './errors.js';

type JsonObject = Record<string, unknown>;

export interface FileArgumentContext {
  readonly uploader: FileUploader | undefined;
  /** The thread's provider: uploads are made on the thread's behalf. */
  readonly provider: AuthProvider;
  /** Relative paths are resolved against it; default `process.cwd()`. */
  readonly cwd?: string;
  readonly signal?: AbortSignal;
}

async function upload(
  tool: AppsTool,
  field: string,
  index: number | undefined,
  path: string,
  context: FileArgumentContext,
): Promise<JsonObject> {
  const where = index === undefined ? field : `${field}[${index}]`;
  if (!context.uploader) {
    throw new AppsMcpError(
      'file_upload_unavailable',
      `${tool.qualifiedName}: \`${where}\` takes a file, and no file uploader is configured`,
    );
  }
  const absolute = isAbsolute(path) ? path : resolve(context.cwd ?? process.cwd(), path);
  let uploaded: Awaited<ReturnType<FileUploader['uploadFile']>>;
  try {
    uploaded = await context.uploader.uploadFile(absolute, {
      provider: context.provider,
      ...(context.signal ? { signal: context.signal } : {}),
    });
  } catch (error) {
    if (context.signal?.aborted) throw context.signal.reason;
    throw new AppsMcpError(
      'file_upload_failed',
      `failed to upload \`${path}\` for \`${where}\`: ${(error as Error)?.message ?? String(error)}`,
      { cause: error },
    );
  }
  const fields = tool.fileParamFields[field] ?? [];
  const payload: JsonObject = {};
  if (uploaded.downloadUrl !== undefined) payload.download_url = uploaded.downloadUrl;
  payload.file_id = uploaded.fileId;
  if (fields.includes('mime_type') && typeof uploaded.mimeType === 'string')
    payload.mime_type = uploaded.mimeType;
  if (fields.includes('file_name') && uploaded.fileName !== undefined) payload.file_name = uploaded.fileName;
  return payload;
}

/**
 * Replaces each declared file argument (a local path, or an array of them) with the uploaded-file object the app
 * expects: `{download_url, file_id[, mime_type][, file_name]}`. Other arguments pass through untouched; a file
 * argument that is not a string (or array of strings) is left as it is.
 */
export async function uploadFileArguments(
  tool: AppsTool,
  args: JsonObject,
  context: FileArgumentContext,
): Promise<JsonObject> {
  if (tool.fileParams.length === 0) return args;
  const rewritten: JsonObject = { ...args };
  for (const field of tool.fileParams) {
    const value = args[field];
    if (typeof value === 'string') {
      rewritten[field] = await upload(tool, field, undefined, value, context);
    } else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
      const uploaded: JsonObject[] = [];
      for (const [index, path] of (value as string[]).entries()) {
        uploaded.push(await upload(tool, field, index, path, context));
      }
      rewritten[field] = uploaded;
    }
  }
  return rewritten;
}
