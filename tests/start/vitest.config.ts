import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The dev backend, login and the app-server built first (turbo does it under `pnpm test`).
    globalSetup: ['../../scripts/vitest-build.ts'],
    // Each test runs the script, which spawns app-servers and signs in with a device code (the issuer's 5 s poll).
    testTimeout: 60_000,
  },
});
