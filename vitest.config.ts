import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Adapter tests start local emulators and real clients; give them room on a 2-core CI box.
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
