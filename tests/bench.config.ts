// Benchmarks (not tests): run by `cargo xtask bench`, they print figures and assert nothing
// about time.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: './bench',
  testMatch: '*.bench.ts',
  workers: 1,
  timeout: 300_000,
  reporter: [['line']],
  outputDir: './test-results/bench',
});
