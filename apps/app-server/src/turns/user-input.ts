import { resolve } from 'node:path';
import type { ResponseItem } from '@codex-ts/model-provider';
import type { ImageDetail, UserInput } from '../threads/thread-model.js';
import { LocalImageReadError, MAX_LOCAL_IMAGE_BYTES, readLocalImage, sniffImageMime } from './image-bytes.js';

/**
 * A user message as the model gets it (Responses `input` content), as upstream 0.169 sends it (observed against the
 * dev backend): text as `input_text`; an image as `input_image` (a data URL, a file id, or the URL as given) with its
 * `detail` (`high` when not given); a local image read from disk, wrapped in `<image name=[Image #N] path="…">` …
 * `</image>` text parts (N counts the message's images from 1). What cannot be sent becomes upstream's text
 * placeholder; the turn still runs.
 */

/** What converting images needs: the thread's cwd (relative paths) and whether the model takes images. */
export interface ImageContext {
  readonly cwd: string;
  readonly supportsImages: boolean;
}

type ContentPart =
  | { type: 'input_text'; text: string }
  | { type: 'input_image'; image_url: string; detail: 'auto' | 'high' }
  | { type: 'input_image'; file_id: string; detail: 'auto' | 'high' };

const UNSUPPORTED = 'image content omitted because you do not support image input';
const UNPROCESSABLE = 'image content omitted because it could not be processed';
const LOW_DETAIL =
  "image content omitted because detail 'low' is not supported; use 'high', 'original', or 'auto'";
const TOO_LARGE = `image content omitted because it is larger than ${MAX_LOCAL_IMAGE_BYTES / (1024 * 1024)} MiB (codex-ts does not resize images)`;

const REMOTE_URL = /^https?:/i;
const BASE64_DATA_URL = /^data:[^,;]*(?:;[^,;]*)*;base64,/i;

/** The message upstream refuses `turn/start` with for an `http(s)` image URL (-32600). */
export const REMOTE_IMAGE_URL_REFUSED = 'remote image URLs are not supported; use an inline data URL instead';

/** Whether any input is an `http(s)` image URL (refused, as upstream does). */
export function hasRemoteImageUrl(input: readonly UserInput[]): boolean {
  return input.some((i) => i.type === 'image' && 'url' in i && REMOTE_URL.test(i.url));
}

/** Whether the model takes images: its `input_modalities` (text and image when the catalog does not say). */
export function modelTakesImages(
  models: readonly { slug: string; input_modalities?: readonly string[] | undefined }[],
  slug: string,
): boolean {
  const modalities = models.find((m) => m.slug === slug)?.input_modalities;
  return modalities === undefined || modalities.includes('image');
}

/** How many images (by URL, file id or path) the input has: the turn event's `numInputImages`. */
export function countImages(input: readonly UserInput[]): number {
  let n = 0;
  for (const i of input) if (i.type !== 'text') n++;
  return n;
}

/** The detail sent: `auto` as asked; otherwise `high` (no codex-ts model supports `original`). */
function sentDetail(detail: ImageDetail | null): 'auto' | 'high' {
  return detail === 'auto' ? 'auto' : 'high';
}

/** Why an image the client sent (or the model) cannot go out, checked after its bytes: a placeholder, or none. */
function omission(detail: ImageDetail | null, ctx: ImageContext): string | undefined {
  if (!ctx.supportsImages) return UNSUPPORTED;
  if (detail === 'low') return LOW_DETAIL;
  return undefined;
}

/** A data URL relabelled with the mime its bytes have (as upstream does); undefined when it holds no image. */
function dataImageUrl(url: string): string | undefined {
  const prefix = BASE64_DATA_URL.exec(url);
  if (!prefix) return undefined;
  const payload = url.slice(prefix[0].length);
  const mime = sniffImageMime(Buffer.from(payload.slice(0, 64), 'base64'));
  return mime ? `data:${mime};base64,${payload}` : undefined;
}

function remoteImage(input: Extract<UserInput, { type: 'image' }>, ctx: ImageContext): ContentPart {
  const detail = sentDetail(input.detail);
  if ('fileId' in input) {
    const omitted = omission(input.detail, ctx);
    return omitted ? text(omitted) : { type: 'input_image', file_id: input.fileId, detail };
  }
  let url = input.url;
  if (/^data:/i.test(url)) {
    const relabelled = dataImageUrl(url);
    if (relabelled === undefined) return text(UNPROCESSABLE);
    url = relabelled;
  }
  const omitted = omission(input.detail, ctx);
  return omitted ? text(omitted) : { type: 'input_image', image_url: url, detail };
}

async function localImage(
  input: Extract<UserInput, { type: 'localImage' }>,
  index: number,
  ctx: ImageContext,
): Promise<ContentPart[]> {
  let read: Awaited<ReturnType<typeof readLocalImage>>;
  try {
    read = await readLocalImage(resolve(ctx.cwd, input.path));
  } catch (err) {
    if (!(err instanceof LocalImageReadError)) throw err;
    return [text(`Codex could not read the local image at \`${input.path}\`: ${err.message}`)];
  }
  let inner: ContentPart;
  if ('tooLarge' in read) inner = text(TOO_LARGE);
  else {
    const mime = sniffImageMime(read.bytes);
    const omitted = mime ? omission(input.detail, ctx) : UNPROCESSABLE;
    inner = omitted
      ? text(omitted)
      : {
          type: 'input_image',
          image_url: `data:${mime};base64,${read.bytes.toString('base64')}`,
          detail: sentDetail(input.detail),
        };
  }
  return [text(`<image name=[Image #${index}] path="${input.path}">`), inner, text('</image>')];
}

function text(value: string): ContentPart {
  return { type: 'input_text', text: value };
}

/** A user message of text only: converted without waiting on anything. */
export function textMessage(input: readonly UserInput[]): ResponseItem {
  return {
    type: 'message',
    role: 'user',
    content: input.map((c) => text(c.type === 'text' ? c.text : '')),
  };
}

/** A user message with images: local files are read now (so a later turn re-reads them, as the rollout has paths). */
export async function imageMessage(input: readonly UserInput[], ctx: ImageContext): Promise<ResponseItem> {
  const content: ContentPart[] = [];
  let images = 0;
  for (const c of input) {
    if (c.type === 'text') content.push(text(c.text));
    else if (c.type === 'image') {
      images++;
      content.push(remoteImage(c, ctx));
    } else content.push(...(await localImage(c, ++images, ctx)));
  }
  return { type: 'message', role: 'user', content };
}
