import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['import-graph.test.ts', 'experiments/**/*.test.ts', 'sim/**/*.test.ts', 'bench/**/*.test.ts', 'reports/**/*.test.ts', 'scripts/**/*.test.ts'],
    // Temporary folders under out/test-tmp/, removed when the run ends (test-temp.global-setup.ts).
    globalSetup: ['test-temp.global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
