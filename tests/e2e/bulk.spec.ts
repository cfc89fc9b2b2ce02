// Issue #24, in the popup (its first surface): select jobs (Shift+click ranges, "Select all
// shown" after a filter), one confirmation per bulk action, at most four requests in flight, each
// job once, progress, Stop, a pause when the server is busy, a summary with the failures and
// "Retry" for just those. The list page's selection is still to come.
import { test, expect, openPopup, fault, requestsSince, lastSeq, screenshotPath, Emulator, type Job } from './fixtures';
import type { BrowserContext, Locator, Page } from '@playwright/test';

let emulator: Emulator;
test.beforeEach(async () => {
  emulator = await Emulator.start();
});
test.afterEach(async ({ extensionContext }) => {
  for (const open of extensionContext.pages()) {
    if (open.url().startsWith('chrome-extension://')) await open.close();
  }
  await emulator.stop();
});

const row = (popup: Page, jobId: string): Locator => popup.locator(`[data-testid="job-row"][data-job-id="${jobId}"]`);
const checkbox = (popup: Page, job: Job): Locator => row(popup, job.id).getByRole('checkbox', { name: `Select ${job.title}` });

/** `count` new jobs in `phase`, newest first (as the popup lists them). */
async function created(prefix: string, count: number, phase: string): Promise<Job[]> {
  const jobs: Job[] = [];
  for (let i = 1; i <= count; i++) jobs.push(await emulator.createJob(`${prefix} ${i}`, phase));
  return jobs.reverse();
}

/** The popup, its list showing `jobs`. */
async function popupWith(context: BrowserContext, jobs: Job[]): Promise<Page> {
  const popup = await openPopup(context, emulator.origin);
  for (const job of jobs) await expect(row(popup, job.id)).toBeVisible();
  return popup;
}

/** Selects `jobs` (listed together) with a click on the first and a Shift+click on the last. */
async function selectRange(popup: Page, jobs: Job[]): Promise<void> {
  await checkbox(popup, jobs[0]).click();
  await checkbox(popup, jobs[jobs.length - 1]).click({ modifiers: ['Shift'] });
  for (const job of jobs) await expect(checkbox(popup, job)).toBeChecked();
}

/** Counts the popup's DELETE/POST requests in flight at once, and when each started. */
async function watchRequests(popup: Page): Promise<void> {
  await popup.evaluate(() => {
    const seen = { inFlight: 0, most: 0, starts: [] as { at: number; url: string; method: string }[], ends: [] as { at: number; url: string; status: number }[] };
    (window as unknown as { seen: typeof seen }).seen = seen;
    const original = window.fetch.bind(window);
    window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = input instanceof Request ? input : new Request(input, init);
      const writing = request.method !== 'GET';
      if (writing) {
        seen.inFlight++;
        seen.most = Math.max(seen.most, seen.inFlight);
        seen.starts.push({ at: performance.now(), url: request.url, method: request.method });
      }
      try {
        const response = await original(input, init);
        if (writing) seen.ends.push({ at: performance.now(), url: request.url, status: response.status });
        return response;
      } finally {
        if (writing) seen.inFlight--;
      }
    };
  });
}

interface Seen { most: number; starts: { at: number; url: string; method: string }[]; ends: { at: number; url: string; status: number }[] }
const seen = (popup: Page): Promise<Seen> => popup.evaluate(() => (window as unknown as { seen: Seen }).seen);

test('Shift+click selects a range, "Select all shown" follows the filter, and the bar counts only what each action applies to', async ({ extensionContext }) => {
  const running = await created('Running', 3, 'matching');
  const finished = await created('Finished', 2, 'failed');
  const popup = await popupWith(extensionContext, [...running, ...finished]);
  await expect(popup.getByTestId('bulk-bar')).toHaveCount(0);
  // Newest first: the finished ones, then the running ones.
  await selectRange(popup, [...finished, ...running]);
  await expect(popup.getByTestId('bulk-count')).toHaveText('5 selected');
  await expect(popup.getByTestId('bulk-cancel')).toHaveText('Cancel 3');
  await expect(popup.getByTestId('bulk-delete')).toHaveText('Delete 5');
  // Shift+click on a selected one unselects the range from the last one chosen (the last two).
  await checkbox(popup, running[1]).click({ modifiers: ['Shift'] });
  await expect(popup.getByTestId('bulk-count')).toHaveText('3 selected');
  await expect(checkbox(popup, running[0])).toBeChecked();
  await expect(checkbox(popup, running[2])).not.toBeChecked();
  await popup.getByTestId('bulk-clear').click();
  await expect(popup.getByTestId('bulk-bar')).toHaveCount(0);

  // Filters apply first: "Select all shown" on Finished selects only finished jobs.
  await popup.getByRole('button', { name: 'Finished', exact: true }).click();
  const selectAll = popup.getByTestId('select-all');
  await expect(selectAll).toHaveAttribute('aria-checked', 'false');
  await selectAll.click();
  await expect(selectAll).toHaveAttribute('aria-checked', 'true');
  await expect(popup.getByTestId('bulk-cancel')).toBeDisabled();
  await expect(popup.getByTestId('bulk-cancel')).toHaveText('Cancel 0');
  await checkbox(popup, finished[0]).click();
  await expect(selectAll).toHaveAttribute('aria-checked', 'mixed');
  // Space on a focused checkbox selects it again: keyboard only.
  await checkbox(popup, finished[0]).focus();
  await popup.keyboard.press('Space');
  await expect(selectAll).toHaveAttribute('aria-checked', 'true');
});

