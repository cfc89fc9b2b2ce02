// The popup page in Chromium: lists the API's recent jobs, and says clearly when it cannot.
import { test, expect, chromeExtensionId, watchForErrors, screenshotPath } from './fixtures';

test('the popup lists the recent jobs, newest first, with their phase badges', async ({ extensionContext, emulator }) => {
  // The emulator is shared by the run's test files: expect whatever it holds, 20 newest at most.
  const jobs = (await emulator.jobs()).slice(0, 20);
  const popup = await extensionContext.newPage();
  const errors = watchForErrors(popup);
  await popup.goto(`chrome-extension://${chromeExtensionId()}/popup/popup.html`);
  // Point the popup at this test's emulator through the extension's own storage.
  await popup.evaluate(async (apiBase) => {
    await chrome.storage.local.set({ settings: JSON.stringify({ api_base: apiBase }) });
  }, `${emulator.origin}/api`);
  await popup.reload();
  const rows = popup.getByTestId('job-row');
  await expect(rows).toHaveCount(jobs.length);
  for (const job of jobs) {
    const row = popup.locator(`[data-testid="job-row"][data-job-id="${job.id}"]`);
    await expect(row).toContainText(job.title);
    await expect(row.getByTestId('phase-badge')).toHaveAttribute('data-phase', job.phase);
  }
  expect(await rows.evaluateAll((items) => items.map((item) => item.getAttribute('data-job-id')))).toEqual(
    jobs.map((job) => job.id),
  );
  const cancelled = jobs.find((job) => job.phase === 'cancelled')!;
  const cancelledBadge = popup.locator(`[data-job-id="${cancelled.id}"] [data-testid="phase-badge"]`);
  await expect(cancelledBadge).toHaveText('Cancelled');
  await expect(cancelledBadge).toHaveCSS('background-color', 'rgb(234, 238, 242)');
  await popup.setViewportSize({ width: 380, height: 420 });
  await popup.screenshot({ path: screenshotPath('popup.png') });
  expect(errors).toEqual([]);
  await popup.close();
});

test('the popup says when the API cannot be reached, and retries', async ({ extensionContext }) => {
  const popup = await extensionContext.newPage();
  await popup.goto(`chrome-extension://${chromeExtensionId()}/popup/popup.html`);
  await popup.evaluate(async () => {
    await chrome.storage.local.set({ settings: JSON.stringify({ api_base: 'http://127.0.0.1:9/api' }) });
  });
  await popup.reload();
  const error = popup.getByRole('alert');
  await expect(error).toContainText('Could not reach the server. Check your connection, then retry.');
  await expect(error).toContainText('http://127.0.0.1:9/api');
  await popup.getByRole('button', { name: 'Retry' }).click();
  await expect(popup.getByRole('alert')).toBeVisible();
  await popup.close();
});

test('the popup shows an empty state when there are no jobs', async ({ extensionContext }) => {
  const { Emulator } = await import('./fixtures');
  const empty = await Emulator.start(['--no-seed']);
  try {
    const popup = await extensionContext.newPage();
    await popup.goto(`chrome-extension://${chromeExtensionId()}/popup/popup.html`);
    await popup.evaluate(async (apiBase) => {
      await chrome.storage.local.set({ settings: JSON.stringify({ api_base: apiBase }) });
    }, `${empty.origin}/api`);
    await popup.reload();
    await expect(popup.getByTestId('empty-state')).toHaveText('No jobs yet. Jobs you start in the app appear here.');
    await popup.close();
  } finally {
    await empty.stop();
  }
});
