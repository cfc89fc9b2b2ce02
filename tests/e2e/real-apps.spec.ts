// Issue #19: the user's app is not the emulator. The third host (`/ops/`) is built on other
// conventions — an <h1> in a <header> drawn after its own data, rows keyed by `data-id`, the list
// answer as `{"data": [...]}`, a cookie session that demands a CSRF token on writes, client-side
// routes and a strict CSP — and is used here only through the built-in conventions profile: no
// profile is written for it.
import { test, expect } from '@playwright/test';
import type { BrowserContext, Locator, Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Emulator, ROOT, type Job, chromeExtensionId, consoleLines, fault, lastSeq, launchChromiumWithExtension, managedProfile, optionsUrl, popupUrl, screenshotPath, writesTo } from './fixtures';

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

test('bulk delete on the third host: its own table rows get the checkboxes, Select all goes before its table, and every DELETE carries its CSRF token', async () => {
  const page = await context.newPage();
  const chosen = [await createJob('Ops bulk one', 'completed'), await createJob('Ops bulk two', 'failed'), await createJob('Ops bulk three', 'cancelled')];
  const kept = await createJob('Ops bulk kept', 'completed');
  await page.goto(`${emulator.origin}/ops/jobs`);
  const row = (job: Job) => page.locator(`tr[data-id="${job.id}"]`);
  // "Select all on this page" sits just before the app's own table, not inside it.
  await expect(page.locator('[data-job-actions="select-all"] + table')).toHaveCount(1);
  for (const job of chosen) {
    await row(job).getByRole('checkbox', { name: `Select ${job.title}` }).click();
  }
  await expect(row(kept).getByRole('checkbox', { name: `Select ${kept.title}` })).toHaveAttribute('aria-checked', 'false');
  await expect(page.getByTestId('bulk-count')).toHaveText('3 selected');
  const since = await lastSeq(emulator);
  await page.getByTestId('bulk-delete').click();
  const confirm = page.getByTestId('bulk-dialog').getByTestId('dialog-confirm');
  await expect(confirm).toBeEnabled();
  await confirm.click();
  await expect(page.getByTestId('bulk-summary')).toHaveText('3 deleted');
  for (const job of chosen) await expect(row(job)).toBeHidden();
  await expect(row(kept)).toBeVisible();
  // The app demands its token on writes: each DELETE was accepted, none refused for want of it.
  const sent = (await Promise.all(chosen.map((job) => writesTo(emulator, since, job.id)))).flat();
  expect(sent.map((request) => [request.method, request.status])).toEqual(chosen.map(() => ['DELETE', 200]));
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
  await page.screenshot({ path: screenshotPath('action-bar.png') });
  await expect
    .poll(() => lines.filter((line) => line.includes('no element matches the detail anchor')))
    .toEqual([
      `[job-actions] job page of ${job.id}: no element matches the detail anchor (tried \`[data-job-title]\`, ` +
        '`.job-title`, `header h1`, `main h1`, `h1` or `header h2`); the actions are in the action bar at the bottom of the ' +
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
  await sites.getByRole('button', { name: 'Test Job app conventions on this tab' }).click();
  await expect(sites.getByTestId('probe-result')).toHaveText(
    `Job page of ${job.id}: no element matches the detail anchor (tried \`[data-job-title]\`, \`.job-title\`, ` +
      '`header h1`, `main h1`, `h1` or `header h2`); the actions show in the action bar at the bottom of the page.',
  );
  // And on its list: the rule that found the rows.
  await page.goto(`${emulator.origin}/ops/jobs`);
  await expect(page.locator('tr[data-id] [data-testid="phase-badge"]').first()).toBeVisible();
  await sites.getByRole('button', { name: 'Test Job app conventions on this tab' }).click();
  await expect(sites.getByTestId('probe-result')).toHaveText(
    new RegExp('^\\d+ rows found by `tr\\[data-id\\], li\\[data-id\\], article\\[data-id\\], \\[role=row\\]\\[data-id\\]`; the first is job \\S+\\.$'),
  );
  await sites.close();
  await page.close();
});

/** The popup over the web tab used last (as a tab: headless Chromium cannot open the real one). */
async function popupOver(browser: BrowserContext, page: Page): Promise<Page> {
  await page.bringToFront();
  const popup = await browser.newPage();
  await popup.setViewportSize({ width: 400, height: 600 });
  await popup.goto(popupUrl());
  return popup;
}

test.describe('"Enable on this site" on an origin no profile covers', () => {
  // Other ports of `localhost`: no profile covers them, so the overlay leaves them alone until the
  // user enables the site. The user allowed `http://localhost/*` before (headless Chromium cannot
  // click the prompt); the product's own `permissions.request` call still runs and resolves.
  let ops: Emulator;
  let runs: Emulator;
  let browser: BrowserContext;
  let closeBrowser: () => Promise<void>;
  const local = (app: Emulator) => app.origin.replace('127.0.0.1', 'localhost');

  test.beforeAll(async () => {
    ops = await Emulator.start(['--csrf', '--list-shape', 'data']);
    runs = await Emulator.start();
    ({ context: browser, close: closeBrowser } = await launchChromiumWithExtension(undefined, { grantedOrigins: ['http://localhost/*'] }));
    // A popup opened from the toolbar sees its tab's URL (activeTab); one opened as a tab, as here,
    // sees it once the origin's grant is active. A click in an extension page re-requests it, which
    // Chromium grants without a prompt (the grant is on record).
    const page = await browser.newPage();
    await page.goto(popupUrl());
    await page.evaluate(() => {
      const button = document.createElement('button');
      button.id = 'grant';
      button.onclick = () => void chrome.permissions.request({ origins: ['http://localhost/*'] });
      document.body.append(button);
    });
    await page.locator('#grant').click();
    await expect.poll(() => page.evaluate(async () => (await chrome.permissions.getAll()).origins)).toContain('http://localhost/*');
    await page.close();
  });

  test.afterAll(async () => {
    await closeBrowser?.();
    await ops?.stop();
    await runs?.stop();
  });

  test('the third host: detected rows, job pages, list and API; the actions appear at once; a cancel with its CSRF token works', async () => {
    const page = await browser.newPage();
    await page.goto(`${local(ops)}/ops/jobs`);
    const count = (await ops.api<{ data: Job[] }>('GET', '/api/jobs?limit=1000')).data.length;
    await expect(page.locator('tr[data-id]')).toHaveCount(count);
    await expect(page.locator('[data-job-actions]')).toHaveCount(0);
    const popup = await popupOver(browser, page);
    await expect(popup.getByTestId('site-offer')).toContainText(`Job Actions is not set up on ${local(ops)}.`);
    await popup.getByTestId('site-offer').screenshot({ path: screenshotPath('enable-offer.png') });
    await popup.getByRole('button', { name: 'Enable on this site' }).click();
    await expect(popup.getByTestId('enable-result')).toHaveText(
      `${count} rows \`tr[data-id], li[data-id], article[data-id], [role=row][data-id]\`, ids from \`data-id\`; ` +
        `job pages \`/ops/jobs/:id\`; the job list \`/ops/jobs\`; API \`${local(ops)}/api\` answered with ${count} jobs. ` +
        `Saved as "${local(ops).replace('http://', '')}"; the actions are on the page now.`,
    );
    await expect(popup.getByTestId('enable-site')).toHaveCount(0);
    await popup.getByTestId('site-offer').screenshot({ path: screenshotPath('enable-on-this-site.png') });
    // No reload: the overlay started in the tab.
    await expect(page.locator('tr[data-id] [data-testid="phase-badge"]')).toHaveCount(count);
    const stored = await popup.evaluate(async () => JSON.parse((await chrome.storage.local.get('profiles')).profiles));
    expect(stored.map((profile: { name: string; origins: string[]; detail_page: string; list_page: string }) =>
      [profile.name, profile.origins, profile.list_page, profile.detail_page])).toEqual([
      [local(ops).replace('http://', ''), [local(ops)], '/ops/jobs', '/ops/jobs/:id'],
    ]);
    await popup.close();
    // The popup now follows the profile: over this tab it lists this app's jobs (its API answers
    // {"data": [...]}) and opens them at the app's own job pages.
    const following = await popupOver(browser, page);
    const name = local(ops).replace('http://', '');
    await expect(following.getByTestId('app-switch').locator('option:checked')).toHaveText(`${name} — ${local(ops)}`);
    await expect(following.getByTestId('job-row')).toHaveCount(count);
    const first = (await ops.api<{ data: Job[] }>('GET', '/api/jobs?limit=1000')).data[0];
    await expect(following.locator(`[data-testid="job-row"][data-job-id="${first.id}"] [data-testid="open-in-app"]`))
      .toHaveAttribute('href', `${local(ops)}/ops/jobs/${encodeURIComponent(first.id)}`);
    // One switch away: the user's own settings (the emulator's address by default).
    await following.getByTestId('app-switch').selectOption({ label: 'Your settings — http://127.0.0.1:8700' });
    await expect(following.getByTestId('popup-error')).toContainText('http://127.0.0.1:8700/api');
    await following.close();
    // Through it, a cancel on a job page (the page reloads: the registration covers it too).
    const job = (await ops.api<{ data: Job[] }>('GET', '/api/jobs?limit=1000')).data.find((candidate) => candidate.phase !== 'cancelled' && ['collection', 'feature_extraction', 'matching', 'evidence'].includes(candidate.phase))!;
    await page.goto(`${local(ops)}/ops/jobs/${job.id}`);
    const since = await lastSeq(ops);
    await page.getByRole('button', { name: 'Cancel Job' }).click();
    await dialog(page).getByRole('button', { name: 'Confirm Cancellation' }).click();
    await expect(page.locator('header.page-header [data-testid="phase-badge"]')).toHaveText('Cancelled');
    expect((await writesTo(ops, since, job.id)).map((request) => [request.method, request.status])).toEqual([['POST', 200]]);
    await page.close();
  });

  test('the card app: rows found by their links, job pages with a suffix; the header h2 is the anchor', async () => {
    const page = await browser.newPage();
    await page.goto(`${local(runs)}/spa/runs`);
    const count = (await runs.jobs()).length;
    await expect(page.locator('article.card')).toHaveCount(count);
    const popup = await popupOver(browser, page);
    await popup.getByRole('button', { name: 'Enable on this site' }).click();
    await expect(popup.getByTestId('enable-result')).toHaveText(
      `${count} rows \`tr, li, article, [role=row]\`, ids from their links; job pages \`/spa/runs/:id/overview\`; ` +
        `the job list \`/spa/runs\`; API \`${local(runs)}/api\` answered with ${count} jobs. ` +
        `Saved as "${local(runs).replace('http://', '')}"; the actions are on the page now.`,
    );
    await popup.close();
    await expect(page.locator('article.card [data-testid="phase-badge"]')).toHaveCount(count);
    const job = await runs.jobInPhase('matching');
    await page.locator(`article.card a[href="/spa/runs/${encodeURIComponent(job.id)}/overview"]`).click();
    const since = await lastSeq(runs);
    await page.locator('header.run-head').getByRole('button', { name: 'Cancel Job' }).click();
    await dialog(page).getByRole('button', { name: 'Confirm Cancellation' }).click();
    await expect(page.locator('header.run-head [data-testid="phase-badge"]')).toHaveText('Cancelled');
    expect((await writesTo(runs, since, job.id)).map((request) => [request.method, request.status])).toEqual([['POST', 200]]);
    await page.close();
  });

  test('where detection is unsure, it says what it could not find and opens the editor on the draft', async () => {
    const page = await browser.newPage();
    // Another port again: nothing on it is a job page or a list, and its API answers 503.
    const blank = await Emulator.start(['--no-seed']);
    try {
      await fault(blank, { path: '/api/jobs*', status: 503 });
      await page.goto(`${local(blank)}/jobs`);
      const popup = await popupOver(browser, page);
      const opened = browser.waitForEvent('page');
      await popup.getByRole('button', { name: 'Enable on this site' }).click();
      const sites = await opened;
      await expect(popup.getByTestId('enable-result')).toContainText(`No job list API answered (tried \`${local(blank)}/api/jobs\`); write its base in the editor.`);
      await expect(popup.getByTestId('enable-result')).toContainText('The profile editor is open on what was found.');
      await expect(sites.getByTestId('profile-editor')).toBeVisible();
      await expect(sites.getByTestId('profile-name')).toHaveValue(local(blank).replace('http://', ''));
      await expect(sites.getByTestId('profile-origins')).toHaveValue(local(blank));
      // Nothing was saved.
      const stored = await sites.evaluate(async () => JSON.parse((await chrome.storage.local.get('profiles')).profiles ?? '[]'));
      expect(stored.map((profile: { name: string }) => profile.name)).not.toContain(local(blank).replace('http://', ''));
      await sites.close();
      await popup.close();
    } finally {
      await blank.stop();
      await page.close();
    }
  });
});

test('a package built with --profile decorates its app in a headless run, with no prompt and nothing stored', async () => {
  // What a user's own suite does (README, "Fleets and CI"): bake the app's profile into the
  // package, load it, wait for the profile's name on <html>, drive the buttons by test id.
  const out = join(ROOT, 'tests', 'test-results', 'baked');
  execFileSync('cargo', ['xtask', 'dist', '--no-build', '--profile', join(ROOT, 'tests', 'e2e', 'data', 'baked-profile.json'), '--out', out], { cwd: ROOT, stdio: 'pipe' });
  const manifest = JSON.parse(readFileSync(join(out, 'chrome', 'manifest.json'), 'utf8'));
  expect(manifest.host_permissions).toContain('http://localhost/*');
  expect(manifest.content_scripts[0].matches).toContain('http://localhost/*');
  const app = await Emulator.start(['--csrf', '--list-shape', 'items']);
  const { context: baked, close: closeBaked } = await launchChromiumWithExtension(undefined, { extension: join(out, 'chrome') });
  try {
    const origin = app.origin.replace('127.0.0.1', 'localhost');
    const page = await baked.newPage();
    await page.goto(`${origin}/ops/jobs`);
    await expect(page.locator('html')).toHaveAttribute('data-job-actions-profile', 'Ops console (baked in)');
    const { items } = await app.api<{ items: Job[] }>('GET', '/api/jobs?limit=1000');
    await expect(page.locator('tr[data-id] [data-testid="phase-badge"]')).toHaveCount(items.length);
    const job = items.find((candidate) => candidate.phase === 'matching')!;
    await page.goto(`${origin}/ops/jobs/${job.id}`);
    const since = await lastSeq(app);
    await page.getByTestId('cancel-job').click();
    await page.getByTestId('dialog-confirm').click();
    await expect(page.getByTestId('cancel-job')).toHaveText('Cancelled');
    expect((await writesTo(app, since, job.id)).map((request) => [request.method, request.status])).toEqual([['POST', 200]]);
    // The site-profiles page shows it as the built-in profile.
    const sites = await baked.newPage();
    // The same `key`, so the same extension id.
    await sites.goto(optionsUrl());
    await expect(sites.getByTestId('profile').first()).toContainText('Ops console (baked in)');
    await sites.close();
  } finally {
    await closeBaked();
    await app.stop();
  }
});

test('a profile set by an organisation policy (Chrome 3rdparty, managed storage) applies, shown as theirs; the popup grants its origin in one click', async () => {
  const app = await Emulator.start(['--csrf']);
  const origin = app.origin.replace('127.0.0.1', 'localhost');
  // Debian Chromium reads machine policies from here, extension policies under `3rdparty`.
  const policy = '/etc/chromium/policies/managed/job-actions-e2e.json';
  mkdirSync(dirname(policy), { recursive: true });
  writeFileSync(policy, JSON.stringify({ '3rdparty': { extensions: { [chromeExtensionId()]: { profiles: [managedProfile(origin)] } } } }));
  const { context: managed, close: closeManaged } = await launchChromiumWithExtension(undefined, { grantedOrigins: ['http://localhost/*'] });
  try {
    const popup = await managed.newPage();
    await popup.goto(popupUrl());
    await expect(popup.getByTestId('managed-offer')).toContainText(`Your organisation set up Job Actions for Ops (organisation) (${origin}).`);
    await popup.getByRole('button', { name: 'Allow access' }).click();
    await expect(popup.getByTestId('managed-grant-result')).toHaveText(/^Access allowed: the actions run on http:\/\/localhost\/\* from the next page load\.$/);
    const page = await managed.newPage();
    await page.goto(`${origin}/ops/jobs`);
    await expect(page.locator('html')).toHaveAttribute('data-job-actions-profile', 'Ops (organisation)');
    const rows = (await app.api<{ jobs: Job[] }>('GET', '/api/jobs?limit=1000')).jobs.length;
    await expect(page.locator('tr[data-id] [data-testid="phase-badge"]')).toHaveCount(rows);
    const sites = await managed.newPage();
    await sites.goto(optionsUrl());
    const first = sites.getByTestId('profile').first();
    await expect(first).toHaveAttribute('data-profile-name', 'Ops (organisation)');
    await expect(first.getByTestId('profile-managed')).toHaveText('(set by your organisation)');
    await expect(first.getByTestId('profile-edit')).toHaveCount(0);
    await expect(first.getByTestId('profile-delete')).toHaveCount(0);
  } finally {
    await closeManaged();
    rmSync(policy, { force: true });
    await app.stop();
  }
});
