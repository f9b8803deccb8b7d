import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'electron/**/*.test.ts', 'renderer/**/*.test.ts', 'test/unit/**/*.test.ts', 'fixtures/**/*.test.ts'],
    environment: 'node',
    pool: 'threads',
  },
});
