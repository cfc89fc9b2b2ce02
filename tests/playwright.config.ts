// End-to-end tests: the built extension (dist/chrome, dist/firefox) against the emulator.
// Run through `cargo xtask test`, which builds dist/ and the emulator first.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: './e2e',
  // One worker: each file starts its own browser and emulator, and the machines have 2 cores.
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['./matrix-reporter.ts']],
  outputDir: './test-results',
});
