import {
  BadRequestError,
  ModelProviderError,
  ServerOverloadedError,
  StreamDisconnectedError,
} from '@codex-ts/model-provider';
import { describe, expect, it } from 'vitest';
import { reconnectingError, turnErrorOf } from '../src/turns/error-info.js';

const status = (code: 'unexpected_status', s: number) =>
  new ModelProviderError(code, `POST https://example.test/responses answered ${s}`, {
    status: s,
    retryable: true,
  });

describe('a failure as the wire TurnError, in upstream 0.169 vocabulary (as its app-server was seen to send it)', () => {
  it.each([
    ['a 500', status('unexpected_status', 500), 'internalServerError'],
    ['a 502', status('unexpected_status', 502), { httpConnectionFailed: { httpStatusCode: 502 } }],
    ['a 400', new BadRequestError('rejected with 400', { status: 400 }), 'other'],
    ['a 415', status('unexpected_status', 415), { httpConnectionFailed: { httpStatusCode: 415 } }],
    [
      'a 429',
      new ModelProviderError('rate_limited', 'was rate limited (429)', { status: 429 }),
      { responseTooManyFailedAttempts: { httpStatusCode: 429 } },
    ],
    [
      'a 503 overloaded',
      new ServerOverloadedError('the server is overloaded', { status: 503 }),
      'serverOverloaded',
    ],
    ['a broken stream', new StreamDisconnectedError('the stream closed before response.completed'), 'other'],
    ['a failed response', new ModelProviderError('response_failed', 'the response failed'), 'other'],
  ])('%s at the end of a turn', (_, error, codexErrorInfo) => {
    expect(turnErrorOf(error)).toEqual({
      message: error.message,
      codexErrorInfo,
      additionalDetails: null,
      misalignment: null,
    });
  });

  it('names the request id of a failed response in additionalDetails', () => {
    const error = new ModelProviderError('unexpected_status', 'answered 503', {
      status: 503,
      requestId: 'req_1',
    });
    expect(turnErrorOf(error).additionalDetails).toBe('request id req_1');
  });

  it.each([
    [status('unexpected_status', 502), 502],
    [status('unexpected_status', 404), 404],
    [status('unexpected_status', 500), null],
    [new StreamDisconnectedError('idle timeout'), null],
  ])(
    'a retry reports "Reconnecting... n/max", the stream disconnected (status %#), the cause',
    (error, httpStatusCode) => {
      expect(reconnectingError({ attempt: 2, maxRetries: 5, error })).toEqual({
        message: 'Reconnecting... 2/5',
        codexErrorInfo: { responseStreamDisconnected: { httpStatusCode } },
        additionalDetails: error.message,
        misalignment: null,
      });
    },
  );
});
