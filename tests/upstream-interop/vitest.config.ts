import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The build of the workspace packages first, then the pinned upstream binaries into the cache (once per run).
    globalSetup: ['../../scripts/vitest-build.ts', './test/global-setup.ts'],
    // Each test spawns a real upstream binary and waits on its output; generous, never a sleep.
    testTimeout: 90_000,
    hookTimeout: 60_000,
  },
});
