// End-to-end tests: the built extension (dist/chrome, dist/firefox) against the emulator.
// Run through `cargo xtask test`, which builds dist/ and the emulator first.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: './e2e',
  // Two workers, one per core: each worker starts its own browser and emulator, and runs whole
  // files. Most tests wait on timers (polling, the 60 s deletion check), so two at once take
  // about 60 % of the time one does (863 → 500–530 s here); running two at once also slows each
  // page, which has caught real races (ARCHITECTURE.md, "Two test workers").
  workers: 2,
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['./matrix-reporter.ts']],
  outputDir: './test-results',
});
