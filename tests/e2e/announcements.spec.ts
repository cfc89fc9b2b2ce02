// What a page says while it waits and when jobs change elsewhere (PRD §5.7, §9; issue #23 item 4):
// a job page's action group in a labelled loading state (a skeleton, `aria-busy`) until the API
// answers, the list's menu buttons likewise, and one polite live region per page that announces
// status changes that arrive by polling or from another tab.
import { appTest as test, expect, fault, openPopup } from './fixtures';
import AxeBuilder from '@axe-core/playwright';

test('a job page shows a skeleton of its actions, aria-busy, until the API answers; axe stays at 0', async ({ page, emulator }) => {
  const job = await emulator.createJob('Slow API', 'matching');
  // The API's answer for this job is held for 3 s (the fault switch), once.
  await fault(emulator, { method: 'GET', path: `/api/jobs/${job.id}`, hold_response_ms: 3_000, times: 1 });
  await page.goto(`/jobs/${job.id}`);
  const skeleton = page.getByTestId('actions-skeleton');
  await expect(skeleton).toBeVisible();
  await expect(skeleton).toContainText('Loading job actions…');
  const group = page.getByRole('group', { name: 'Job actions' });
  await expect(group).toHaveAttribute('aria-busy', 'true');
  await expect(page.getByRole('button', { name: 'Cancel Job' })).toHaveCount(0);
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(results.violations.map((v) => v.id)).toEqual([]);
  // The answer arrives: the buttons take the skeleton's place, and the group is no longer busy.
  await expect(page.getByRole('button', { name: 'Cancel Job' })).toBeVisible({ timeout: 10_000 });
  await expect(skeleton).toHaveCount(0);
  await expect(group).not.toHaveAttribute('aria-busy', 'true');
});

test('a job page whose API fails shows no skeleton forever', async ({ page, emulator }) => {
  const job = await emulator.createJob('API fails', 'matching');
  await fault(emulator, { method: 'GET', path: `/api/jobs/${job.id}`, status: 503, times: 1 });
  await page.goto(`/jobs/${job.id}`);
  await expect(page.getByTestId('actions-skeleton')).toHaveCount(0, { timeout: 10_000 });
});

test('the list menu buttons are busy until the list answered', async ({ page, emulator }) => {
  const job = await emulator.createJob('Busy row', 'evidence');
  await fault(emulator, { method: 'GET', path: '/api/jobs', hold_response_ms: 3_000, times: 1 });
  await page.goto('/jobs');
  const button = page.locator(`tr[data-job-id="${job.id}"]`).getByTestId('row-menu-button');
  await expect(button).toHaveAttribute('aria-busy', 'true');
  await expect(button).not.toHaveAttribute('aria-busy', 'true', { timeout: 10_000 });
});

test('a menu button the page took out while the list loaded is back, not busy, when the list answers', async ({ page, emulator }) => {
  // When the list's answer arrives, a row whose button's busy state is all that changed has it
  // written by the check itself; a button the page took out of the shadow root since must not be
  // the one written (the row would keep no button): that row is drawn again.
  const jobs = [await emulator.createJob('Kept row', 'evidence'), await emulator.createJob('Emptied row', 'matching')];
  await fault(emulator, { method: 'GET', path: '/api/jobs', hold_response_ms: 3_000, times: 1 });
  await page.goto('/jobs');
  const buttons = jobs.map((job) => page.locator(`tr[data-job-id="${job.id}"]`).getByTestId('row-menu-button'));
  for (const button of buttons) await expect(button).toHaveAttribute('aria-busy', 'true');
  await page.evaluate((id) => {
    const host = document.querySelector(`tr[data-job-id="${id}"] [data-job-actions="row-menu"]`)!;
    host.shadowRoot!.querySelector('[data-testid="row-menu-button"]')!.remove();
  }, jobs[1].id);
  await expect(buttons[1]).toHaveCount(0);
  await expect(page.locator(`tr[data-job-id="${jobs[0].id}"] [data-job-actions="phase-badge"]`)).toHaveAttribute('data-source', 'api', { timeout: 10_000 });
  for (const button of buttons) {
    await expect(button).toHaveCount(1);
    await expect(button).not.toHaveAttribute('aria-busy', 'true');
  }
  await expect(buttons[1]).toHaveAccessibleName('Actions for Emptied row');
});

test('one polite live region announces a cancel and a delete made in another tab', async ({ extensionContext, page, emulator }) => {
  const cancelled = await emulator.createJob('Cancelled elsewhere', 'matching');
  const deleted = await emulator.createJob('Deleted elsewhere', 'completed');
  await page.goto('/jobs');
  await expect(page.locator(`tr[data-job-id="${cancelled.id}"]`).getByTestId('row-menu-button')).toBeVisible();
  // Another tab (the popup) cancels one job: the list hears it through the background.
  const popup = await openPopup(extensionContext, emulator.origin);
  const row = popup.locator(`[data-testid="job-row"][data-job-id="${cancelled.id}"]`);
  await row.getByRole('button', { name: `Cancel Job: ${cancelled.title}` }).click();
  await popup.getByRole('alertdialog').getByTestId('dialog-confirm').click();
  const region = page.getByTestId('announcer');
  await expect(region).toHaveAttribute('aria-live', 'polite');
  await expect(region).toHaveAttribute('role', 'status');
  await expect(region).toHaveText('Job “Cancelled elsewhere” is now Cancelled.', { timeout: 10_000 });
  // Deleted in the popup: the list tab hears it and says so.
  const deletedRow = popup.locator(`[data-testid="job-row"][data-job-id="${deleted.id}"]`);
  await deletedRow.getByRole('button', { name: `Delete Job: ${deleted.title}` }).click();
  await popup.getByRole('alertdialog').getByTestId('dialog-confirm').click();
  await expect(region).toHaveText('Job “Deleted elsewhere” was deleted.', { timeout: 15_000 });
  await expect(page.locator('[data-job-actions="announcer"]')).toHaveCount(1);
  await popup.close();
});

test('the job page announces a cancel made outside the browser, and nothing for its own first load', async ({ page, emulator }) => {
  const job = await emulator.createJob('Cancelled by the API', 'evidence');
  await page.goto(`/jobs/${job.id}`);
  await expect(page.getByRole('button', { name: 'Cancel Job' })).toBeVisible();
  await expect(page.getByTestId('announcer')).toHaveCount(0);
  // Straight to the API (not the worker's tick, which would move every seeded job other specs
  // count on): the page learns it by polling.
  await emulator.api('POST', `/api/jobs/${job.id}/cancel`, {});
  await expect(page.getByTestId('announcer')).toHaveText('Job “Cancelled by the API” is now Cancelled.', { timeout: 15_000 });
});
