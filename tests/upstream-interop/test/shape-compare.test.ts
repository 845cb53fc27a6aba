import { describe, expect, it } from 'vitest';
import { compareSessions } from '../src/session-compare.js';
import { compareShapes, shapeOf, unexplained, unused } from '../src/shape-compare.js';

const diff = (ours: unknown, upstream: unknown) => compareShapes(shapeOf(ours), shapeOf(upstream));

describe('the structural comparer', () => {
  it('ignores values, and finds every missing key and type change, recursively', () => {
    expect(diff({ a: 'x', b: [1, 2], c: { d: true } }, { a: 'y', b: [3], c: { d: false } })).toEqual([]);
    expect(diff({ a: 1, c: { d: 'no', e: null } }, { a: 1, b: 2, c: { d: true, e: null, f: [] } })).toEqual([
      { path: 'b', ours: 'absent', upstream: 'number' },
      { path: 'c.d', ours: 'string', upstream: 'boolean' },
      { path: 'c.f', ours: 'absent', upstream: 'array<empty>' },
    ]);
    expect(diff({ extra: 1 }, {})).toEqual([{ path: 'extra', ours: 'number', upstream: 'absent' }]);
    expect(diff({ v: null }, { v: 'text' })).toEqual([{ path: 'v', ours: 'null', upstream: 'string' }]);
  });

  it('finds two keys both sides have in the opposite order; keys never seen together are in no order', () => {
    expect(diff({ a: 1, b: { x: 1, y: 2 } }, { a: 2, b: { x: 3, y: 4 } })).toEqual([]);
    expect(diff({ b: { y: 1, x: 2 }, a: 1, extra: 0 }, { a: 1, b: { x: 1, y: 2 } })).toEqual([
      { path: ' (key order)', ours: 'b, a', upstream: 'a, b' },
      { path: 'b (key order)', ours: 'y, x', upstream: 'x, y' },
      { path: 'extra', ours: 'number', upstream: 'absent' },
    ]);
    // Elements that each leave out an optional key: `name` and `tag` are never seen together, so in no order.
    const elements = [
      { id: 1, name: 'n', done: true },
      { id: 2, tag: 't', done: false },
    ];
    expect(diff({ data: [{ id: 1, name: 'n', tag: 't', done: true }] }, { data: elements })).toEqual([]);
    expect(diff({ data: [{ id: 1, tag: 't', name: 'n', done: true }] }, { data: elements })).toEqual([]);
    expect(diff({ data: [{ done: true, id: 1, name: 'n', tag: 't' }] }, { data: elements })).toEqual([
      { path: 'data[] (key order)', ours: 'done, id, name, tag', upstream: 'id, name, done, tag' },
    ]);
  });

  it('a map keyed by UUIDs compares as one key, <id>, whatever the ids of each run', () => {
    const a = '01a1fd22-2b4a-7031-aeed-cff40d0d99d7';
    const b = '01a1fd28-2c0e-7eb3-bc06-8aec90c2cf0b';
    expect(diff({ m: { [a]: { r: 'x' } } }, { m: { [b]: { r: 'y' } } })).toEqual([]);
    expect(diff({ m: { [a]: { r: 'x' }, [b]: { r: null } } }, { m: { [b]: { r: 'y' } } })).toEqual([
      { path: 'm.<id>.r', ours: 'string | null', upstream: 'string' },
    ]);
  });

  it('merges array elements: a key any element has, a type any element takes', () => {
    expect(
      diff({ data: [{ id: 'a' }, { id: 'b' }] }, { data: [{ id: 'a' }, { id: 'b', name: 'n' }] }),
    ).toEqual([{ path: 'data[].name', ours: 'absent', upstream: 'string' }]);
    expect(diff([1, 'a'], ['b', 2])).toEqual([]);
    expect(diff([1, 'a'], [1])).toEqual([{ path: '[]', ours: 'number | string', upstream: 'number' }]);
    expect(diff([], [{ any: 1 }])).toEqual([]);
  });

  it('the allow-list explains differences by exact path, prefix or RegExp, and reports entries that explain none', () => {
    const found = [
      { path: 'thread/start: result.a', ours: 'absent', upstream: 'null' },
      { path: 'thread/read: result.b', ours: 'absent', upstream: 'null' },
      { path: 'app/list: result.c', ours: 'null', upstream: 'string' },
    ];
    const allowed = [
      { path: 'thread/start: result.a', reason: 'r1' },
      { path: /^thread\/read: /, reason: 'r2' },
      { path: 'never: *', reason: 'r3' },
    ];
    expect(unexplained(found, allowed)).toEqual([found[2]]);
    expect(unused(found, allowed)).toEqual([allowed[2]]);
  });

  it('compares two sessions step by step: a method we do not serve is listed, an error against a result is a mismatch', () => {
    const upstream = {
      outcomes: new Map([
        ['initialize', { kind: 'result' as const, method: 'initialize', result: { userAgent: 'u' } }],
        ['model/list', { kind: 'result' as const, method: 'model/list', result: { data: [] } }],
        ['account/read', { kind: 'result' as const, method: 'account/read', result: { account: null } }],
      ]),
      transcript: [
        { from: 'server' as const, message: { method: 'account/updated', params: { authMode: 'x' } } },
      ],
    };
    const ours = {
      outcomes: new Map([
        [
          'initialize',
          { kind: 'result' as const, method: 'initialize', result: { userAgent: 'v', more: 1 } },
        ],
        ['model/list', { kind: 'unknownMethod' as const, method: 'model/list' }],
        ['account/read', { kind: 'error' as const, method: 'account/read', code: -32603, message: 'boom' }],
      ]),
      transcript: [
        { from: 'server' as const, message: { method: 'account/updated', params: { authMode: null } } },
      ],
    };
    expect(compareSessions(ours, upstream)).toEqual({
      comparedSteps: ['initialize'],
      comparedNotifications: ['account/updated'],
      notServedByUs: ['model/list'],
      notSentByUs: [],
      outcomeMismatches: [{ step: 'account/read', ours: 'error -32603', upstream: 'result' }],
      differences: [
        { path: 'initialize: result.more', ours: 'number', upstream: 'absent' },
        { path: 'account/updated: params.authMode', ours: 'null', upstream: 'string' },
      ],
      allowedCount: 0,
      unusedAllowances: [],
    });
  });
});
