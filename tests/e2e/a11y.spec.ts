// WCAG 2.1 A/AA checks (axe-core, which scans inside open shadow roots) on the overlay's
// states: a job page with its buttons, the cancel, delete and force-delete dialogs, an open row
// menu, a toast, and the popup (list, dialog, toast, Activity, settings with an error). (Issue #10 extends
// this to the failure states.)
import { appTest as test, expect, openPopup, recordMatrix } from './fixtures';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

async function violations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  recordMatrix({ axe_violations: results.violations.length });
  return results.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

test('job page, its dialogs and a toast have no WCAG 2.1 A/AA violations', { tag: '@matrix' }, async ({ page, emulator }) => {
  const job = await emulator.createJob('Accessible job', 'matching');
  await page.goto(`/jobs/${job.id}`);
  await expect(page.getByRole('button', { name: 'Cancel Job' })).toBeVisible();
  expect(await violations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Cancel Job' }).click();
  await expect(page.getByRole('alertdialog')).toBeVisible();
  expect(await violations(page)).toEqual([]);
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Delete Job' }).click();
  expect(await violations(page)).toEqual([]);
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Cancel Job' }).click();
  await page.getByRole('button', { name: 'Confirm Cancellation' }).click();
  await expect(page.getByTestId('toast')).toBeVisible();
  expect(await violations(page)).toEqual([]);
});

test('a job whose workers do not stop: Force Delete offered, its dialog, and Cancel & Delete under way have no WCAG 2.1 A/AA violations', { tag: '@matrix' }, async ({ page, emulator }) => {
  await emulator.api('POST', '/_emulator/worker', { cancel_delay_ms: 600_000 });
  try {
    const stuck = await emulator.api<{ id: string }>('POST', '/api/jobs', { title: 'Accessible stuck job', phase: 'evidence', cancel_requested_s_ago: 40 });
    await page.goto(`/jobs/${stuck.id}`);
    await expect(page.getByRole('button', { name: 'Force Delete' })).toBeVisible();
    expect(await violations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Force Delete' }).click();
    await expect(page.getByRole('alertdialog')).toHaveAccessibleName('Force delete?');
    expect(await violations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    // Workers that stop 3 s after the cancel: the Cancel & Delete finishes within the test, so no
    // waiting delete is left for later tests' pages to carry out.
    await emulator.api('POST', '/_emulator/worker', { cancel_delay_ms: 3_000 });
    const running = await emulator.createJob('Accessible Cancel & Delete', 'matching');
    await page.goto(`/jobs/${running.id}`);
    await page.getByRole('button', { name: 'Delete Job' }).click();
    await page.getByRole('alertdialog').getByTestId('dialog-confirm').click();
    await expect(page.getByTestId('delete-job')).toHaveText('Cancelling…');
    expect(await violations(page)).toEqual([]);
    await expect(page).toHaveURL('/jobs', { timeout: 15_000 });
  } finally {
    await emulator.api('POST', '/_emulator/worker', { cancel_delay_ms: 0 });
  }
});

test('job list with an open row menu has no WCAG 2.1 A/AA violations', { tag: '@matrix' }, async ({ page, emulator }) => {
  const job = await emulator.createJob('Accessible row', 'evidence');
  await page.goto('/jobs');
  const button = page.locator(`tr[data-job-id="${job.id}"]`).getByTestId('row-menu-button');
  await button.click();
  await expect(page.getByRole('menu')).toBeVisible();
  expect(await violations(page)).toEqual([]);
  // The bulk bar, then its confirmation (issue #24), on a selection of one running and one
  // finished job; the summary after the dialog is dismissed leaves nothing sent.
  await page.keyboard.press('Escape');
  const finished = await emulator.createJob('Accessible finished row', 'failed');
  await page.reload();
  await page.locator(`tr[data-job-id="${job.id}"]`).getByTestId('row-select').click();
  await page.locator(`tr[data-job-id="${finished.id}"]`).getByTestId('row-select').click();
  await expect(page.getByTestId('bulk-count')).toHaveText('2 selected');
  expect(await violations(page)).toEqual([]);
  await page.getByTestId('bulk-delete').click();
  await expect(page.getByTestId('bulk-dialog')).toBeVisible();
  await expect(page.getByTestId('bulk-force')).toBeVisible();
  expect(await violations(page)).toEqual([]);
  await page.getByTestId('bulk-dialog').getByTestId('dialog-cancel').click();
  await page.getByTestId('bulk-clear').click();
  await expect(page.getByTestId('bulk-bar')).toHaveCount(0);
});

test('the popup: list, open dialog, toast, settings with an error — no WCAG 2.1 A/AA violations', { tag: '@matrix' }, async ({ extensionContext, emulator }) => {
  const job = await emulator.createJob('Accessible popup job', 'matching');
  const popup = await openPopup(extensionContext, emulator.origin);
  const row = popup.locator(`[data-testid="job-row"][data-job-id="${job.id}"]`);
  await expect(row).toBeVisible();
  expect(await violations(popup)).toEqual([]);
  await row.getByRole('button', { name: `Cancel Job: ${job.title}` }).click();
  await expect(popup.getByRole('alertdialog')).toBeVisible();
  expect(await violations(popup)).toEqual([]);
  await popup.getByRole('button', { name: 'Confirm Cancellation' }).click();
  await expect(popup.getByTestId('toast')).toBeVisible();
  expect(await violations(popup)).toEqual([]);
  // Activity, with the cancel just made and Clear's confirmation open (issue #23).
  await popup.getByTestId('view-activity').click();
  await expect(popup.locator(`[data-testid=activity-entry][data-entry-id$="-cancel-${job.id}"]`)).toBeVisible();
  await popup.getByTestId('activity-clear').click();
  await expect(popup.getByTestId('activity-clear-confirm')).toBeVisible();
  expect(await violations(popup)).toEqual([]);
  await popup.getByTestId('activity-clear-no').click();
  // The bulk bar and its confirmation (issue #24).
  await popup.getByTestId('view-jobs').click();
  await popup.getByTestId('select-job').first().click();
  await popup.getByTestId('bulk-delete').click();
  await expect(popup.getByTestId('bulk-dialog')).toBeVisible();
  expect(await violations(popup)).toEqual([]);
  await popup.getByTestId('bulk-dialog-cancel').click();
  await popup.getByTestId('bulk-clear').click();
  await popup.getByTestId('view-settings').click();
  await popup.getByLabel('App URL').fill('not a url');
  await popup.getByTestId('save-settings').click();
  await expect(popup.getByTestId('app-url-error')).toBeVisible();
  expect(await violations(popup)).toEqual([]);
  await popup.close();
});

test('the site-profiles page: the list, the editor with problems, export and a delete confirmation — no WCAG 2.1 A/AA violations', { tag: '@matrix' }, async ({ extensionContext, emulator }) => {
  const popup = await openPopup(extensionContext, emulator.origin);
  const opened = extensionContext.waitForEvent('page');
  await popup.getByTestId('view-sites').click();
  const sites = await opened;
  await popup.close();
  await expect(sites.getByTestId('profile')).toHaveCount(1);
  expect(await violations(sites)).toEqual([]);
  await sites.getByRole('button', { name: 'Duplicate Job app conventions' }).click();
  await sites.getByTestId('profile-row').fill('tr[');
  await sites.getByTestId('profile-save').click();
  await expect(sites.getByTestId('profile-problems')).toBeVisible();
  expect(await violations(sites)).toEqual([]);
  await sites.getByTestId('profile-row').fill('[data-job-id]');
  await sites.getByTestId('profile-save').click();
  await expect(sites.getByTestId('profile')).toHaveCount(2);
  await sites.getByRole('button', { name: 'Export Job app conventions (copy)' }).click();
  expect(await violations(sites)).toEqual([]);
  await sites.getByRole('button', { name: 'Delete Job app conventions (copy)' }).click();
  await expect(sites.getByRole('alertdialog')).toBeVisible();
  expect(await violations(sites)).toEqual([]);
  await sites.getByTestId('profile-delete-confirmed').click();
  await expect(sites.getByTestId('profile')).toHaveCount(1);
  await expect(sites.getByTestId('sites-result')).toHaveText('Deleted "Job app conventions (copy)".');
  await sites.close();
});
