import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_CLOCK_OFFSET_SECONDS } from '../src/clock.js';
import { startDevBackend } from '../src/index.js';
import { RequestLog } from '../src/requests-log.js';
import { backend, json, postJson } from './helpers.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('clock offsets', () => {
  it('answers an out-of-range offset with 400 and keeps serving', async () => {
    const b = await backend();
    for (const offsetSeconds of [1e300, -1e300, MAX_CLOCK_OFFSET_SECONDS + 1]) {
      const res = await postJson(`${b.url}/dev/clock`, { offsetSeconds });
      expect(res.status).toBe(400);
      expect((await json(res)).error.code).toBe('invalid_body');
    }
    const edge = await postJson(`${b.url}/dev/clock`, { offsetSeconds: -MAX_CLOCK_OFFSET_SECONDS });
    expect(await json(edge)).toEqual({ offsetSeconds: -MAX_CLOCK_OFFSET_SECONDS });
    await postJson(`${b.url}/dev/clock`, { offsetSeconds: 0 });
    expect((await fetch(`${b.chatgptBaseUrl}/wham/usage`)).status).toBe(401);
  });

  it('refuses an out-of-range offset at start and from setClockOffset', async () => {
    await expect(startDevBackend({ clockOffsetSeconds: 99_999_999_999_999 })).rejects.toThrow(
      `clock offset must be a number of seconds within ±${MAX_CLOCK_OFFSET_SECONDS}`,
    );
    const b = await backend();
    expect(() => b.setClockOffset(1e300)).toThrow(RangeError);
    expect((await fetch(`${b.chatgptBaseUrl}/wham/usage`)).status).toBe(401);
  });
});

describe('the top-level guard', () => {
  it('answers 500 when request setup throws, and the next request is served', async () => {
    const b = await backend();
    vi.spyOn(RequestLog.prototype, 'start').mockImplementationOnce(() => {
      throw new RangeError('Invalid time value');
    });
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const failed = await fetch(`${b.chatgptBaseUrl}/wham/usage`);
    expect([failed.status, await json(failed)]).toEqual([
      500,
      { error: { code: 'internal_error', message: 'the dev backend failed' } },
    ]);
    expect(stderr).toHaveBeenCalledWith(
      'dev-backend: internal error on GET /backend-api/wham/usage: Invalid time value\n',
    );
    expect((await fetch(`${b.chatgptBaseUrl}/wham/usage`)).status).toBe(401);
  });
});
