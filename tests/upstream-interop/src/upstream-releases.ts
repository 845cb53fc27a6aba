/** One pinned upstream Codex release: the npm platform package that holds its Rust binary for linux x64. */
export interface UpstreamRelease {
  /** The release, e.g. `0.169.0`. */
  readonly version: string;
  /** What `npm pack` fetches: the platform-tagged version of `@openai/codex`. */
  readonly spec: string;
  /** The registry's `dist.integrity` (sha512 SRI) for that tarball, pinned here and checked after download. */
  readonly integrity: string;
  /** Where the `codex` binary sits inside the unpacked tarball. */
  readonly binaryPath: string;
}

/** The upstream releases the suite drives. 0.122 has the April agent-identity stack; 0.169 is what users run today. */
export const UPSTREAM_RELEASES = {
  '0.122.0': {
    version: '0.122.0',
    spec: '@openai/codex@0.122.0-linux-x64',
    integrity:
      'sha512-GYQBkwER9RPn7spJOwB3f/pTyk3KWKsRI8W+2Dl5H3XSxJJ5aVZeNKBGChSw6lyJWAmuZXssBu037KQx15lsGA==',
    binaryPath: 'package/vendor/x86_64-unknown-linux-musl/codex/codex',
  },
  '0.169.0': {
    version: '0.169.0',
    spec: '@openai/codex@0.169.0-linux-x64',
    integrity:
      'sha512-o05NyAOCDygSPRo1yinzxvkRSdmsZyBD9E7mbpmjRanSfM8lypqWtQgEo4XfNkwhuCR2aFu8mlGOsQGFXVbVww==',
    binaryPath: 'package/vendor/x86_64-unknown-linux-musl/bin/codex',
  },
} as const satisfies Record<string, UpstreamRelease>;

export type UpstreamVersion = keyof typeof UPSTREAM_RELEASES;

/** Upstream publishes binaries for many platforms; the suite pins only linux x64. */
export function upstreamPlatformSupport(
  platform: string = process.platform,
  arch: string = process.arch,
): { supported: true } | { supported: false; reason: string } {
  if (platform === 'linux' && arch === 'x64') return { supported: true };
  return {
    supported: false,
    reason: `no pinned upstream Codex binary for ${platform}-${arch} (the suite pins linux-x64 only)`,
  };
}
