import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { ensureUpstream } from '../src/upstream-cache.js';
import { UPSTREAM_RELEASES, upstreamPlatformSupport } from '../src/upstream-releases.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Path of each pinned release's `codex` binary; empty where the platform has none. */
    upstreamBinaries: Record<string, string>;
  }
}

/** Fetches the pinned upstream releases into the cache once for the whole run (a cache hit costs nothing). */
export default async function setup(project: TestProject): Promise<void> {
  const support = upstreamPlatformSupport();
  if (!support.supported) {
    console.warn(`upstream-interop: SKIPPING every upstream test: ${support.reason}`);
    project.provide('upstreamBinaries', {});
    return;
  }
  const binaries: Record<string, string> = {};
  // Both releases at once: the download, not the CPU, is the wait.
  await Promise.all(
    Object.values(UPSTREAM_RELEASES).map(async (release) => {
      binaries[release.version] = await ensureUpstream(release, {
        onDownload: (r) =>
          console.log(
            `upstream-interop: fetching ${r.spec} with npm pack (checked against the pinned integrity)`,
          ),
      });
    }),
  );
  project.provide('upstreamBinaries', binaries);
}
