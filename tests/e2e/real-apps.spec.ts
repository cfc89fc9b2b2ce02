// Issue #19: the user's app is not the emulator. The third host (`/ops/`) is built on other
// conventions — an <h1> in a <header> drawn after its own data, rows keyed by `data-id`, the list
// answer as `{"data": [...]}`, a cookie session that demands a CSRF token on writes, client-side
// routes and a strict CSP — and is used here only through the built-in conventions profile: no
// profile is written for it.
import { test, expect } from '@playwright/test';
import type { BrowserContext, Locator, Page } from '@playwright/test';
import { Emulator, type Job, consoleLines, lastSeq, launchChromiumWithExtension, optionsUrl, popupUrl, writesTo } from './fixtures';

const dialog = (page: Page): Locator => page.getByRole('alertdialog');
const headerActions = (page: Page) => page.locator('header.page-header [data-job-actions="detail-actions"]');
const bar = (page: Page) => page.locator('[data-job-actions="action-bar"]');

let emulator: Emulator;
let context: BrowserContext;
let close: () => Promise<void>;

test.beforeAll(async () => {
  emulator = await Emulator.start(['--csrf', '--list-shape', 'data']);
  ({ context, close } = await launchChromiumWithExtension(emulator.origin));
});

test.afterAll(async () => {
  await close?.();
  await emulator?.stop();
});

/** Creates a job as the app's own script would: with the session's CSRF token. */
async function createJob(title: string, phase: string): Promise<Job> {
  const { token } = await emulator.api<{ token: string }>('GET', '/_emulator/csrf');
  const response = await fetch(`${emulator.origin}/api/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf-token': token },
    body: JSON.stringify({ title, phase }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as Job;
}

async function jobs(): Promise<Job[]> {
  return (await emulator.api<{ data: Job[] }>('GET', '/api/jobs?limit=1000')).data;
}

/** Records, in the page, whether the action bar and the anchored buttons were ever there at once. */
async function watchForBoth(page: Page): Promise<() => Promise<boolean>> {
  await page.evaluate(() => {
    const both = () =>
      document.querySelector('[data-job-actions="action-bar"]') !== null &&
      document.querySelector('[data-job-actions="detail-actions"]') !== null;
    (window as unknown as { sawBoth: boolean }).sawBoth = both();
    new MutationObserver(() => {
      if (both()) (window as unknown as { sawBoth: boolean }).sawBoth = true;
    }).observe(document, { childList: true, subtree: true });
  });
  return () => page.evaluate(() => (window as unknown as { sawBoth: boolean }).sawBoth);
}

test('the third host works through the conventions: list badges, Cancel and Delete with its CSRF token, back to its own list', async () => {
  const page = await context.newPage();
  const job = await createJob('Ops nightly rebuild', 'matching');
  await page.goto(`${emulator.origin}/ops/jobs`);
  // Rows keyed by data-id, the list answer as {"data": [...]}: every row gets its badge.
  const row = page.locator(`tr[data-id="${job.id}"]`);
  await expect(row.getByTestId('phase-badge')).toHaveText('Matching');
  await expect(page.locator('tr[data-id] [data-testid="phase-badge"]')).toHaveCount((await jobs()).length);
  // Its own client-side link to the job's page: the header's <h1> is the anchor.
  await row.getByRole('link', { name: 'Ops nightly rebuild' }).click();
  await expect(page).toHaveURL(`${emulator.origin}/ops/jobs/${job.id}`);
  await expect(headerActions(page).getByRole('button', { name: 'Cancel Job' })).toBeVisible();
  await expect(page.locator('header.page-header [data-testid="phase-badge"]')).toHaveText('Matching');
  await expect(bar(page)).toHaveCount(0);
  const since = await lastSeq(emulator);
  await page.getByRole('button', { name: 'Cancel Job' }).click();
  await dialog(page).getByRole('textbox').fill('Ops asked for it');
  await dialog(page).getByRole('button', { name: 'Confirm Cancellation' }).click();
  await expect(page.getByTestId('toast').filter({ hasText: 'Job cancelled successfully' })).toBeVisible();
  await expect(page.locator('header.page-header [data-testid="phase-badge"]')).toHaveText('Cancelled');
  // Delete, then back to the list under the page's own prefix.
  await page.getByRole('button', { name: 'Delete Job' }).click();
  await dialog(page).getByRole('button', { name: 'Delete Permanently' }).click();
  await expect(page).toHaveURL(`${emulator.origin}/ops/jobs`);
  await expect(page.getByTestId('toast')).toHaveText(/Job deleted successfully/);
  const sent = await writesTo(emulator, since, job.id);
  expect(sent.map((request) => [request.method, request.status])).toEqual([
    ['POST', 200],
    ['DELETE', 200],
  ]);
  expect((await emulator.api<{ total: number }>('GET', `/_emulator/jobs/${job.id}/data`)).total).toBe(0);
  await page.close();
});

test('a job page whose title matches no selector gets the action bar, says why on the console, and the flows work from it', async () => {
  const page = await context.newPage();
  const lines = consoleLines(page);
  const job = await createJob('Headless title', 'evidence');
  await page.goto(`${emulator.origin}/ops/jobs/${job.id}?title=div`);
  const actionBar = page.getByRole('region', { name: 'Job actions' });
  await expect(actionBar).toBeVisible();
  await expect(actionBar).toHaveAttribute('data-testid', 'job-action-bar');
  await expect(actionBar).toContainText('Job actions: Headless title');
  await expect(headerActions(page)).toHaveCount(0);
  await expect
    .poll(() => lines.filter((line) => line.includes('no element matches the detail anchor')))
    .toEqual([
      `[job-actions] job page of ${job.id}: no element matches the detail anchor (tried \`[data-job-title]\`, ` +
        '`.job-title`, `header h1`, `main h1` or `h1`); the actions are in the action bar at the bottom of the ' +
        'page (data-testid=job-action-bar).',
    ]);
  // Keyboard reachable: Tab from the page's start reaches the bar's first button.
  const cancel = actionBar.getByRole('button', { name: 'Cancel Job' });
  await page.locator('body').focus();
  for (let tab = 0; tab < 30 && !(await cancel.evaluate((button) => button.matches(':focus'))); tab++) {
    await page.keyboard.press('Tab');
  }
  await expect(cancel).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog(page)).toHaveAccessibleName('Cancel Job?');
  const since = await lastSeq(emulator);
  await dialog(page).getByRole('button', { name: 'Confirm Cancellation' }).click();
  await expect(actionBar.getByRole('button', { name: 'Cancelled' })).toBeDisabled();
  expect((await writesTo(emulator, since, job.id)).map((request) => [request.method, request.status])).toEqual([['POST', 200]]);
  await page.close();
});

