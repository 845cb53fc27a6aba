import { BadRequestError, ModelProviderError, StreamDisconnectedError } from '@codex-ts/model-provider';
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
    ['a 400', new BadRequestError('rejected with 400', { status: 400 }), 'badRequest'],
    [
      'a 415',
      new BadRequestError('rejected with 415', { status: 415 }),
      { httpConnectionFailed: { httpStatusCode: 415 } },
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
