import type { z } from 'zod';
import { parseJsonRejectingDuplicateKeys } from './json-object.js';
import { type CallResult, type CallSpec, fail } from './transport.js';

/** A registration response body: JSON (no duplicate keys) matching `schema`, else an `invalid_response` error. */
export function parseResponseBody<T>(spec: CallSpec, result: CallResult, schema: z.ZodType<T>): T {
  const parsed = parseJsonRejectingDuplicateKeys(result.text);
  if (!parsed.ok) {
    const detail =
      parsed.error === 'syntax'
        ? 'returned a body that is not JSON'
        : `returned a body that names the key ${JSON.stringify(parsed.key)} twice`;
    throw fail(spec, 'invalid_response', detail, {
      status: result.status,
      body: result.text,
      retryable: false,
    });
  }
  const checked = schema.safeParse(parsed.value);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const where = issue === undefined || issue.path.length === 0 ? '' : ` at ${issue.path.join('.')}`;
    throw fail(
      spec,
      'invalid_response',
      `returned an unexpected body (${issue?.message ?? 'invalid'}${where})`,
      {
        status: result.status,
        body: result.text,
        retryable: false,
      },
    );
  }
  return checked.data;
}
