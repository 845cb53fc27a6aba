import { describe, expect, it } from 'vitest';
import { parseJsonRejectingDuplicateKeys } from '../src/json-object.js';

describe('parseJsonRejectingDuplicateKeys', () => {
  it('parses JSON without duplicate keys like JSON.parse', () => {
    const text = '{"a":"x","b":{"a":1,"c":[{"a":2},{"a":3}]},"s":"\\"a\\":"}';
    expect(parseJsonRejectingDuplicateKeys(text)).toEqual({ ok: true, value: JSON.parse(text) });
    expect(parseJsonRejectingDuplicateKeys('[1,"x",null]')).toEqual({ ok: true, value: [1, 'x', null] });
  });

  it('rejects a key named twice in one object, at any depth', () => {
    expect(parseJsonRejectingDuplicateKeys('{"task_id":"a","task_id":"b"}')).toEqual({
      ok: false,
      error: 'duplicate_key',
      key: 'task_id',
    });
    expect(parseJsonRejectingDuplicateKeys('{"x":[{"k":1,"k":2}]}')).toEqual({
      ok: false,
      error: 'duplicate_key',
      key: 'k',
    });
    expect(parseJsonRejectingDuplicateKeys('{"\\u0074":1,"t":2}')).toEqual({
      ok: false,
      error: 'duplicate_key',
      key: 't',
    });
  });

  it('does not mistake string values or sibling objects for duplicates', () => {
    expect(parseJsonRejectingDuplicateKeys('{"a":"a","b":"a"}').ok).toBe(true);
    expect(parseJsonRejectingDuplicateKeys('[{"a":1},{"a":2}]').ok).toBe(true);
    expect(parseJsonRejectingDuplicateKeys('{"a":{"b":1},"b":2}').ok).toBe(true);
  });

  it('reports a syntax error', () => {
    expect(parseJsonRejectingDuplicateKeys('{"a":')).toEqual({ ok: false, error: 'syntax' });
  });
});
