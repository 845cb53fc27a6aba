import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isLoopbackHost, type RefusingProxy, startRefusingProxy } from '../src/refusing-proxy.js';
import { normaliseTranscript, requestResponsePairs } from '../src/transcript-normaliser.js';
import {
  fileIntegrity,
  UpstreamIntegrityError,
  upstreamCacheDir,
  verifyIntegrity,
} from '../src/upstream-cache.js';
import { upstreamEnv } from '../src/upstream-env.js';
import { UPSTREAM_RELEASES, upstreamPlatformSupport } from '../src/upstream-releases.js';

// The suite's own machinery, on every platform (no upstream binary needed).

describe('platform support', () => {
  it.each([
    ['linux', 'x64', { supported: true }],
    [
      'darwin',
      'arm64',
      {
        supported: false,
        reason: 'no pinned upstream Codex binary for darwin-arm64 (the suite pins linux-x64 only)',
      },
    ],
    [
      'linux',
      'arm64',
      {
        supported: false,
        reason: 'no pinned upstream Codex binary for linux-arm64 (the suite pins linux-x64 only)',
      },
    ],
  ])('%s-%s', (os, arch, expected) => {
    expect(upstreamPlatformSupport(os, arch)).toEqual(expected);
  });
});

describe('the upstream cache', () => {
  it('honours CODEX_TS_UPSTREAM_CACHE, then XDG_CACHE_HOME', () => {
    expect(upstreamCacheDir({ CODEX_TS_UPSTREAM_CACHE: '/c', XDG_CACHE_HOME: '/x' })).toBe('/c');
    expect(upstreamCacheDir({ XDG_CACHE_HOME: '/x' })).toBe('/x/codex-ts/upstream');
  });

  it('accepts a file with the pinned integrity and refuses one byte off', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'codex-ts-interop-integrity-'));
    try {
      const file = join(dir, 'package.tgz');
      await writeFile(file, 'the tarball');
      const release = { ...UPSTREAM_RELEASES['0.169.0'], integrity: await fileIntegrity(file) };
      await expect(verifyIntegrity(file, release)).resolves.toBeUndefined();
      await writeFile(file, 'the tarbalL');
      const error = await verifyIntegrity(file, release).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UpstreamIntegrityError);
      expect((error as UpstreamIntegrityError).message).toBe(
        `@openai/codex@0.169.0-linux-x64: the tarball's integrity is ${await fileIntegrity(file)}, the suite pins ${release.integrity}`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the refusing proxy', () => {
  let proxy: RefusingProxy | undefined;
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
  });

  function send(options: { method: string; path: string }): Promise<number> {
    const url = new URL(proxy!.url);
    return new Promise((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, ...options });
      req.once('connect', (res, socket) => {
        socket.destroy();
        resolve(res.statusCode ?? 0);
      });
      req.once('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.once('error', reject);
      req.end();
    });
  }

  it('refuses tunnels and proxied requests alike, and records where each was going', async () => {
    proxy = await startRefusingProxy();
    expect(await send({ method: 'CONNECT', path: 'chatgpt.com:443' })).toBe(403);
    expect(await send({ method: 'GET', path: 'http://example.org/x' })).toBe(403);
    expect(await send({ method: 'CONNECT', path: '[::1]:8443' })).toBe(403);
    expect(proxy.attempts).toEqual([
      { method: 'CONNECT', target: 'chatgpt.com:443', host: 'chatgpt.com', loopback: false },
      { method: 'GET', target: 'http://example.org/x', host: 'example.org', loopback: false },
      { method: 'CONNECT', target: '[::1]:8443', host: '::1', loopback: true },
    ]);
    expect(proxy.outsideAttempts().map((a) => a.host)).toEqual(['chatgpt.com', 'example.org']);
  });

  it.each([
    ['localhost', true],
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['[::1]', true],
    ['128.0.0.1', false],
    ['localhost.example.com', false],
    ['chatgpt.com', false],
  ])('isLoopbackHost(%s) is %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });
});

describe('the upstream environment', () => {
  it('is built from PATH alone, with every proxy variable on the refusing proxy and the URLs on the dev backend', () => {
    const env = upstreamEnv({
      codexHome: '/tmp/home',
      origin: 'https://127.0.0.1:9/',
      proxyUrl: 'http://127.0.0.1:8',
      caFile: '/tmp/ca.pem',
      extra: { RUST_LOG: undefined, EXTRA: '1' },
    });
    expect(env).toEqual({
      PATH: process.env.PATH,
      HOME: '/tmp/home',
      CODEX_HOME: '/tmp/home',
      LANG: 'C.UTF-8',
      NO_PROXY: '127.0.0.1,localhost,::1',
      no_proxy: '127.0.0.1,localhost,::1',
      HTTPS_PROXY: 'http://127.0.0.1:8',
      HTTP_PROXY: 'http://127.0.0.1:8',
      ALL_PROXY: 'http://127.0.0.1:8',
      https_proxy: 'http://127.0.0.1:8',
      http_proxy: 'http://127.0.0.1:8',
      all_proxy: 'http://127.0.0.1:8',
      CODEX_REFRESH_TOKEN_URL_OVERRIDE: 'https://127.0.0.1:9/oauth/token',
      CODEX_REVOKE_TOKEN_URL_OVERRIDE: 'https://127.0.0.1:9/oauth/revoke',
      CODEX_APP_SERVER_LOGIN_ISSUER: 'https://127.0.0.1:9',
      CODEX_CA_CERTIFICATE: '/tmp/ca.pem',
      SSL_CERT_FILE: '/tmp/ca.pem',
      EXTRA: '1',
    });
  });
});

describe('transcript normalisation', () => {
  it('names ids by first appearance, hides times and machine values, and keeps request/response pairs', () => {
    const thread = '01a1fca0-3d8d-7641-b4fe-015d0eb19eb9';
    const normalised = normaliseTranscript(
      [
        { from: 'client', message: { id: 1, method: 'thread/start', params: { cwd: '/tmp/h1/work' } } },
        {
          from: 'server',
          message: { id: 1, result: { thread: { id: thread, createdAt: 17, path: '/tmp/h1/x' } } },
        },
        {
          from: 'server',
          message: { method: 'thread/started', params: { threadId: thread }, emittedAtMs: 5 },
        },
        {
          from: 'server',
          message: { method: 'item/agentMessage/delta', params: { itemId: 'msg_0123456789ab' } },
        },
        {
          from: 'server',
          message: { id: 2, result: { userAgent: 'x/0.169.0 (Debian)', other: 'msg_0123456789ab' } },
        },
      ],
      { replacements: { '/tmp/h1': '<CODEX_HOME>' } },
    );
    expect(normalised).toEqual([
      { from: 'client', message: { id: 1, method: 'thread/start', params: { cwd: '<CODEX_HOME>/work' } } },
      {
        from: 'server',
        message: { id: 1, result: { thread: { id: '<uuid:1>', createdAt: '<time>', path: '<path>' } } },
      },
      {
        from: 'server',
        message: { method: 'thread/started', params: { threadId: '<uuid:1>' }, emittedAtMs: '<time>' },
      },
      { from: 'server', message: { method: 'item/agentMessage/delta', params: { itemId: '<msg:1>' } } },
      { from: 'server', message: { id: 2, result: { userAgent: '<userAgent>', other: '<msg:1>' } } },
    ]);
    expect(requestResponsePairs(normalised).map((e) => e.message.id)).toEqual([1, 1, 2]);
  });
});