test('the bar gives way to the anchored buttons when the title comes late, and comes back when it goes — never both', async () => {
  const page = await context.newPage();
  const job = await createJob('Late title', 'collection');
  await page.goto(`${emulator.origin}/ops/jobs`);
  const both = await watchForBoth(page);
  // A client-side route to a page that draws its header 3 s after its data.
  await page.evaluate((path) => {
    history.pushState({}, '', path);
    dispatchEvent(new PopStateEvent('popstate'));
  }, `/ops/jobs/${job.id}?title_after_ms=3000`);
  await expect(bar(page).getByTestId('cancel-job')).toBeVisible();
  await expect(headerActions(page).getByTestId('cancel-job')).toBeVisible({ timeout: 10_000 });
  await expect(bar(page)).toHaveCount(0);
  // The app drops its header (a re-render): the bar is back.
  await page.evaluate(() => document.querySelector('header.page-header')?.remove());
  await expect(bar(page).getByTestId('cancel-job')).toBeVisible();
  expect(await both()).toBe(false);
  await page.close();
});

test('"Test on this tab" shows the same diagnosis for a job page without a matching anchor', async () => {
  const job = await createJob('Probe me', 'matching');
  const page = await context.newPage();
  await page.goto(`${emulator.origin}/ops/jobs/${job.id}?title=div`);
  await expect(bar(page)).toHaveCount(1);
  const popup = await context.newPage();
  await popup.goto(popupUrl());
  const opened = context.waitForEvent('page');
  await popup.getByRole('button', { name: 'Sites (opens in a tab)' }).click();
  const sites = await opened;
  await expect(sites).toHaveURL(optionsUrl());
  await popup.close();
  // The web tab used last is the job page.
  await page.bringToFront();
  await sites.getByRole('button', { name: 'Test Job apps (built in) on this tab' }).click();
  await expect(sites.getByTestId('probe-result')).toHaveText(
    `Job page of ${job.id}: no element matches the detail anchor (tried \`[data-job-title]\`, \`.job-title\`, ` +
      '`header h1`, `main h1` or `h1`); the actions show in the action bar at the bottom of the page.',
  );
  // And on its list: the rule that found the rows.
  await page.goto(`${emulator.origin}/ops/jobs`);
  await expect(page.locator('tr[data-id] [data-testid="phase-badge"]').first()).toBeVisible();
  await sites.getByRole('button', { name: 'Test Job apps (built in) on this tab' }).click();
  await expect(sites.getByTestId('probe-result')).toHaveText(
    new RegExp('^\\d+ rows found by `tr\\[data-id\\], li\\[data-id\\], article\\[data-id\\], \\[role=row\\]\\[data-id\\]`; the first is job \\S+\\.$'),
  );
  await sites.close();
  await page.close();
});
