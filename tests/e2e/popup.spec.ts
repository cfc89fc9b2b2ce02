// The popup page in Chromium (chrome-extension://ID/popup/popup.html, opened as a tab): recent
// jobs with live polling, the filter, cancel and delete through the shared dialogs, the deletion
// check, the error banner and its recovery, settings, and the request budget.
import type { Page } from '@playwright/test';
import { test, expect, Emulator, openPopup, popupUrl, watchForErrors, screenshotPath, requestsSince, lastSeq, recordMatrix, type Job } from './fixtures';

function row(popup: Page, id: string) {
  return popup.locator(`[data-testid="job-row"][data-job-id="${id}"]`);
}

/** The list requests (GET /api/jobs) in the emulator's log since `seq`. */
async function listRequests(emulator: Emulator, seq: number) {
  return (await requestsSince(emulator, seq)).filter((entry) => entry.method === 'GET' && entry.path === '/api/jobs');
}

test('the popup draws its rows before it formats any time: the tooltips\' local times follow once it is idle', async ({ extensionContext, emulator }) => {
  // A renderer's first formatting of a time loads V8's locale data: 25–49 ms in a fresh browser,
  // which the popup's first rows would wait for. When each happened, read in the page.
  await emulator.createJob('Formatted later', 'matching');
  const popup = await openPopup(extensionContext, emulator.origin);
  await popup.addInitScript(() => {
    const w = window as unknown as { __formatted?: number; __row?: number };
    const original = Date.prototype.toLocaleString;
    Date.prototype.toLocaleString = function (this: Date, ...args: Parameters<Date['toLocaleString']>) {
      w.__formatted ??= performance.now();
      return original.apply(this, args);
    };
    new MutationObserver(() => {
      if (w.__row === undefined && document.querySelector('[data-testid="job-row"]')) w.__row = performance.now();
    }).observe(document, { subtree: true, childList: true });
  });
  await popup.reload();
  await expect(popup.getByTestId('job-row').first().getByTestId('job-age')).toHaveAttribute('title', /\d/);
  const { formatted, row } = await popup.evaluate(() => {
    const w = window as unknown as { __formatted?: number; __row?: number };
    return { formatted: w.__formatted, row: w.__row };
  });
  expect(row, 'a row was drawn').toBeDefined();
  expect(formatted, 'the first time formatted, after the first row').toBeGreaterThan(row!);
});

test('the popup lists the recent jobs, newest first, with their phase badges, ages and links', async ({ extensionContext, emulator }) => {
  // The emulator is shared by the run's test files: expect whatever it holds, 20 newest at most.
  // The newest is this test's own: an earlier file may have left a job whose id (`..`) cannot be
  // a path segment, which rightly gets no "Open in app" link.
  await emulator.createJob('Newest, with a link', 'matching');
  const jobs = (await emulator.jobs()).slice(0, 20);
  const popup = await openPopup(extensionContext, emulator.origin);
  const errors = watchForErrors(popup);
  const rows = popup.getByTestId('job-row');
  await expect(rows).toHaveCount(jobs.length);
  for (const job of jobs) {
    await expect(row(popup, job.id)).toContainText(job.title);
    await expect(row(popup, job.id).getByTestId('phase-badge')).toHaveAttribute('data-phase', job.phase);
  }
  expect(await rows.evaluateAll((items) => items.map((item) => item.getAttribute('data-job-id')))).toEqual(jobs.map((job) => job.id));
  const cancelled = jobs.find((job) => job.phase === 'cancelled')!;
  const cancelledBadge = row(popup, cancelled.id).getByTestId('phase-badge');
  await expect(cancelledBadge).toHaveText('Cancelled');
  await expect(cancelledBadge).toHaveCSS('background-color', 'rgb(234, 238, 242)');
  // Relative age, exact time on hover; the job's page in the app, in a new tab.
  const first = row(popup, jobs[0].id);
  await expect(first.getByTestId('job-age')).toHaveText(/^(just now|\d+ (s|min|h|d) ago)$/);
  await expect(first.getByTestId('job-age')).toHaveAttribute('title', /\d/);
  const link = first.getByTestId('open-in-app');
  await expect(link).toHaveAttribute('href', `${emulator.origin}/jobs/${encodeURIComponent(jobs[0].id)}`);
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
  // Actions follow the shared rules: active → Cancel Job + Cancel & Delete; finished → Delete Job.
  const active = jobs.find((job) => job.phase === 'matching')!;
  await expect(row(popup, active.id).getByRole('button')).toHaveText(['Cancel Job', 'Cancel & Delete']);
  await expect(row(popup, cancelled.id).getByRole('button')).toHaveText(['Delete Job']);
  await expect(popup.getByTestId('poll-status')).toHaveText(/^Updated \d+ s ago$/);
  await popup.setViewportSize({ width: 400, height: 480 });
  await popup.screenshot({ path: screenshotPath('popup.png') });
  expect(errors).toEqual([]);
  await popup.close();
});

