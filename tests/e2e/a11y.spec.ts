// WCAG 2.1 A/AA checks (axe-core, which scans inside open shadow roots) on the overlay's
// states: a job page with its buttons, the cancel, delete and force-delete dialogs, an open row
// menu, and a toast. (Issue #10 extends this to the popup and the failure states.)
import { appTest as test, expect } from './fixtures';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

async function violations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

test('job page, its dialogs and a toast have no WCAG 2.1 A/AA violations', async ({ page, emulator }) => {
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
  await page.getByRole('button', { name: 'Delete Permanently' }).click();
  await expect(page.getByRole('button', { name: 'Force Delete' })).toBeVisible();
  expect(await violations(page)).toEqual([]);
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Cancel Job' }).click();
  await page.getByRole('button', { name: 'Confirm Cancellation' }).click();
  await expect(page.getByTestId('toast')).toBeVisible();
  expect(await violations(page)).toEqual([]);
});

test('job list with an open row menu has no WCAG 2.1 A/AA violations', async ({ page, emulator }) => {
  const job = await emulator.createJob('Accessible row', 'evidence');
  await page.goto('/jobs');
  const button = page.locator(`tr[data-job-id="${job.id}"]`).getByTestId('row-menu-button');
  await button.click();
  await expect(page.getByRole('menu')).toBeVisible();
  expect(await violations(page)).toEqual([]);
});
