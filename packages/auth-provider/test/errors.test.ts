import { describe, expect, it } from 'vitest';
import {
  AuthError,
  AuthUnavailableError,
  headerReader,
  isAuthError,
  isAuthUnavailableError,
  unauthorizedContext,
  unauthorizedContextFromUpgrade,
} from '../src/index.js';

describe('the error vocabulary', () => {
  it('carries reason, retryable and code', () => {
    const error = new AuthUnavailableError('agent_task_unavailable', 'no task for thread t1', {
      retryable: true,
    });
    expect(error).toBeInstanceOf(AuthError);
    expect([error.name, error.code, error.reason, error.retryable, error.message]).toEqual([
      'AuthUnavailableError',
      'auth_unavailable',
      'agent_task_unavailable',
      true,
      'no task for thread t1',
    ]);
    expect(new AuthUnavailableError('not_logged_in', 'log in first').retryable).toBe(false);
  });

  it('is recognised across two installed copies through the global marker, and nothing else is', () => {
    const marker = Symbol.for('@codex-ts/auth-provider.error');
    const fromOtherCopy = Object.assign(new Error('x'), { [marker]: true, code: 'auth_unavailable' });
    expect(isAuthError(fromOtherCopy)).toBe(true);
    expect(isAuthUnavailableError(fromOtherCopy)).toBe(true);
    expect(isAuthError(new Error('x'))).toBe(false);
    expect(isAuthError(null)).toBe(false);
    expect(isAuthError('auth_unavailable')).toBe(false);
    expect(isAuthUnavailableError(new AuthError('other'))).toBe(false);
  });
});

describe('headers read case-insensitively', () => {
  it('reads a record by any case, joining repeated values', () => {
    const reader = headerReader({ Authorization: 'Bearer x', 'set-cookie': ['a', 'b'], absent: undefined });
    expect(reader.get('authorization')).toBe('Bearer x');
    expect(reader.get('SET-COOKIE')).toBe('a, b');
    expect(reader.get('absent')).toBeNull();
  });

  it('builds the 401 context of an HTTP response, the body cut at 4 KiB', () => {
    const request = { url: new URL('https://chatgpt.com/backend-api/wham/usage'), method: 'GET' };
    const context = unauthorizedContext(
      request,
      { Authorization: 'AgentAssertion a' },
      { status: 401, headers: new Headers() },
      'x'.repeat(5000),
    );
    expect(context.sentHeaders.get('AUTHORIZATION')).toBe('AgentAssertion a');
    expect(context.response.body).toHaveLength(4096);
  });

  it('builds the 401 context of a refused websocket upgrade', () => {
    const request = { url: new URL('wss://chatgpt.com/backend-api/codex/responses'), method: 'GET' };
    const context = unauthorizedContextFromUpgrade({
      request,
      sentHeaders: { authorization: 'AgentAssertion a' },
      response: { statusCode: 401, headers: { 'x-openai-authorization-error': 'unknown_task' } },
      body: '{"error":"unknown_task"}',
    });
    expect(context.request).toBe(request);
    expect(context.sentHeaders.get('Authorization')).toBe('AgentAssertion a');
    expect(context.response.status).toBe(401);
    expect(context.response.headers.get('X-OpenAI-Authorization-Error')).toBe('unknown_task');
    expect(context.response.body).toBe('{"error":"unknown_task"}');
  });
});
