import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  AUTHORIZATION_ERROR_HEADER,
  type AuthorizationErrorReason,
  parseJsonRejectingDuplicateKeys,
} from '@codex-ts/agent-identity';
import { decodeZstd } from './body-encoding.js';

/** An error that maps to one HTTP response: status, machine-readable code, human message. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** When set, the code also goes into `x-openai-authorization-error`. */
    readonly authError = false,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** A 401 (or 403) whose code is one of the wire's `x-openai-authorization-error` reasons. */
export function authError(code: AuthorizationErrorReason, message: string, status = 401): HttpError {
  return new HttpError(status, code, message, true);
}

/**
 * Reads the whole body, refusing more than `maxBytes` (413 `body_too_large`), sent or decoded: `Content-Encoding`
 * may be `zstd` (as upstream Codex sends its Responses requests), else 415. On overflow the stream is left paused
 * rather than destroyed, so the 413 can still be written; the caller drains it after answering.
 */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const encoding = req.headers['content-encoding']?.trim().toLowerCase();
  if (encoding && encoding !== 'identity' && encoding !== 'zstd') {
    throw new HttpError(
      415,
      'unsupported_content_encoding',
      `content-encoding ${encoding} is not supported (zstd is)`,
    );
  }
  const sent = await readSent(req, maxBytes);
  if (encoding !== 'zstd') return sent;
  const decoded = decodeZstd(sent, maxBytes);
  if (Buffer.isBuffer(decoded)) return decoded;
  throw decoded.reason === 'too_large'
    ? new HttpError(413, 'body_too_large', decoded.message)
    : new HttpError(400, 'invalid_content_encoding', decoded.message);
}

/** The body's bytes as sent, at most `maxBytes`. */
function readSent(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBytes) {
    return Promise.reject(new HttpError(413, 'body_too_large', `request body exceeds ${maxBytes} bytes`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        req.pause();
        reject(new HttpError(413, 'body_too_large', `request body exceeds ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(new HttpError(400, 'body_read_failed', error.message));
    };
    const onAborted = () => onError(new Error('the client aborted the request'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}

export function mediaType(req: IncomingMessage): string {
  const raw = req.headers['content-type'] ?? '';
  return (raw.split(';')[0] ?? '').trim().toLowerCase();
}

function isJsonType(type: string): boolean {
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

function parseJsonText(buf: Buffer): unknown {
  const parsed = parseJsonRejectingDuplicateKeys(buf.toString('utf8'));
  if (parsed.ok) return parsed.value;
  if (parsed.error === 'duplicate_key') {
    throw new HttpError(
      400,
      'invalid_json',
      `request body names the key ${JSON.stringify(parsed.key)} twice`,
    );
  }
  throw new HttpError(400, 'invalid_json', 'request body is not valid JSON');
}

/** A JSON body. An empty body reads as `undefined` unless `required`. Other content types get 415. */
export async function readJson(req: IncomingMessage, maxBytes: number, required = true): Promise<unknown> {
  const buf = await readBody(req, maxBytes);
  if (buf.length === 0) {
    if (required) throw new HttpError(400, 'missing_body', 'a JSON request body is required');
    return undefined;
  }
  if (!isJsonType(mediaType(req))) {
    throw new HttpError(415, 'unsupported_media_type', 'content-type must be application/json');
  }
  return parseJsonText(buf);
}

/** A JSON or `application/x-www-form-urlencoded` body, as a flat record of strings (OAuth endpoints). */
export async function readParams(req: IncomingMessage, maxBytes: number): Promise<Record<string, unknown>> {
  const buf = await readBody(req, maxBytes);
  if (buf.length === 0) return {};
  const type = mediaType(req);
  if (type === 'application/x-www-form-urlencoded') {
    return Object.fromEntries(new URLSearchParams(buf.toString('utf8')));
  }
  if (isJsonType(type)) {
    const value = parseJsonText(buf);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new HttpError(400, 'invalid_body', 'request body must be a JSON object');
    }
    return value as Record<string, unknown>;
  }
  throw new HttpError(
    415,
    'unsupported_media_type',
    'content-type must be application/json or application/x-www-form-urlencoded',
  );
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
  });
  res.end(text);
}

export function errorBody(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

export function sendError(res: ServerResponse, error: HttpError): void {
  const body = errorBody(error.code, error.message);
  // Upstream clients also read the error code from base64 JSON in `x-error-json`.
  const headers: Record<string, string> = {
    'x-error-json': Buffer.from(JSON.stringify(body)).toString('base64'),
  };
  if (error.authError) headers[AUTHORIZATION_ERROR_HEADER] = error.code;
  if (error.status === 413) headers.connection = 'close';
  sendJson(res, error.status, body, headers);
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': String(Buffer.byteLength(html)),
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http:",
    'x-frame-options': 'DENY',
  });
  res.end(html);
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** First value of a header, trimmed; undefined when absent or empty. */
export function header(req: IncomingMessage, name: string): string | undefined {
  const raw = req.headers[name.toLowerCase()];
  const value = Array.isArray(raw) ? raw[0] : raw;
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
