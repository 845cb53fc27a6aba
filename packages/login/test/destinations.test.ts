import { describe, expect, it } from 'vitest';
import { CredentialDestinations } from '../src/destinations.js';

const destinations = () =>
  new CredentialDestinations([
    'https://chatgpt.com/backend-api',
    'http://127.0.0.1:8787/backend-api',
    'https://files.example.net',
    'not a url',
  ]);

describe('CredentialDestinations', () => {
  it.each([
    ['https://chatgpt.com/backend-api/x', 'assertion'],
    ['wss://chatgpt.com/backend-api/codex/responses', 'assertion'],
    ['http://127.0.0.1:8787/backend-api', 'assertion'],
    ['ws://127.0.0.1:8787/backend-api', 'assertion'],
    ['ws://localhost:1/x', 'none'],
    ['http://127.0.0.1:8788/files-blob/1', 'none'],
    ['http://localhost:8787/backend-api', 'none'],
    ['http://chatgpt.com/backend-api', 'none'],
    ['ws://chatgpt.com/backend-api', 'none'],
    ['https://files.example.net/up', 'bearer'],
    ['wss://files.example.net/up', 'bearer'],
    ['https://files.example.net:8443/up', 'none'],
    ['https://api.openai.com/v1', 'bearer'],
    ['wss://api.openai.com/v1/realtime', 'bearer'],
    ['https://evil.example.com/', 'none'],
    ['blob:https://chatgpt.com/0b4c', 'none'],
    ['blob:http://127.0.0.1:8787/0b4c', 'none'],
    ['ftp://chatgpt.com/x', 'none'],
    ['data:text/plain,chatgpt.com', 'none'],
  ])('%s → %s', (url, expected) => {
    expect(destinations().classify(new URL(url))).toBe(expected);
  });

  // Defect 9: the cache was keyed by url.origin, which a blob: URL shares with its inner URL.
  it('a blob: URL neither gets nor poisons the entry of the host it names', () => {
    const d = destinations();
    expect(d.classify(new URL('blob:https://chatgpt.com/x'))).toBe('none');
    expect(d.classify(new URL('https://chatgpt.com/backend-api'))).toBe('assertion');
    expect(d.classify(new URL('blob:https://chatgpt.com/x'))).toBe('none');
    const other = destinations();
    expect(other.classify(new URL('https://evil.example.com/'))).toBe('none');
    expect(other.classify(new URL('blob:https://files.example.net/x'))).toBe('none');
    expect(other.classify(new URL('https://files.example.net/x'))).toBe('bearer');
  });
});