test('the popup shows an empty state when there are no jobs', async ({ extensionContext }) => {
  const empty = await Emulator.start(['--no-seed']);
  try {
    const popup = await openPopup(extensionContext, empty.origin);
    await expect(popup.getByTestId('empty-state')).toHaveText('No jobs yet. Jobs you start in the app appear here.');
    await popup.close();
  } finally {
    await empty.stop();
  }
});

test.describe('with its own emulator', () => {
  let emulator: Emulator;
  test.beforeEach(async () => {
    emulator = await Emulator.start();
  });
  test.afterEach(async () => {
    await emulator.stop();
  });

  test('the filter shows all, active or finished jobs, with hostile titles as text', async ({ extensionContext }) => {
    const hostile = await emulator.createJob('<img src=x onerror="window.__pwned=1"> ' + 'long '.repeat(40), 'matching');
    const popup = await openPopup(extensionContext, emulator.origin);
    const jobs = (await emulator.jobs()).slice(0, 20);
    const rows = popup.getByTestId('job-row');
    await expect(rows).toHaveCount(jobs.length);
    await expect(row(popup, hostile.id).getByTestId('job-title')).toHaveText(hostile.title);
    expect(await popup.evaluate(() => (window as any).__pwned)).toBeUndefined();
    const title = row(popup, hostile.id).getByTestId('job-title');
    expect(await title.evaluate((el) => el.scrollWidth > el.clientWidth && getComputedStyle(el).textOverflow === 'ellipsis')).toBe(true);
    const activeIds = jobs.filter((job) => ['collection', 'feature_extraction', 'matching', 'evidence'].includes(job.phase)).map((job) => job.id);
    const finishedIds = jobs.filter((job) => ['completed', 'failed', 'cancelled'].includes(job.phase)).map((job) => job.id);
    await popup.getByRole('button', { name: 'Active', exact: true }).click();
    await expect(popup.getByRole('button', { name: 'Active', exact: true })).toHaveAttribute('aria-pressed', 'true');
    await expect(rows).toHaveCount(activeIds.length);
    expect(await rows.evaluateAll((items) => items.map((item) => item.getAttribute('data-job-id')))).toEqual(activeIds);
    await popup.getByRole('button', { name: 'Finished', exact: true }).click();
    await expect(rows).toHaveCount(finishedIds.length);
    expect(await rows.evaluateAll((items) => items.map((item) => item.getAttribute('data-job-id')))).toEqual(finishedIds);
    await popup.getByRole('button', { name: 'All', exact: true }).click();
    await expect(rows).toHaveCount(jobs.length);
  });

  test('reopened, the popup shows its last known list in its first frame, read-only, then the live one; the list is never on disk', async ({ extensionContext }) => {
    const known = await emulator.createJob('Known before closing', 'matching');
    const popup = await openPopup(extensionContext, emulator.origin);
    await expect(row(popup, known.id).getByRole('button', { name: /^Cancel Job/ })).toBeEnabled();
    // The background stops (Chrome stops an idle one) and its next list read is slow: the live
    // list comes 1.5 s after the popup opens.
    const cdp = await extensionContext.newCDPSession(popup);
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    await popup.close();
    await emulator.api('POST', '/_emulator/faults', { method: 'GET', path: '/api/jobs', delay_ms: 1500, times: 1 });
    // Behind the closed popup's back: the known job is deleted, another one starts.
    await emulator.api('DELETE', `/api/jobs/${known.id}?force=true`);
    const started = await emulator.createJob('Started while closed', 'matching');
    const reopened = await extensionContext.newPage();
    // What the first rows looked like when they appeared, and whether that was in the app's first
    // frame (the first animation frame after it mounted).
    await reopened.addInitScript(() => {
      const w = window as unknown as { __first?: { ids: string[]; status: string; enabled: number; at: number }; __frame?: number };
      new MutationObserver(() => {
        const rows = [...document.querySelectorAll('[data-testid="job-row"]')];
        if (w.__first || rows.length === 0) return;
        w.__first = {
          ids: rows.map((item) => item.getAttribute('data-job-id')!),
          status: document.querySelector('[data-testid="poll-status"]')?.textContent ?? '',
          enabled: document.querySelectorAll('.job-actions button:not([disabled]), input.select:not([disabled]), [data-testid="select-all"]:not([disabled])').length,
          at: performance.now(),
        };
      }).observe(document, { subtree: true, childList: true });
      new PerformanceObserver((list) => {
        if (list.getEntriesByName('job-actions:popup-ready').length) requestAnimationFrame(() => (w.__frame ??= performance.now()));
      }).observe({ entryTypes: ['measure'] });
    });
    await reopened.goto(popupUrl());
    const first = await (await reopened.waitForFunction(() => {
      const w = window as unknown as { __first?: { at: number }; __frame?: number };
      return w.__first && w.__frame !== undefined ? { ...w.__first, inFirstFrame: w.__first.at <= w.__frame } : null;
    })).jsonValue();
    expect(first.inFirstFrame).toBe(true);
    expect(first.status).toBe('Last known · updating…');
    expect(first.ids).toContain(known.id);
    expect(first.ids).not.toContain(started.id);
    // Nothing can be acted on, or selected, before the server has had its say.
    expect(first.enabled).toBe(0);
    await expect(reopened.getByTestId('poll-status')).toHaveText('Last known · updating…');
    await expect(row(reopened, known.id).getByRole('button', { name: /^Cancel Job/ })).toBeDisabled();
    await reopened.screenshot({ path: screenshotPath('popup-last-known.png') });
    // Then the live list: the deleted job is gone, the new one is there and can be acted on.
    await expect(row(reopened, known.id)).toHaveCount(0);
    await expect(row(reopened, started.id).getByRole('button', { name: /^Cancel Job/ })).toBeEnabled();
    await expect(reopened.getByTestId('poll-status')).not.toHaveText(/Last known/);
    // Kept in session storage only: no job's title is written to disk.
    const local = await reopened.evaluate(async () => JSON.stringify(await chrome.storage.local.get(null)));
    expect(local).not.toContain('Known before closing');
    expect(local).not.toContain('Started while closed');
    expect(await reopened.evaluate(async () => Object.keys(await chrome.storage.session.get('popup-last-list')))).toEqual(['popup-last-list']);
    await reopened.close();
  });

  test('a job advancing phases is reflected without reopening, and the toolbar badge counts active jobs', async ({ extensionContext }) => {
    const job = await emulator.createJob('Advancing job', 'collection');
    const popup = await openPopup(extensionContext, emulator.origin);
    const badge = row(popup, job.id).getByTestId('phase-badge');
    await expect(badge).toHaveAttribute('data-phase', 'collection');
    const activeCount = async () => (await emulator.jobs()).slice(0, 20).filter((j) => !['completed', 'failed', 'cancelled'].includes(j.phase)).length;
    await expect.poll(() => popup.evaluate(() => chrome.action.getBadgeText({}))).toBe(String(await activeCount()));
    await emulator.api('POST', '/_emulator/worker/tick');
    await expect(badge).toHaveAttribute('data-phase', 'feature_extraction', { timeout: 35_000 });
    for (let tick = 0; tick < 4; tick++) await emulator.api('POST', '/_emulator/worker/tick');
    await expect(badge).toHaveAttribute('data-phase', 'completed', { timeout: 35_000 });
    await expect.poll(() => popup.evaluate(() => chrome.action.getBadgeText({})), { timeout: 35_000 }).toBe(String(await activeCount() || ''));
  });

  test('cancel from the popup: reason, one request for a double click, the job shows Cancelled', { tag: '@matrix' }, async ({ extensionContext }) => {
    const job = await emulator.createJob('Popup cancel', 'matching');
    const popup = await openPopup(extensionContext, emulator.origin);
    const errors = watchForErrors(popup);
    await row(popup, job.id).getByRole('button', { name: `Cancel Job: ${job.title}` }).click();
    const dialog = popup.getByRole('alertdialog', { name: 'Cancel Job?' });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId('dialog-job-title')).toHaveText(job.title);
    // Focus starts in the reason field; Esc closes and gives focus back to the row's button.
    await expect(dialog.getByTestId('cancel-reason')).toBeFocused();
    await dialog.getByTestId('cancel-reason').fill('customer asked');
    await popup.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(row(popup, job.id).getByRole('button', { name: `Cancel Job: ${job.title}` })).toBeFocused();
    // Reopened: the reason is still there. Too long → refused before sending, with the count.
    await row(popup, job.id).getByRole('button', { name: `Cancel Job: ${job.title}` }).click();
    await expect(dialog.getByTestId('cancel-reason')).toHaveValue('customer asked');
    await dialog.getByTestId('cancel-reason').fill('x'.repeat(501));
    await expect(dialog.getByTestId('reason-count')).toHaveText('501 / 500');
    await dialog.getByTestId('dialog-confirm').click();
    await expect(dialog.getByTestId('dialog-error')).toContainText('500');
    await dialog.getByTestId('cancel-reason').fill('customer asked');
    const seq = await lastSeq(emulator);
    await dialog.getByTestId('dialog-confirm').dblclick();
    await expect(popup.getByTestId('toast').filter({ hasText: 'Job cancelled successfully' })).toBeVisible();
    await expect(dialog).toBeHidden();
    await expect(row(popup, job.id).getByTestId('phase-badge')).toHaveAttribute('data-phase', 'cancelled');
    await expect(row(popup, job.id).getByRole('button')).toHaveText(['Delete Job']);
    const posts = (await requestsSince(emulator, seq)).filter((entry) => entry.method === 'POST');
    recordMatrix({ destructive_sent_twice: posts.length - 1 });
    expect(posts.map((entry) => entry.path)).toEqual([`/api/jobs/${job.id}/cancel`]);
    expect(JSON.parse(posts[0].body!)).toEqual({ reason: 'user_request', notes: 'customer asked' });
    expect(errors).toEqual([]);
  });

  test('a typed reason survives closing the popup, in session storage, until the cancel succeeds', { tag: '@matrix' }, async ({ extensionContext }) => {
    const job = await emulator.createJob('Reason kept', 'matching');
    let popup = await openPopup(extensionContext, emulator.origin);
    await row(popup, job.id).getByRole('button', { name: `Cancel Job: ${job.title}` }).click();
    await popup.getByTestId('cancel-reason').fill('half-typed when the popup closed');
    // The reasons kept for this API (other tests' APIs may have their own).
    const kept = (page: Page) =>
      page.evaluate(async (prefix) => Object.fromEntries(Object.entries(await chrome.storage.session.get(null)).filter(([key]) => key.startsWith(prefix))), `reason:${emulator.origin}/api#`);
    await expect.poll(() => kept(popup)).toEqual({
      [`reason:${emulator.origin}/api#${job.id}`]: 'half-typed when the popup closed',
    });
    await popup.close();
    popup = await extensionContext.newPage();
    await popup.goto(popupUrl());
    await row(popup, job.id).getByRole('button', { name: `Cancel Job: ${job.title}` }).click();
    recordMatrix({ reasons_lost: (await popup.getByTestId('cancel-reason').inputValue()) === 'half-typed when the popup closed' ? 0 : 1 });
    await expect(popup.getByTestId('cancel-reason')).toHaveValue('half-typed when the popup closed');
    await popup.getByTestId('dialog-confirm').click();
    await expect(row(popup, job.id).getByTestId('phase-badge')).toHaveAttribute('data-phase', 'cancelled');
    await expect.poll(() => kept(popup)).toEqual({});
    expect((await emulator.api<{ cancellation_notes: string }>('GET', `/api/jobs/${job.id}`)).cancellation_notes).toBe('half-typed when the popup closed');
    await popup.close();
  });

  test('a failed cancel keeps the dialog and the reason; Retry sends the same request', async ({ extensionContext }) => {
    const job = await emulator.createJob('Popup cancel fails', 'evidence');
    const popup = await openPopup(extensionContext, emulator.origin);
    await emulator.api('POST', '/_emulator/faults', { method: 'POST', path: `/api/jobs/${job.id}/cancel`, status: 500, detail: 'Queue unavailable', times: 1 });
    await row(popup, job.id).getByRole('button', { name: `Cancel Job: ${job.title}` }).click();
    const dialog = popup.getByRole('alertdialog');
    await dialog.getByTestId('cancel-reason').fill('stuck in evidence');
    await dialog.getByTestId('dialog-confirm').click();
    await expect(dialog.getByTestId('dialog-error')).toHaveText('Failed to cancel job: The server refused the request: Queue unavailable');
    await expect(popup.getByTestId('toast').filter({ hasText: 'Queue unavailable' })).toBeVisible();
    await expect(dialog.getByTestId('cancel-reason')).toHaveValue('stuck in evidence');
    await dialog.getByTestId('dialog-confirm').click();
    await expect(row(popup, job.id).getByTestId('phase-badge')).toHaveAttribute('data-phase', 'cancelled');
    const stored = await emulator.api<Job & { cancellation_notes: string }>('GET', `/api/jobs/${job.id}`);
    expect(stored.cancellation_notes).toBe('stuck in evidence');
  });

  test('Cancel & Delete of a running job: the cancel, then one plain delete, the row leaves, the deletion is confirmed', async ({ extensionContext }) => {
    const job = await emulator.createJob('Popup force delete', 'matching');
    const popup = await openPopup(extensionContext, emulator.origin);
    await row(popup, job.id).getByRole('button', { name: `Cancel & Delete: ${job.title}` }).click();
    const dialog = popup.getByRole('alertdialog', { name: 'Delete Job?' });
    await expect(dialog).toContainText('This job is still running.');
    await expect(dialog.getByTestId('cancel-reason')).toBeFocused();
    const seq = await lastSeq(emulator);
    await dialog.getByTestId('dialog-confirm').click();
    await expect(row(popup, job.id)).toHaveCount(0);
    await expect(popup.getByTestId('toast').filter({ hasText: 'Job deleted successfully' })).toBeVisible();
    // PRD §7.4: after the delete, GET /api/jobs/{id} until 404.
    await expect.poll(async () => (await requestsSince(emulator, seq)).some((entry) => entry.method === 'GET' && entry.path === `/api/jobs/${job.id}` && entry.status === 404)).toBe(true);
    const deletes = (await requestsSince(emulator, seq)).filter((entry) => entry.method === 'DELETE');
    // Issue #23: cancelled first (the emulator's workers stop at once here), then one plain delete.
    expect(deletes.map((entry) => `${entry.path}?${entry.query}`)).toEqual([`/api/jobs/${job.id}?force=false`]);
    const cancels = (await requestsSince(emulator, seq)).filter((entry) => entry.method === 'POST' && entry.path === `/api/jobs/${job.id}/cancel`);
    expect(cancels.map((entry) => entry.status)).toEqual([200]);
    await expect(popup.getByTestId('deletion-progress')).toHaveCount(0);
    // Later polls do not bring it back.
    await popup.waitForTimeout(2_500);
    await expect(row(popup, job.id)).toHaveCount(0);
  });

  test('a deletion the server does not confirm within 60 s brings the row back and says so', async ({ extensionContext }) => {
    test.setTimeout(120_000);
    const job = await emulator.createJob('Popup slow deletion', 'completed');
    const popup = await openPopup(extensionContext, emulator.origin);
    // The delete answers 200, but the job stays readable, as a backend that deletes asynchronously.
    await emulator.api('POST', '/_emulator/faults', { method: 'DELETE', path: `/api/jobs/${job.id}`, status: 200, body: JSON.stringify({ job_id: job.id, status: 'deleted', deleted_at: '2025-11-18T10:30:00Z' }), times: 1 });
    await row(popup, job.id).getByRole('button', { name: `Delete Job: ${job.title}` }).click();
    await popup.getByRole('alertdialog').getByTestId('dialog-confirm').click();
    await expect(row(popup, job.id)).toHaveCount(0);
    await expect(popup.getByTestId('deletion-progress')).toHaveText('Confirming the deletion with the server…');
    await expect(popup.getByTestId('toast').filter({ hasText: 'Deletion is taking longer than expected. Check back in a few minutes.' })).toBeVisible({ timeout: 75_000 });
    await expect(row(popup, job.id)).toHaveCount(1);
    await expect(popup.getByTestId('deletion-progress')).toHaveCount(0);
  });

  test('the error banner keeps the list when the API goes away, and the popup recovers when it returns', async ({ extensionContext }) => {
    test.setTimeout(120_000);
    const db = `${process.env.TMPDIR ?? '/tmp'}/job-actions-popup-restart-${Date.now()}.db`;
    const first = await Emulator.start(['--db', db]);
    const port = new URL(first.origin).port;
    try {
      const popup = await openPopup(extensionContext, first.origin);
      const rows = popup.getByTestId('job-row');
      await expect(rows).toHaveCount(8);
      await first.stop();
      await expect(popup.getByTestId('popup-error')).toContainText('Could not reach the server. Check your connection, then retry.', { timeout: 40_000 });
      await expect(rows).toHaveCount(8);
      const again = await Emulator.start(['--db', db, '--addr', `127.0.0.1:${port}`]);
      try {
        // Retry makes the background poll at once. (Its own next poll may get there first —
        // the banner is then gone before the click, which is a recovery too.)
        const seq = await lastSeq(again);
        const retried = await popup
          .getByTestId('popup-error')
          .getByRole('button', { name: 'Retry' })
          .click({ timeout: 3_000 })
          .then(() => true, () => false);
        await expect(popup.getByTestId('popup-error')).toHaveCount(0);
        if (retried) {
          await expect.poll(async () => (await requestsSince(again, seq)).filter((entry) => entry.path === '/api/jobs').length, { timeout: 2_000 }).toBeGreaterThan(0);
        }
        await expect(rows).toHaveCount(8);
        await expect(popup.getByTestId('poll-status')).toHaveText(/^Updated \d s ago$/);
      } finally {
        await again.stop();
      }
    } finally {
      await first.stop();
    }
  });

  test('one list request per interval, If-None-Match, and none while paused', async ({ extensionContext }) => {
    const popup = await openPopup(extensionContext, emulator.origin);
    await expect(popup.getByTestId('job-row').first()).toBeVisible();
    const seq = await lastSeq(emulator);
    await popup.waitForTimeout(12_000);
    const polled = await listRequests(emulator, seq);
    // The cadence is 2 s, then 4 s, 8 s… while nothing changes: 2–4 requests in 12 s, never two at once.
    expect(polled.length).toBeGreaterThanOrEqual(2);
    expect(polled.length).toBeLessThanOrEqual(4);
    expect(polled.every((entry) => entry.status === 304)).toBe(true);
    await popup.getByTestId('poll-toggle').click();
    await expect(popup.getByTestId('poll-toggle')).toHaveText('Resume');
    await expect(popup.getByTestId('poll-status')).toHaveText('Paused');
    const paused = await lastSeq(emulator);
    await popup.waitForTimeout(6_000);
    expect(await listRequests(emulator, paused)).toEqual([]);
    await popup.getByTestId('poll-toggle').click();
    await expect.poll(async () => (await listRequests(emulator, paused)).length).toBe(1);
  });

  test('settings: validation, Test connection, a token only for its API, kept across reopen', async ({ extensionContext }) => {
    const secured = await Emulator.start(['--token', 's3cret-token']);
    try {
      const popup = await openPopup(extensionContext, emulator.origin);
      await popup.getByTestId('view-settings').click();
      const appUrl = popup.getByLabel('App URL');
      await appUrl.fill('jobs.example.com');
      await popup.getByTestId('save-settings').click();
      await expect(popup.getByTestId('app-url-error')).toHaveText('App URL `jobs.example.com` must start with http:// or https://.');
      await expect(appUrl).toHaveAttribute('aria-invalid', 'true');
      await expect(appUrl).toBeFocused();
      await appUrl.fill(secured.origin);
      await popup.getByLabel('API base URL').fill('');
      await popup.getByTestId('test-connection').click();
      await expect(popup.getByTestId('settings-result')).toHaveText(`Could not connect to ${secured.origin}/api: Your session has expired. Sign in to the app again, then retry.`);
      await popup.getByLabel('Bearer token (optional)').fill('s3cret-token');
      await popup.getByTestId('test-connection').click();
      await expect(popup.getByTestId('settings-result')).toHaveText(new RegExp(`^Connected: ${secured.origin}/api answered with its job list in \\d+ ms\\.$`));
      await popup.setViewportSize({ width: 400, height: 480 });
      await popup.screenshot({ path: screenshotPath('popup-settings.png') });
      await popup.getByTestId('save-settings').click();
      await expect(popup.getByTestId('settings-result')).toHaveText(`Saved. The popup now uses ${secured.origin}/api.`);
      const stored = await popup.evaluate(async () => (await chrome.storage.local.get('settings')).settings);
      expect(JSON.parse(stored)).toEqual({ app_url: secured.origin, api_base: `${secured.origin}/api`, token: 's3cret-token' });
      expect(await popup.evaluate(() => localStorage.length)).toBe(0);
      await popup.getByTestId('view-jobs').click();
      await expect(popup.getByTestId('job-row')).toHaveCount(8);
      await popup.close();
      // Reopened: the same settings, the same API.
      const reopened = await extensionContext.newPage();
      await reopened.goto(popupUrl());
      await expect(reopened.getByTestId('job-row')).toHaveCount(8);
      await reopened.getByTestId('view-settings').click();
      await expect(reopened.getByLabel('App URL')).toHaveValue(secured.origin);
      await expect(reopened.getByLabel('Bearer token (optional)')).toHaveValue('s3cret-token');
      await reopened.close();
    } finally {
      await secured.stop();
    }
  });
});

test('Alt+Shift+J opens the popup: the browser registered the shortcut', async ({ extensionContext, emulator }) => {
  // Headless Chromium opens no toolbar popup, so the key press itself cannot be shown here; what
  // can fail is the registration: a missing `commands` entry, or a default that clashes with one
  // of Chromium's own (then the browser leaves the shortcut empty).
  const popup = await openPopup(extensionContext, emulator.origin);
  const commands = await popup.evaluate(() => chrome.commands.getAll());
  const open = commands.find((command) => command.name === '_execute_action');
  expect(open?.shortcut).toBe('Alt+Shift+J');
  await popup.close();
});
