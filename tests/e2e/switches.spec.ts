// Issue #23 item 5, per-profile switches (PRD §12, a staged rollout): a site profile turns parts of
// the overlay off — phase badges, Cancel, Delete, Force Delete, the row menu — and a switch turned
// off removes exactly that control on the job page, in the row menu and in the popup; everything
// else stays. The profile is a copy of the built-in one (it covers the emulator's origin, which the
// manifest grants), switched in the site-profiles page's editor, then through the stored book in
// the JSON form an export carries (`"switched_off": [...]`).
import { expect, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { appTest, extensionBrowser, optionsUrl, popupUrl } from './fixtures';

// A browser of its own: the popup must show the tab's app (no settings saved by another spec).
const test = appTest.extend({
  extensionContext: [extensionBrowser, { scope: 'worker' }],
});
test.describe.configure({ mode: 'serial' });

const COPY = 'Job app conventions (copy)';
const SWITCHES = ['badges', 'cancel', 'delete', 'force_delete', 'row_menu', 'bulk'];

const row = (page: Page, jobId: string): Locator => page.locator(`tr[data-job-id="${jobId}"]`);
const menuItems = (page: Page): Locator => page.getByRole('menu').getByRole('menuitem');

async function openSites(context: BrowserContext): Promise<Page> {
  const sites = await context.newPage();
  await sites.goto(optionsUrl());
  await expect(sites.getByTestId('sites')).toBeVisible();
  return sites;
}

/** The copy's switched-off parts in the stored book, as an imported export would have them. */
async function switchOff(context: BrowserContext, names: string[]): Promise<void> {
  const sites = await openSites(context);
  await sites.evaluate(
    async ({ name, off }) => {
      const book = JSON.parse((await chrome.storage.local.get('profiles')).profiles ?? '[]');
      for (const profile of book) if (profile.name === name) profile.switched_off = off;
      await chrome.storage.local.set({ profiles: JSON.stringify(book) });
    },
    { name: COPY, off: names },
  );
  await sites.close();
}

/** The menu items of a row, opened and closed again. */
async function rowMenu(page: Page, jobId: string): Promise<string[]> {
  const button = row(page, jobId).getByTestId('row-menu-button');
  await button.click();
  await expect(menuItems(page).first()).toBeVisible();
  const labels = await menuItems(page).allTextContents();
  await button.click();
  await expect(page.getByRole('menu')).toHaveCount(0);
  return labels.map((label) => label.trim());
}

/** The popup, opened over `page` (its web tab): it shows that tab's app and its profile's switches. */
async function popupOver(context: BrowserContext, page: Page, origin: string): Promise<Page> {
  await page.bringToFront();
  const popup = await context.newPage();
  await popup.setViewportSize({ width: 400, height: 600 });
  await popup.goto(popupUrl());
  await expect(popup.getByTestId('app-switch').locator('option:checked')).toHaveText(`${COPY} — ${origin}`);
  return popup;
}

test('Cancel unticked in the profile editor: no Cancel (nor Cancel & Delete) on the job page, in the row menu or the popup; the rest stays', async ({ page, extensionContext: context, emulator }) => {
  test.setTimeout(90_000);
  const running = await emulator.createJob('Switch running', 'matching');
  const finished = await emulator.createJob('Switch finished', 'completed');

  const sites = await openSites(context);
  await sites.getByRole('button', { name: 'Duplicate Job app conventions' }).click();
  await expect(sites.getByRole('group', { name: 'What the overlay adds' })).toBeVisible();
  for (const name of SWITCHES) await expect(sites.getByTestId(`profile-switch-${name}`)).toBeChecked();
  await sites.getByTestId('profile-switch-cancel').uncheck();
  await sites.getByTestId('profile-save').click();
  await expect(sites.getByTestId('profile')).toHaveCount(2);
  const stored = await sites.evaluate(async () => JSON.parse((await chrome.storage.local.get('profiles')).profiles));
  expect(stored.map((profile: { name: string; switched_off?: string[] }) => [profile.name, profile.switched_off])).toEqual([[COPY, ['cancel']]]);
  // Opened again, the editor shows what was saved.
  await sites.getByRole('button', { name: `Edit ${COPY}` }).click();
  await expect(sites.getByTestId('profile-switch-cancel')).not.toBeChecked();
  for (const name of SWITCHES.filter((name) => name !== 'cancel')) await expect(sites.getByTestId(`profile-switch-${name}`)).toBeChecked();
  await sites.getByTestId('profile-editor-close').click();
  await sites.close();

  // The job page: a running job's Delete Job is a Cancel & Delete, so it goes too; a finished
  // job's Delete Job and every badge stay.
  await page.goto(`/jobs/${running.id}`);
  await expect(page.locator('html')).toHaveAttribute('data-job-actions-profile', COPY);
  await expect(page.locator('[data-job-actions="phase-badge"]')).toHaveAttribute('data-source', 'api');
  await expect(page.getByTestId('cancel-job')).toHaveCount(0);
  await expect(page.getByTestId('delete-job')).toHaveCount(0);
  await page.goto(`/jobs/${finished.id}`);
  await expect(page.getByTestId('delete-job')).toBeVisible();
  await expect(page.getByTestId('cancel-job')).toHaveCount(0);

  // The list: badges and menus in every row; no "Cancel Job" or "Cancel & Delete" in a menu.
  await page.goto('/jobs');
  await expect(row(page, running.id).locator('[data-job-actions="phase-badge"]')).toHaveAttribute('data-source', 'api');
  expect(await rowMenu(page, running.id)).toEqual(['View Details']);
  expect(await rowMenu(page, finished.id)).toEqual(['Delete Job', 'View Details']);

  // The popup over the list: the same for its rows.
  const popup = await popupOver(context, page, emulator.origin);
  const popupRow = (jobId: string) => popup.locator(`[data-testid="job-row"][data-job-id="${jobId}"]`);
  await expect(popupRow(running.id)).toBeVisible();
  await expect(popupRow(running.id).getByTestId('action-cancel')).toHaveCount(0);
  await expect(popupRow(running.id).getByTestId('action-cancel-and-delete')).toHaveCount(0);
  await expect(popupRow(finished.id).getByTestId('action-delete')).toBeVisible();
  await expect(popupRow(running.id).getByTestId('phase-badge')).toBeVisible();
  await popup.close();
});

test('badges switched off: no phase badge on the list or the job page; the actions and menus stay', async ({ page, extensionContext: context, emulator }) => {
  const running = await emulator.createJob('Badgeless running', 'matching');
  await switchOff(context, ['badges']);
  await page.goto('/jobs');
  await expect(page.locator('html')).toHaveAttribute('data-job-actions-profile', COPY);
  await expect(row(page, running.id).getByTestId('row-menu-button')).toBeVisible();
  expect(await rowMenu(page, running.id)).toEqual(['Cancel Job', 'Cancel & Delete', 'View Details']);
  await expect(page.locator('[data-job-actions="phase-badge"]')).toHaveCount(0);
  await page.goto(`/jobs/${running.id}`);
  await expect(page.getByTestId('cancel-job')).toBeVisible();
  await expect(page.getByTestId('delete-job')).toBeVisible();
  await expect(page.locator('[data-job-actions="phase-badge"]')).toHaveCount(0);
});

test('the row menu switched off: no menu button in any row; badges and the job page buttons stay', async ({ page, extensionContext: context, emulator }) => {
  const running = await emulator.createJob('Menuless running', 'matching');
  await switchOff(context, ['row_menu']);
  await page.goto('/jobs');
  await expect(page.locator('html')).toHaveAttribute('data-job-actions-profile', COPY);
  await expect(row(page, running.id).locator('[data-job-actions="phase-badge"]')).toHaveAttribute('data-source', 'api');
  await expect(page.getByTestId('row-menu-button')).toHaveCount(0);
  // Bulk selection is a switch of its own: the row's checkbox stays.
  await expect(row(page, running.id).getByTestId('row-select')).toBeVisible();
  await page.goto(`/jobs/${running.id}`);
  await expect(page.getByTestId('cancel-job')).toBeVisible();
  await expect(page.getByTestId('delete-job')).toBeVisible();
  await expect(page.locator('[data-job-actions="phase-badge"]')).toHaveCount(1);
});

test('bulk selection switched off: no checkbox in any row and no "Select all"; the row menu stays', async ({ page, extensionContext: context, emulator }) => {
  const running = await emulator.createJob('Unselectable running', 'matching');
  await switchOff(context, ['bulk']);
  await page.goto('/jobs');
  await expect(page.locator('html')).toHaveAttribute('data-job-actions-profile', COPY);
  await expect(row(page, running.id).getByTestId('row-menu-button')).toBeVisible();
  await expect(page.getByTestId('row-select')).toHaveCount(0);
  await expect(page.getByTestId('select-all')).toHaveCount(0);
});
