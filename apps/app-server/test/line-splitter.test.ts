import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../src/line-splitter.js';

function splitter(maxLineBytes = 16) {
  const lines: string[] = [];
  const oversized: number[] = [];
  const s = new LineSplitter(
    maxLineBytes,
    (line) => lines.push(line),
    (bytes) => oversized.push(bytes),
  );
  return { s, lines, oversized };
}

describe('LineSplitter', () => {
  it('gives every line of a chunk holding several whole lines, and skips blank ones', () => {
    const { s, lines } = splitter();
    s.push(Buffer.from('{"a":1}\n\n  \n{"b":2}\n'));
    expect(lines).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('joins a line split across chunks, a multi-byte character cut in two included', () => {
    const { s, lines } = splitter();
    const bytes = Buffer.from('"héllo"\n"x"\n');
    s.push(bytes.subarray(0, 3)); // cuts é (2 bytes) after its first byte
    s.push(bytes.subarray(3, 10));
    s.push(bytes.subarray(10));
    expect(lines).toEqual(['"héllo"', '"x"']);
  });

  it('a whole line over the limit inside one chunk is reported once and skipped; the next line still counts', () => {
    const { s, lines, oversized } = splitter(8);
    s.push(Buffer.from('0123456789abc\nok\n'));
    expect(oversized).toEqual([13]);
    expect(lines).toEqual(['ok']);
  });

  it('a line growing over the limit across chunks is skipped up to its newline', () => {
    const { s, lines, oversized } = splitter(8);
    s.push(Buffer.from('first\n01234'));
    s.push(Buffer.from('56789'));
    s.push(Buffer.from('abc\nlast\n'));
    expect(oversized).toEqual([13]);
    expect(lines).toEqual(['first', 'last']);
  });

  it('a line of exactly the limit is accepted, in one chunk or split', () => {
    const { s, lines, oversized } = splitter(8);
    s.push(Buffer.from('01234567\n0123'));
    s.push(Buffer.from('4567\n'));
    expect(oversized).toEqual([]);
    expect(lines).toEqual(['01234567', '01234567']);
  });

  it('end() gives a last line without a newline', () => {
    const { s, lines } = splitter();
    s.push(Buffer.from('{"a":1}\n{"b"'));
    s.push(Buffer.from(':2}'));
    s.end();
    expect(lines).toEqual(['{"a":1}', '{"b":2}']);
  });
});
