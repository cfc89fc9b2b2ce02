// Live sync (issue #9): every job tab of one API shares the background's one source of job state.
// One request stream however many tabs are open, actions seen in the other tabs within a second,
// no state reversal from a late poll, silence while every tab is hidden, and recovery when
// Chrome stops the service worker.
import { test, expect, requestsSince, lastSeq, watchContentWorld, recordBadgeTexts, fault, openPopup, type Emulator } from './fixtures';
import type { BrowserContext, Page } from '@playwright/test';

const badge = (page: Page, jobId?: string) =>
  (jobId ? page.locator(`tr[data-job-id="${jobId}"]`) : page.locator('.job-header')).getByTestId('phase-badge');

/** Opens `path` in a new tab and waits until the overlay shows what the API says. */
async function openTab(context: BrowserContext, emulator: Emulator, path: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${emulator.origin}${path}`);
  await expect(page.locator('[data-job-actions="phase-badge"][data-source="api"]').first()).toBeVisible();
  return page;
}

const tabs: Page[] = [];
test.afterEach(async () => {
  for (const tab of tabs.splice(0)) await tab.close();
});

async function open(context: BrowserContext, emulator: Emulator, path: string): Promise<Page> {
  const page = await openTab(context, emulator, path);
  tabs.push(page);
  return page;
}

test('five tabs on one API make one request stream, not five', async ({ extensionContext, emulator }) => {
  const [a, b] = [await emulator.createJob('Stream A', 'matching'), await emulator.createJob('Stream B', 'evidence')];
  for (const path of ['/jobs', '/jobs', '/jobs', `/jobs/${a.id}`, `/jobs/${b.id}`]) await open(extensionContext, emulator, path);
  const since = await lastSeq(emulator);
  await tabs[0].waitForTimeout(12_000);
  const reads = (await requestsSince(emulator, since)).filter((r) => r.method === 'GET' && r.path.startsWith('/api/'));
  // One stream on the shared cadence (2 s, then doubling while nothing changes): 2–3 list reads
  // in 12 s. Five streams would make at least 10. The two job pages' jobs are in the list
  // answer, so they cost no request of their own.
  expect(reads.every((r) => r.path === '/api/jobs'), JSON.stringify(reads.map((r) => r.path))).toBe(true);
  expect(reads.length).toBeGreaterThanOrEqual(1);
  expect(reads.length).toBeLessThanOrEqual(4);
});

test('five job pages of five different jobs, no list tab: one list read answers for all of them', async ({ extensionContext, emulator }) => {
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) ids.push((await emulator.createJob(`Distinct ${i}`, 'matching')).id);
  for (const id of ids) await open(extensionContext, emulator, `/jobs/${id}`);
  const since = await lastSeq(emulator);
  await tabs[0].waitForTimeout(12_000);
  const reads = (await requestsSince(emulator, since)).filter((r) => r.method === 'GET' && r.path.startsWith('/api/'));
  // Before issue #22 each job page cost its own GET /api/jobs/:id per interval (five streams'
  // worth of requests); now the list answer carries all five jobs.
  expect(reads.filter((r) => r.path !== '/api/jobs'), JSON.stringify(reads.map((r) => r.path))).toEqual([]);
  expect(reads.length).toBeGreaterThanOrEqual(1);
  expect(reads.length).toBeLessThanOrEqual(4);
  // And the pages still follow their jobs through it: a cancel made outside the browser shows.
  await emulator.api('POST', `/api/jobs/${ids[3]}/cancel`, {});
  await expect(tabs[3].locator('.job-header').getByTestId('phase-badge')).toHaveText('Cancelled', { timeout: 40_000 });
});

test('a paginated list that lacks one watched job adds exactly that job\'s request', async ({ extensionContext, emulator }) => {
  const old = await emulator.createJob('Older than the first page', 'matching');
  const newer: string[] = [];
  for (let i = 0; i < 3; i++) newer.push((await emulator.createJob(`First page ${i}`, 'matching')).id);
  // Like many real APIs: at most three jobs per answer, whatever `limit` asks for.
  await emulator.api('POST', '/_emulator/list-shape', { shape: 'jobs', page_max: 3 });
  try {
    for (const id of [old.id, newer[0], newer[1]]) await open(extensionContext, emulator, `/jobs/${id}`);
    const since = await lastSeq(emulator);
    await tabs[0].waitForTimeout(12_000);
    const all = (await requestsSince(emulator, since)).filter((r) => r.method === 'GET' && r.path.startsWith('/api/'));
    // Counted from the first list read in the window: the missing job's read follows its list
    // read, so a window that opens between the two would see one more of the second than the first.
    const reads = all.slice(Math.max(0, all.findIndex((r) => r.path === '/api/jobs')));
    const paths = JSON.stringify(reads.map((r) => r.path));
    const lists = reads.filter((r) => r.path === '/api/jobs').length;
    const olds = reads.filter((r) => r.path === `/api/jobs/${old.id}`).length;
    expect(lists, paths).toBeGreaterThanOrEqual(1);
    expect(olds, paths).toBeGreaterThanOrEqual(1);
    expect(olds, 'never more than one read of the missing job per list read').toBeLessThanOrEqual(lists);
    expect(lists + olds, `nothing else is read: ${paths}`).toBe(reads.length);
  } finally {
    await emulator.api('POST', '/_emulator/list-shape', { shape: 'jobs' });
  }
});

test('a cancel in one tab shows "Cancelled" in the others within a second', async ({ extensionContext, emulator }) => {
  const job = await emulator.createJob('Seen everywhere', 'matching');
  const list = await open(extensionContext, emulator, '/jobs');
  const other = await open(extensionContext, emulator, `/jobs/${job.id}`);
  const acting = await open(extensionContext, emulator, `/jobs/${job.id}`);
  await acting.getByRole('button', { name: 'Cancel Job' }).click();
  await acting.getByRole('alertdialog').getByTestId('cancel-reason').fill('seen in every tab');
  await acting.getByRole('alertdialog').getByTestId('dialog-confirm').click();
  await expect(badge(acting)).toHaveText('Cancelled');
  // From the acting tab showing it: one second for the others, with no poll in between needed.
  await expect(badge(list, job.id)).toHaveText('Cancelled', { timeout: 1_000 });
  await expect(badge(other)).toHaveText('Cancelled', { timeout: 1_000 });
  await expect(other.getByTestId('cancelled-banner')).toBeVisible({ timeout: 1_000 });
  await expect(other.locator('[data-field="Notes"]')).toHaveText('seen in every tab');
});

test('a delete in one tab hides the row in the list tabs and tells the job page', async ({ extensionContext, emulator }) => {
  const job = await emulator.createJob('Deleted elsewhere', 'completed');
  const list = await open(extensionContext, emulator, '/jobs');
  const page = await open(extensionContext, emulator, `/jobs/${job.id}`);
  const acting = await open(extensionContext, emulator, '/jobs');
  await acting.locator(`tr[data-job-id="${job.id}"]`).getByTestId('row-menu-button').click();
  await acting.getByRole('menuitem', { name: 'Delete Job' }).click();
  await acting.getByRole('alertdialog').getByTestId('dialog-confirm').click();
  await expect(acting.locator(`tr[data-job-id="${job.id}"]`)).toBeHidden();
  await expect(list.locator(`tr[data-job-id="${job.id}"]`)).toBeHidden({ timeout: 1_000 });
  await expect(page.getByTestId('toast').filter({ hasText: 'Job not found or already deleted' })).toBeVisible({ timeout: 1_000 });
  await expect(page.getByRole('group', { name: 'Job actions' })).toHaveCount(0);
});

test('the popup and the tabs share one stream: a cancel in a tab shows in the popup, a delete in the popup hides the row', async ({ extensionContext, emulator }) => {
  const running = await emulator.createJob('Popup sees the cancel', 'matching');
  const finished = await emulator.createJob('Popup deletes the row', 'completed');
  const list = await open(extensionContext, emulator, '/jobs');
  const page = await open(extensionContext, emulator, `/jobs/${running.id}`);
  const popup = await openPopup(extensionContext, emulator.origin);
  tabs.push(popup);
  const popupBadge = (jobId: string) => popup.locator(`[data-job-id="${jobId}"]`).getByTestId('phase-badge');
  await expect(popupBadge(running.id)).toHaveText('Matching');
  await page.getByRole('button', { name: 'Cancel Job' }).click();
  await page.getByRole('alertdialog').getByTestId('dialog-confirm').click();
  await expect(badge(page)).toHaveText('Cancelled');
  await expect(popupBadge(running.id)).toHaveText('Cancelled', { timeout: 1_000 });
  await expect(popup.locator(`[data-job-id="${running.id}"]`).getByTestId('cancellation')).toBeVisible({ timeout: 1_000 });
  await popup.getByRole('button', { name: `Delete Job: ${finished.title}` }).click();
  await popup.getByRole('alertdialog').getByTestId('dialog-confirm').click();
  await expect(popup.locator(`[data-job-id="${finished.id}"]`)).toHaveCount(0);
  await expect(list.locator(`tr[data-job-id="${finished.id}"]`)).toBeHidden({ timeout: 1_000 });
  await expect(badge(list, running.id)).toHaveText('Cancelled');
  // The popup made no list request of its own: every list read since it opened is the one stream.
  const reads = (await requestsSince(emulator, 0)).filter((r) => r.method === 'GET' && r.path === '/api/jobs' && r.query?.includes('limit=20'));
  expect(reads).toEqual([]);
});

test('a poll that left before a cancel in another tab does not flip the job back', async ({ extensionContext, emulator }) => {
  const job = await emulator.createJob('Late poll', 'matching');
  const list = await open(extensionContext, emulator, '/jobs');
  const acting = await open(extensionContext, emulator, `/jobs/${job.id}`);
  // The background's next list read is answered at once but delivered 3 s later; the worker moves
  // jobs on first, so that answer carries news (the job in `evidence`), not a 304.
  await fault(emulator, { method: 'GET', path: '/api/jobs', hold_response_ms: 3_000, times: 1 });
  await emulator.api('POST', '/_emulator/worker/tick');
  const since = await lastSeq(emulator);
  await expect.poll(async () => (await requestsSince(emulator, since)).filter((r) => r.path === '/api/jobs').length, { timeout: 20_000 }).toBeGreaterThan(0);
  const seen = await recordBadgeTexts(list, `tr[data-job-id="${job.id}"] [data-job-actions="phase-badge"]`);
  await acting.getByRole('button', { name: 'Cancel Job' }).click();
  await acting.getByRole('alertdialog').getByTestId('dialog-confirm').click();
  await expect(badge(list, job.id)).toHaveText('Cancelled', { timeout: 1_000 });
  // The held answer has landed by now (logged when it is sent).
  await expect.poll(async () => (await requestsSince(emulator, since)).some((r) => r.fault === 'hold response 3000 ms'), { timeout: 10_000 }).toBe(true);
  await list.waitForTimeout(1_000);
  await expect(badge(list, job.id)).toHaveText('Cancelled');
  await expect(badge(acting)).toHaveText('Cancelled');
  // Not even for a moment.
  expect(await seen()).toEqual(['Cancelled']);
});

test('with every job tab hidden the extension makes no requests; showing one resumes', async ({ extensionContext, emulator }) => {
  test.setTimeout(60_000);
  const job = await emulator.createJob('Hidden tabs', 'matching');
  const pages: Page[] = [];
  const worlds = [];
  for (const path of ['/jobs', `/jobs/${job.id}`]) {
    const page = await extensionContext.newPage();
    tabs.push(page);
    worlds.push(await watchContentWorld(extensionContext, page));
    await page.goto(`${emulator.origin}${path}`);
    await expect(page.locator('[data-job-actions="phase-badge"][data-source="api"]').first()).toBeVisible();
    pages.push(page);
  }
  for (const world of worlds) await world.setHidden(true);
  await pages[0].waitForTimeout(500); // a read already in flight may land
  const since = await lastSeq(emulator);
  await pages[0].waitForTimeout(20_000);
  expect((await requestsSince(emulator, since)).filter((r) => r.path.startsWith('/api/'))).toEqual([]);
  // A change made meanwhile is shown as soon as a tab is visible again.
  await emulator.api('POST', '/_emulator/worker/tick');
  await worlds[1].setHidden(false);
  await expect(badge(pages[1])).toHaveText('Evidence', { timeout: 5_000 });
});

test('Chrome stops the background: the tabs reconnect by themselves and none is left stale', async ({ extensionContext, emulator }) => {
  const job = await emulator.createJob('Survives a worker stop', 'matching');
  const list = await open(extensionContext, emulator, '/jobs');
  const page = await open(extensionContext, emulator, `/jobs/${job.id}`);
  const cdp = await extensionContext.newCDPSession(list);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  // While no background runs, the job moves on; both tabs must show it without a reload.
  await emulator.api('POST', '/_emulator/worker/tick');
  await expect(badge(page)).toHaveText('Evidence', { timeout: 10_000 });
  await expect(badge(list, job.id)).toHaveText('Evidence', { timeout: 10_000 });
  // And actions still reach the other tab at once.
  await page.getByRole('button', { name: 'Cancel Job' }).click();
  await page.getByRole('alertdialog').getByTestId('dialog-confirm').click();
  await expect(badge(list, job.id)).toHaveText('Cancelled', { timeout: 1_000 });
});

test('a cancel whose workers are slow to stop: "Cancelling… N s" everywhere, then Force Delete after 30 s', async ({ extensionContext, emulator }) => {
  test.setTimeout(120_000);
  const slowly = (ms: number) => emulator.api('POST', '/_emulator/worker', { cancel_delay_ms: ms });
  try {
    // Workers that stop 4 s after the cancel: the page counts, then shows the cancellation.
    await slowly(4_000);
    const soon = await emulator.createJob('Stops in a few seconds', 'matching');
    const page = await open(extensionContext, emulator, `/jobs/${soon.id}`);
    await page.getByRole('button', { name: 'Cancel Job' }).click();
    await page.getByRole('alertdialog').getByTestId('dialog-confirm').click();
    await expect(page.getByTestId('toast').filter({ hasText: 'Cancellation requested. The job stops when its workers do.' })).toBeVisible();
    const cancel = page.getByTestId('cancel-job');
    await expect(cancel).toHaveText(/^Cancelling… \d+ s$/);
    await expect(cancel).toBeDisabled();
    await expect(badge(page)).toHaveText('Matching');
    await expect(badge(page)).toHaveText('Cancelled', { timeout: 15_000 });
    await expect(cancel).toHaveText('Cancelled');

    // Workers that do not stop: after 30 s the page and the popup say so and offer Force Delete.
    await slowly(600_000);
    const stuck = await emulator.createJob('Never stops', 'evidence');
    const stuckPage = await open(extensionContext, emulator, `/jobs/${stuck.id}`);
    const popup = await openPopup(extensionContext, emulator.origin);
    tabs.push(popup);
    await stuckPage.getByRole('button', { name: 'Cancel Job' }).click();
    await stuckPage.getByRole('alertdialog').getByTestId('dialog-confirm').click();
    const stuckCancel = stuckPage.getByTestId('cancel-job');
    await expect(stuckCancel).toHaveText(/^Cancelling… \d+ s$/);
    const pendingRow = popup.locator(`[data-job-id="${stuck.id}"]`);
    await expect(pendingRow.getByTestId('cancel-pending')).toHaveText(/^Cancelling… \d+ s$/, { timeout: 5_000 });
    await expect(pendingRow.getByTestId('action-cancel')).toHaveCount(0);
    // It counts.
    const seconds = async () => Number(/(\d+) s$/.exec((await stuckCancel.textContent()) ?? '')?.[1]);
    const first = await seconds();
    await expect.poll(seconds, { timeout: 5_000 }).toBeGreaterThan(first);
    await expect(stuckPage.getByTestId('force-delete-job')).toHaveCount(0);
    await expect(stuckPage.getByTestId('cancel-pending')).toHaveText(/^Still running 3\d s after the cancel was accepted/, { timeout: 40_000 });
    await expect(stuckPage.getByTestId('delete-job')).toHaveCount(0);
    const since = await lastSeq(emulator);
    await stuckPage.getByTestId('force-delete-job').click();
    const dialog = stuckPage.getByRole('alertdialog');
    await expect(dialog.getByTestId('dialog-confirm')).toHaveText('Force Delete');
    await dialog.getByTestId('dialog-confirm').click();
    await expect(stuckPage).toHaveURL(`${emulator.origin}/jobs`);
    await expect(stuckPage.getByTestId('toast').filter({ hasText: 'Job deleted successfully' })).toBeVisible();
    // Straight to the forced delete: no 409 first.
    const deletes = (await requestsSince(emulator, since)).filter((r) => r.method === 'DELETE');
    expect(deletes.map((r) => [r.query, r.status])).toEqual([['force=true', 200]]);
  } finally {
    await slowly(0);
  }
});