test('Delete 12: one confirmation naming five and "and 7 more", one DELETE per job, never more than four at once, rows gone, summary', async ({ extensionContext }) => {
  const jobs = await created('Bulk delete', 12, 'completed');
  const popup = await popupWith(extensionContext, jobs);
  await selectRange(popup, jobs);
  await fault(emulator, { method: 'DELETE', path: '/api/jobs/*', delay_ms: 150 });
  await watchRequests(popup);
  const since = await lastSeq(emulator);
  await popup.getByTestId('bulk-delete').click();
  const dialog = popup.getByTestId('bulk-dialog');
  await expect(dialog.getByRole('heading')).toHaveText('Delete 12 jobs?');
  await expect(dialog.getByTestId('bulk-titles').getByRole('listitem')).toHaveText([...jobs.slice(0, 5).map((job) => job.title), 'and 7 more']);
  await expect(dialog).toContainText('This will permanently delete');
  await dialog.getByTestId('bulk-confirm').click();
  await expect(popup.getByTestId('bulk-summary')).toHaveText('12 deleted');
  for (const job of jobs) await expect(row(popup, job.id)).toHaveCount(0);
  const deletes = (await requestsSince(emulator, since)).filter((request) => request.method === 'DELETE');
  expect(deletes.map((request) => request.path).sort()).toEqual(jobs.map((job) => `/api/jobs/${job.id}`).sort());
  expect(deletes.every((request) => request.query === 'force=false')).toBe(true);
  expect((await seen(popup)).most).toBe(4);
  await popup.getByTestId('bulk-done').click();
  await expect(popup.getByTestId('bulk-bar')).toHaveCount(0);
});

test('Delete with running jobs, cancelled first: every cancel goes before any delete, each job is deleted once the list shows it stopped, and none is read on its own', async ({ extensionContext }) => {
  const jobs = await created('Stopping slowly', 6, 'matching');
  const popup = await popupWith(extensionContext, jobs);
  await selectRange(popup, jobs);
  // Workers that take 1.5 s to stop after a cancel is accepted: waiting in a slot, four of them
  // held back the other two's cancels for that long.
  await emulator.api('POST', '/_emulator/worker', { cancel_delay_ms: 1500 });
  const since = await lastSeq(emulator);
  await popup.getByTestId('bulk-delete').click();
  const dialog = popup.getByTestId('bulk-dialog');
  await expect(dialog.getByRole('heading')).toHaveText('Delete 6 jobs?');
  await expect(dialog.getByTestId('bulk-running-cancel-first')).toBeChecked();
  await dialog.getByTestId('bulk-confirm').click();
  await expect(popup.getByTestId('bulk-summary')).toHaveText('6 deleted', { timeout: 20_000 });
  const requests = await requestsSince(emulator, since);
  const cancels = requests.filter((request) => request.method === 'POST');
  const deletes = requests.filter((request) => request.method === 'DELETE');
  expect(cancels.map((request) => request.path).sort()).toEqual(jobs.map((job) => `/api/jobs/${job.id}/cancel`).sort());
  expect(deletes.map((request) => request.path).sort()).toEqual(jobs.map((job) => `/api/jobs/${job.id}`).sort());
  expect(Math.max(...cancels.map((request) => request.at_ms))).toBeLessThan(Math.min(...deletes.map((request) => request.at_ms)));
  expect(deletes.every((request) => request.query === 'force=false' && request.status < 300)).toBe(true);
  expect(requests.filter((request) => request.method === 'GET' && jobs.some((job) => request.path === `/api/jobs/${job.id}`))).toEqual([]);
  for (const job of jobs) await expect(row(popup, job.id)).toHaveCount(0);
  await emulator.api('POST', '/_emulator/worker', { cancel_delay_ms: 0 });
});

