// Requests per minute the list page and a job's page make to the API: idle, in the minute after
// an action, and while hidden (as the content script sees a background tab).
import { test, Emulator, launchChromiumWithExtension, watchContentWorld, requestsSince, lastSeq, openPopup } from '../e2e/fixtures';
import { expect, type Page } from '@playwright/test';

const MINUTE_MS = 60_000;

async function apiRequestsDuring(emulator: Emulator, ms: number, action?: () => Promise<void>): Promise<number> {
  const since = await lastSeq(emulator);
  const started = Date.now();
  if (action) await action();
  await new Promise((resolve) => setTimeout(resolve, ms - (Date.now() - started)));
  return (await requestsSince(emulator, since)).filter((r) => r.path.startsWith('/api/') && r.method === 'GET').length;
}

test('API requests per minute', async () => {
  test.setTimeout(600_000);
  const emulator = await Emulator.start(['--no-seed']);
  await emulator.api('POST', '/_emulator/jobs/bulk', { count: 30, phase: 'matching' });
  const { context, close } = await launchChromiumWithExtension(emulator.origin);
  const rows: string[] = [];
  for (const [name, path] of [['list page', '/jobs'], ['job page (active job)', `/jobs/${(await emulator.jobs())[0].id}`]] as const) {
    const page: Page = await context.newPage();
    const world = await watchContentWorld(context, page);
    await page.goto(path);
    await expect(page.locator('[data-job-actions="phase-badge"][data-source="api"]').first()).toBeVisible();
    const idle = await apiRequestsDuring(emulator, MINUTE_MS);
    const afterAction = await apiRequestsDuring(emulator, MINUTE_MS, async () => {
      // An action elsewhere on the page: cancel another job (the list) or this one (the job page).
      const target = name === 'list page' ? (await emulator.jobs())[5].id : path.split('/').pop()!;
      if (name === 'list page') {
        await page.locator(`tr[data-job-id="${target}"]`).getByTestId('row-menu-button').click();
        await page.getByRole('menuitem', { name: 'Cancel Job' }).click();
      } else {
        await page.getByRole('button', { name: 'Cancel Job' }).click();
      }
      await page.getByRole('button', { name: 'Confirm Cancellation' }).click();
    });
    await world.setHidden(true);
    const hidden = await apiRequestsDuring(emulator, MINUTE_MS);
    rows.push(`| ${name} | ${idle} | ${afterAction} | ${hidden} |`);
    await page.close();
  }
  // The popup, opened as a page: its own polling while open; "hidden" is its Pause toggle here
  // (a real popup closes when it loses focus, and a closed popup makes no requests at all).
  const popup = await openPopup(context, emulator.origin);
  await expect(popup.getByTestId('job-row').first()).toBeVisible();
  const popupIdle = await apiRequestsDuring(emulator, MINUTE_MS);
  const popupAfterAction = await apiRequestsDuring(emulator, MINUTE_MS, async () => {
    await popup.getByTestId('action-cancel').nth(2).click();
    await popup.getByRole('button', { name: 'Confirm Cancellation' }).click();
  });
  await popup.getByTestId('poll-toggle').click();
  const popupPaused = await apiRequestsDuring(emulator, MINUTE_MS);
  rows.push(`| popup (paused for "hidden") | ${popupIdle} | ${popupAfterAction} | ${popupPaused} |`);
  await close();
  await emulator.stop();
  console.log('\nAPI GET requests in one minute (30 jobs; the minute after load, after a cancel, while hidden)');
  console.log('| page | idle | after an action | hidden |');
  console.log('|---|---:|---:|---:|');
  for (const row of rows) console.log(row);
});
