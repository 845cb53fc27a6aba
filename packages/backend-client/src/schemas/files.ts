import { z } from 'zod';

/** `POST files` → where to put the bytes. */
export const createdFileSchema = z.looseObject({
  file_id: z.string().min(1),
  upload_url: z.string().refine((value) => /^https?:\/\//i.test(value) && URL.canParse(value), {
    message: 'must be an http(s) URL',
  }),
});

/** `POST files/{id}/uploaded` → `success` (with the download link), `retry`, or an error status. */
export const uploadedFileSchema = z.looseObject({
  status: z.string(),
  download_url: z.string().nullish(),
  file_name: z.string().nullish(),
  mime_type: z.string().nullish(),
  error_message: z.string().nullish(),
});
