import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['import-graph.test.ts', 'experiments/**/*.test.ts', 'sim/**/*.test.ts', 'bench/**/*.test.ts', 'reports/**/*.test.ts', 'scripts/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
