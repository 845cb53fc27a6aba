import { describe, expect, it } from 'vitest';
import { codexAppsMcpUrl, qualifyToolNames, sanitizeToolName } from '../src/index.js';

describe('codexAppsMcpUrl (upstream codex_apps_mcp_url_for_base_url)', () => {
  it.each([
    ['https://chatgpt.com/backend-api', undefined, 'https://chatgpt.com/backend-api/wham/apps'],
    ['https://chatgpt.com/backend-api/', undefined, 'https://chatgpt.com/backend-api/wham/apps'],
    ['https://example.com/api/codex', undefined, 'https://example.com/api/codex/apps'],
    ['https://example.com', undefined, 'https://example.com/api/codex/apps'],
    ['https://chatgpt.com/backend-api', 'ps/mcp', 'https://chatgpt.com/backend-api/ps/mcp'],
    ['https://chatgpt.com/backend-api', '/ps/mcp', 'https://chatgpt.com/backend-api/ps/mcp'],
    ['http://127.0.0.1:8787/backend-api', '  ', 'http://127.0.0.1:8787/backend-api/wham/apps'],
  ])('%s with override %s → %s', (base, override, expected) => {
    expect(codexAppsMcpUrl(base, override)).toBe(expected);
  });
});

describe('tool names', () => {
  it.each([
    ['echo', 'echo'],
    ['calendar.create event', 'calendar_create_event'],
    ['déjà-vu', 'd_j_-vu'],
    ['😀x', '_x'],
    ['', '_'],
  ])('sanitizeToolName(%j) = %j', (raw, expected) => {
    expect(sanitizeToolName(raw)).toBe(expected);
  });

  it('namespaces, hashes names over 64 characters and collisions, skips exact duplicates', () => {
    const long = 'x'.repeat(80);
    const names = qualifyToolNames(['echo', 'a.b', 'a_b', long, 'echo']);
    expect([...names]).toEqual([
      ['mcp__codex_apps__echo', 'echo'],
      ['mcp__codex_apps__a_b', 'a.b'],
      ['mcp__codex_apps__a_bf37ea955a47a5ad69d04a5427af5c4b5a05eccaa', 'a_b'],
      ['mcp__codex_apps__xxxxxxx21e024f4d409808fadb2e5f931301ba6fe56f0e6', long],
    ]);
  });
});
