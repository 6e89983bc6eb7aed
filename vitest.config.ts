import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // PGlite takes a few seconds to start; the runner tests drive real processes and sockets.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    env: { METADATA_SERVER_DETECTION: 'none', SNOWFLAKE_DISABLE_PLATFORM_DETECTION: 'true' },
  },
});
