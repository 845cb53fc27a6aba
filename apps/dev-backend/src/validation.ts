import type { z } from 'zod';
import { HttpError } from './http.js';

/** Parses with zod; a failure is a 400 `invalid_body` naming the first bad field. */
export function parseBody<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'body';
  throw new HttpError(400, 'invalid_body', `${where}: ${issue?.message ?? 'invalid'}`);
}
