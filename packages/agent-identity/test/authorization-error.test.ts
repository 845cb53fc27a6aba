import { describe, expect, it } from 'vitest';
import {
  AUTHORIZATION_ERROR_HEADER,
  AUTHORIZATION_ERROR_REASONS,
  isAuthorizationErrorReason,
  readAuthorizationError,
} from '../src/authorization-error.js';

const body = (code: string) => JSON.stringify({ error: { code, message: 'm' } });

describe('readAuthorizationError', () => {
  it('reads the reason from the header (fetch Headers, any case)', () => {
    const headers = new Headers({ 'X-OpenAI-Authorization-Error': ' stale_timestamp ' });
    expect(readAuthorizationError({ status: 401, headers })).toEqual({
      status: 401,
      reason: 'stale_timestamp',
      source: 'header',
    });
  });

  it('reads node:http style header records, arrays included', () => {
    expect(
      readAuthorizationError({ status: 401, headers: { [AUTHORIZATION_ERROR_HEADER]: ['unknown_task'] } }),
    ).toEqual({ status: 401, reason: 'unknown_task', source: 'header' });
    expect(
      readAuthorizationError({
        status: 403,
        headers: { 'X-OpenAI-Authorization-Error': 'account_mismatch' },
      }),
    ).toEqual({ status: 403, reason: 'account_mismatch', source: 'header' });
  });

  it('falls back to the body error.code when the header is absent', () => {
    expect(readAuthorizationError({ status: 401, headers: {}, body: body('unknown_runtime') })).toEqual({
      status: 401,
      reason: 'unknown_runtime',
      source: 'body',
    });
  });

  it('prefers the header over the body', () => {
    const headers = { [AUTHORIZATION_ERROR_HEADER]: 'bad_signature' };
    expect(readAuthorizationError({ status: 401, headers, body: body('unknown_task') })).toEqual({
      status: 401,
      reason: 'bad_signature',
      source: 'header',
    });
  });

  it('says unrecognized for a value outside the vocabulary, keeping at most 64 characters of it', () => {
    const headers = { [AUTHORIZATION_ERROR_HEADER]: `stale${'x'.repeat(100)}` };
    expect(readAuthorizationError({ status: 401, headers, body: body('unknown_task') })).toEqual({
      status: 401,
      reason: 'unrecognized',
      value: `stale${'x'.repeat(59)}`,
    });
    expect(readAuthorizationError({ status: 401, headers: {}, body: 'not json' })).toEqual({
      status: 401,
      reason: 'unrecognized',
    });
  });

  it('is undefined for statuses other than 401 and 403', () => {
    const headers = { [AUTHORIZATION_ERROR_HEADER]: 'unknown_task' };
    expect(readAuthorizationError({ status: 200, headers })).toBeUndefined();
    expect(readAuthorizationError({ status: 500, headers })).toBeUndefined();
  });

  it('knows every reason the wire uses', () => {
    expect(AUTHORIZATION_ERROR_REASONS).toEqual([
      'missing_authorization',
      'unsupported_scheme',
      'invalid_bearer',
      'expired_bearer',
      'malformed_assertion',
      'unknown_runtime',
      'unknown_task',
      'bad_signature',
      'stale_timestamp',
      'future_timestamp',
      'invalid_biscuit',
      'biscuit_mismatch',
      'account_mismatch',
    ]);
    expect(isAuthorizationErrorReason('stale')).toBe(false);
    expect(isAuthorizationErrorReason('stale_timestamp')).toBe(true);
  });
});
