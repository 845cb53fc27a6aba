import { headerReader } from '@codex-ts/auth-provider';
import { describe, expect, it } from 'vitest';
import {
  BadRequestError,
  ContextWindowExceededError,
  isModelProviderError,
  parseRateLimits,
  ServerOverloadedError,
  UnauthorizedError,
  UsageLimitReachedError,
} from '../src/index.js';
import { errorFromStatus } from '../src/status-error.js';

const target = 'POST http://127.0.0.1:1/backend-api/codex/responses';

function fail(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  sentSecrets: string[] = [],
) {
  return errorFromStatus({
    status,
    headers: headerReader(headers),
    body: typeof body === 'string' ? body : JSON.stringify(body),
    target,
    sentSecrets,
  });
}

describe('errors from a status', () => {
  it.each([400, 404])(
    'a %i keeps what the server said in its message, without a credential the request sent',
    (status) => {
      const token = 'secret-access-token-123';
      const error = fail(
        status,
        { error: { message: `token ${token} is not valid here; Bearer ${token}` } },
        {},
        [`Bearer ${token}`, token],
      );
      expect(error.message).toContain('is not valid here');
      expect(error.message).not.toContain(token);
      expect(error.body).not.toContain(token);
    },
  );

  it('401 keeps the x-openai-authorization-error reason and request id', () => {
    const error = fail(
      401,
      { error: { code: 'unknown_task' } },
      {
        'x-openai-authorization-error': 'unknown_task',
        'x-request-id': 'req_1',
      },
    );
    expect(error).toBeInstanceOf(UnauthorizedError);
    const { code, name, status, requestId, body, retryable, message } = error;
    expect({
      code,
      name,
      status,
      requestId,
      body,
      retryable,
      reason: (error as UnauthorizedError).reason,
      message,
    }).toEqual({
      code: 'unauthorized',
      name: 'UnauthorizedError',
      status: 401,
      requestId: 'req_1',
      body: '{"error":{"code":"unknown_task"}}',
      retryable: false,
      reason: 'unknown_task',
      message: `${target} was refused with 401: unknown_task (request id req_1)`,
    });
  });

  it('429 usage_limit_reached carries plan, resets-at and the active limit snapshot', () => {
    const error = fail(
      429,
      { error: { type: 'usage_limit_reached', plan_type: 'plus', resets_at: 1_800_000_000 } },
      {
        'x-codex-active-limit': 'codex',
        'x-codex-primary-used-percent': '100',
        'x-codex-primary-window-minutes': '300',
        'x-codex-primary-reset-at': '1800000000',
        'x-request-id': 'req_2',
      },
    ) as UsageLimitReachedError;
    expect(error).toBeInstanceOf(UsageLimitReachedError);
    expect(error.message).toBe(
      'the usage limit of the plus plan has been reached; it resets at 2027-01-15T08:00:00.000Z (request id req_2)',
    );
    expect([error.planType, error.resetsAt, error.rateLimits, error.retryable]).toEqual([
      'plus',
      new Date(1_800_000_000_000),
      { limitId: 'codex', primary: { usedPercent: 100, windowMinutes: 300, resetsAt: 1_800_000_000 } },
      false,
    ]);
  });

  it.each([
    [
      400,
      { error: { code: 'context_length_exceeded', message: 'too long' } },
      ContextWindowExceededError,
      false,
    ],
    [503, { error: { code: 'server_is_overloaded' } }, ServerOverloadedError, false],
    [503, { error: { code: 'slow_down' } }, ServerOverloadedError, false],
    [400, { error: { message: 'bad tool' } }, BadRequestError, false],
  ])('%i %j → %s', (status, body, type, retryable) => {
    const error = fail(status, body);
    expect(error).toBeInstanceOf(type);
    expect(error.retryable).toBe(retryable);
  });

  it.each([
    // As upstream 0.169: a rate limit is final; any status it does not name is unexpected and retried as an attempt.
    [429, 'rate_limited', false],
    [500, 'unexpected_status', true],
    [502, 'unexpected_status', true],
    [408, 'unexpected_status', true],
    [403, 'unexpected_status', true],
    [404, 'unexpected_status', true],
    [415, 'unexpected_status', true],
    [422, 'unexpected_status', true],
  ])('%i → %s (retryable %s)', (status, code, retryable) => {
    const error = fail(status, 'nope');
    expect([error.code, error.retryable, error.message]).toEqual([code, retryable, error.message]);
    expect(isModelProviderError(error)).toBe(true);
  });

  it('keeps at most 512 characters of body and never a credential', () => {
    const token = 'secret-access-token-123456';
    const body = `${'x'.repeat(20)} echoed Bearer ${token} and AgentAssertion eyJhbGciOi.abc ${'y'.repeat(600)}`;
    const error = fail(500, body, {}, ['Bearer secret-access-token-123456', token]);
    expect(error.body).toHaveLength(512);
    expect(error.body).not.toContain(token);
    expect(error.body).not.toContain('eyJhbGciOi');
    expect(error.body?.slice(0, 70)).toBe(
      `${'x'.repeat(20)} echoed <redacted> and AgentAssertion <redacted> y`,
    );
  });
});

describe('parseRateLimits', () => {
  it('reads primary, secondary, credits, the limit name and the plan', () => {
    expect(
      parseRateLimits(
        headerReader({
          'x-codex-primary-used-percent': '12.5',
          'x-codex-primary-window-minutes': '300',
          'x-codex-primary-reset-at': '1704069000',
          'x-codex-secondary-used-percent': '40',
          'x-codex-secondary-window-minutes': '10080',
          'x-codex-credits-has-credits': 'true',
          'x-codex-credits-unlimited': '0',
          'x-codex-credits-balance': ' 12.00 ',
          'x-codex-limit-name': 'codex',
          'x-codex-plan-type': ' pro ',
        }),
      ),
    ).toEqual({
      limitId: 'codex',
      limitName: 'codex',
      primary: { usedPercent: 12.5, windowMinutes: 300, resetsAt: 1704069000 },
      secondary: { usedPercent: 40, windowMinutes: 10080 },
      credits: { hasCredits: true, unlimited: false, balance: '12.00' },
      planType: 'pro',
    });
  });

  it('reads another limit family and ignores empty or malformed values', () => {
    expect(
      parseRateLimits(headerReader({ 'x-codex-other-primary-used-percent': '80' }), 'codex_other'),
    ).toEqual({ limitId: 'codex_other', primary: { usedPercent: 80 } });
    expect(
      parseRateLimits(
        headerReader({ 'x-codex-primary-used-percent': 'NaN', 'x-codex-secondary-used-percent': '0' }),
      ),
    ).toBeUndefined();
  });
});
