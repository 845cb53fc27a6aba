import { describe, expect, it } from 'vitest';
import { compileGlob, globMatch } from '../src/glob.js';
import { backend } from './helpers.js';

describe('fault globs', () => {
  it.each([
    ['/backend-api/wham/usage', '/backend-api/wham/usage', true],
    ['/backend-api/wham/usage', '/backend-api/wham/usages', false],
    ['/backend-api/*', '/backend-api/wham/usage', true],
    ['/backend-api/*', '/backend-api/', true],
    ['/backend-api/*', '/backend-api', false],
    ['*/usage', '/backend-api/wham/usage', true],
    ['/*/wham/*', '/backend-api/wham/tasks/1', true],
    ['/*/wham/*', '/backend-api/other/tasks/1', false],
    ['/a*b*c', '/abbbc', true],
    ['/a*b*c', '/acb', false],
    ['/a.b', '/axb', false],
    ['/(x)+?', '/(x)+?', true],
    ['*', '', true],
    ['', '', true],
    ['', '/', false],
    ['/**zz', '/zz', true],
    ['/**zz', '/azzz', true],
    ['/**zz', '/azaz', false],
  ])('%s against %s → %s', (pattern, text, expected) => {
    expect(globMatch(pattern, text)).toBe(expected);
    expect(compileGlob(pattern).matches(text)).toBe(expected);
  });

  // A backtracking matcher (the old `.*.*.*…` regular expression) needs on the order of n^8 steps here; this
  // one needs at most pattern × text. The test would not finish with the old matcher.
  it('matches a pathological glob against a 20,000-character path', () => {
    const path = `/${'z'.repeat(20_000)}a`;
    expect(compileGlob('/********zz').matches(path)).toBe(false);
    expect(compileGlob('/********zz').matches(`${path}zz`)).toBe(true);
    expect(compileGlob('/*z*z*z*z*z*z*z*zb').matches(path)).toBe(false);
  });

  it('keeps the server responsive with such a fault injected', async () => {
    const b = await backend();
    b.injectFault({ path: '/********zz', status: 503 });
    const res = await fetch(`${b.url}/${'z'.repeat(10_000)}a`);
    expect(res.status).toBe(404);
    expect((await fetch(`${b.url}/${'z'.repeat(10_000)}zz`)).status).toBe(503);
  });
});