test('a failed job is listed with why, and Retry sends only it; a busy answer pauses the run, then the job goes again', async ({ extensionContext }) => {
  const jobs = await created('Bulk failure', 6, 'failed');
  const popup = await popupWith(extensionContext, jobs);
  await selectRange(popup, jobs);
  await fault(emulator, { method: 'DELETE', path: `/api/jobs/${jobs[2].id}`, status: 500, detail: 'Disk on fire', times: 1 });
  await fault(emulator, { method: 'DELETE', path: `/api/jobs/${jobs[4].id}`, status: 429, detail: 'Slow down', times: 1 });
  await watchRequests(popup);
  const since = await lastSeq(emulator);
  await popup.getByTestId('bulk-delete').click();
  await popup.getByTestId('bulk-confirm').click();
  await expect(popup.getByTestId('bulk-summary')).toHaveText('5 deleted · 1 failed');
  await expect(popup.getByTestId('bulk-failures')).toContainText(jobs[2].title);
  await expect(popup.getByTestId('bulk-failures')).toContainText('Disk on fire');
  // The 429: that job went again, no sooner than the pause after it.
  const { starts, ends } = await seen(popup);
  const busyUrl = `/api/jobs/${jobs[4].id}`;
  const busyEnd = ends.find((end) => end.url.includes(busyUrl) && end.status === 429)!;
  const again = starts.filter((start) => start.url.includes(busyUrl))[1];
  expect(again.at - busyEnd.at).toBeGreaterThanOrEqual(990);
  // Retry sends exactly the failed one.
  const before = await lastSeq(emulator);
  await popup.getByTestId('bulk-retry').click();
  await expect(popup.getByTestId('bulk-summary')).toHaveText('1 deleted');
  const retried = (await requestsSince(emulator, before)).filter((request) => request.method === 'DELETE');
  expect(retried.map((request) => request.path)).toEqual([`/api/jobs/${jobs[2].id}`]);
  const all = (await requestsSince(emulator, since)).filter((request) => request.method === 'DELETE');
  expect(all).toHaveLength(8); // 6 + the 429's second go + the retry
});

test('Stop schedules nothing more: what was in flight finishes, the rest is reported not started', async ({ extensionContext }) => {
  const jobs = await created('Bulk stop', 12, 'completed');
  const popup = await popupWith(extensionContext, jobs);
  await selectRange(popup, jobs);
  await fault(emulator, { method: 'DELETE', path: '/api/jobs/*', delay_ms: 600 });
  await watchRequests(popup);
  const since = await lastSeq(emulator);
  await popup.getByTestId('bulk-delete').click();
  await popup.getByTestId('bulk-confirm').click();
  await expect(popup.getByTestId('bulk-progress')).toHaveText('Deleting 4 / 12');
  await popup.getByTestId('job-list').evaluate((list) => { list.scrollTop = 0; });
  await popup.screenshot({ path: screenshotPath('bulk-bar.png'), clip: { x: 0, y: 0, width: 400, height: 600 } });
  const stoppedAt = await popup.evaluate(() => performance.now());
  await popup.getByTestId('bulk-stop').click();
  await expect(popup.getByTestId('bulk-summary')).toHaveText(/^\d+ deleted · \d+ not started$/);
  const summary = (await popup.getByTestId('bulk-summary').textContent())!;
  const deleted = Number(/^(\d+) deleted/.exec(summary)![1]);
  const { starts } = await seen(popup);
  // Nothing started after the click (the ones in flight then were sent before it).
  expect(starts.filter((start) => start.at > stoppedAt + 50)).toEqual([]);
  const sent = (await requestsSince(emulator, since)).filter((request) => request.method === 'DELETE');
  expect(sent).toHaveLength(deleted);
  expect(summary).toBe(`${deleted} deleted · ${12 - deleted} not started`);
  expect(deleted).toBeLessThan(12);
});

test('Cancel N on a mixed selection cancels only the running jobs, each with the shared reason', async ({ extensionContext }) => {
  const running = await created('Bulk cancel', 3, 'evidence');
  const finished = await created('Bulk done', 2, 'completed');
  const popup = await popupWith(extensionContext, [...running, ...finished]);
  await selectRange(popup, [...finished, ...running]);
  const since = await lastSeq(emulator);
  await popup.getByTestId('bulk-cancel').click();
  const dialog = popup.getByTestId('bulk-dialog');
  await expect(dialog.getByRole('heading')).toHaveText('Cancel 3 jobs?');
  await dialog.getByTestId('bulk-reason').fill('wrong input file');
  await dialog.getByTestId('bulk-confirm').click();
  await expect(popup.getByTestId('bulk-summary')).toHaveText('3 cancelled');
  const posts = (await requestsSince(emulator, since)).filter((request) => request.method !== 'GET');
  expect(posts.map((request) => request.path).sort()).toEqual(running.map((job) => `/api/jobs/${job.id}/cancel`).sort());
  for (const post of posts) expect(JSON.parse(post.body!)).toEqual({ reason: 'user_request', notes: 'wrong input file' });
  for (const job of running) await expect(row(popup, job.id).getByTestId('phase-badge')).toHaveText('Cancelled');
});
