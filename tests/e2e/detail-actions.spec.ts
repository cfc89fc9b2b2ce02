// The job page's Cancel Job / Delete Job in Chromium: every path of issue #4 beyond the PRD's
// three tests, asserting what the server actually received through the emulator's request log.
import { appTest as test, expect, fault, writesTo, requestsSince, lastSeq, recordBadgeTexts, screenshotPath, watchForErrors } from './fixtures';
import type { Locator, Page } from '@playwright/test';

const dialog = (page: Page): Locator => page.getByRole('alertdialog');

test('buttons follow the phase: active, terminal and unknown', async ({ page, emulator }) => {
  const cases: [string, string[]][] = [
    ['collection', ['Cancel Job', 'Delete Job']],
    ['evidence', ['Cancel Job', 'Delete Job']],
    ['completed', ['Delete Job']],
    ['failed', ['Delete Job']],
    ['cancelled', ['Delete Job']],
    ['archiving', []],
  ];
  for (const [phase, labels] of cases) {
    const job = await emulator.createJob(`Phase ${phase}`, phase);
    await page.goto(`/jobs/${job.id}`);
    await expect(page.locator('[data-job-actions="phase-badge"]')).toHaveAttribute('data-source', 'api');
    await expect(page.getByRole('group', { name: 'Job actions' }).getByRole('button')).toHaveText(labels);
  }
});

test('the dialog is a labelled alertdialog with the PRD texts, and Esc sends nothing', async ({ page, emulator }) => {
  const job = await emulator.createJob('Esc check', 'matching');
  await page.goto(`/jobs/${job.id}`);
  const since = await lastSeq(emulator);
  const trigger = page.getByRole('button', { name: 'Cancel Job' });
  await trigger.click();
  const box = dialog(page);
  await expect(box).toHaveAccessibleName('Cancel Job?');
  await expect(box).toHaveAccessibleDescription(
    'This will stop all processing for this job. Workers will be notified to stop, and queued tasks will be removed. This action cannot be undone.',
  );
  await expect(box.getByRole('textbox', { name: 'Reason (optional)' })).toBeVisible();
  // Secondary action left, destructive right; focus starts on the least destructive one.
  await expect(box.getByRole('button')).toHaveText(['Cancel', 'Confirm Cancellation']);
  await expect(box.getByRole('button', { name: 'Cancel', exact: true })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(box).toHaveCount(0);
  await expect(trigger).toBeFocused();
  expect(await writesTo(emulator, since, job.id)).toEqual([]);
});

test('Tab wraps inside the dialog, Enter in the reason confirms, focus returns', async ({ page, emulator }) => {
  const job = await emulator.createJob('Keyboard check', 'matching');
  await page.goto(`/jobs/${job.id}`);
  const since = await lastSeq(emulator);
  await page.getByRole('button', { name: 'Cancel Job' }).focus();
  await page.keyboard.press('Enter');
  const box = dialog(page);
  const reason = box.getByRole('textbox', { name: 'Reason (optional)' });
  const dismiss = box.getByRole('button', { name: 'Cancel', exact: true });
  const confirm = box.getByRole('button', { name: 'Confirm Cancellation' });
  await expect(dismiss).toBeFocused();
  // The confirm button takes focus once armed (the dialog fully visible for half a second).
  await expect(confirm).toBeEnabled();
  await page.keyboard.press('Tab');
  await expect(confirm).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(reason).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(confirm).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(dismiss).toBeFocused();
  // Enter on the secondary button presses it: nothing is sent.
  await page.keyboard.press('Enter');
  await expect(box).toHaveCount(0);
  expect(await writesTo(emulator, since, job.id)).toEqual([]);
  // Reopen, type a reason, Enter confirms — once the dialog has been on screen long enough to
  // read (its confirm button is enabled then), in a reason the user clicked into.
  await page.getByRole('button', { name: 'Cancel Job' }).click();
  await expect(confirm).toBeEnabled();
  await reason.click();
  await reason.fill('via keyboard');
  await reason.press('Enter');
  await expect(page.getByTestId('toast').filter({ hasText: 'Job cancelled successfully' })).toBeVisible();
  const sent = await writesTo(emulator, since, job.id);
  expect(sent.map((request) => [request.method, JSON.parse(request.body!)])).toEqual([
    ['POST', { reason: 'user_request', notes: 'via keyboard' }],
  ]);
});

test('a double click on Cancel Job opens the dialog and leaves it open', async ({ page, emulator }) => {
  const job = await emulator.createJob('Double opener', 'matching');
  await page.goto(`/jobs/${job.id}`);
  const trigger = page.getByRole('button', { name: 'Cancel Job' });
  // With the actions build running (the pointer on the button loads it), both clicks reach it:
  // the second lands on the backdrop of the dialog the first opened.
  await trigger.hover();
  await expect(page.locator('html')).toHaveAttribute('data-job-actions-actions', 'wasm');
  await trigger.dblclick();
  await expect(dialog(page)).toBeVisible();
  await page.waitForTimeout(300);
  await expect(dialog(page)).toBeVisible();
  // A single click on the backdrop still closes it.
  await page.mouse.click(5, 5);
  await expect(dialog(page)).toHaveCount(0);
});

test('a double click on confirm sends exactly one request', async ({ page, emulator }) => {
  const job = await emulator.createJob('Double click', 'evidence');
  await page.goto(`/jobs/${job.id}`);
  const since = await lastSeq(emulator);
  // Slow the answer down so the second click lands while the first request is in flight.
  await fault(emulator, { method: 'POST', path: `/api/jobs/${job.id}/cancel`, delay_ms: 400, times: 1 });
  await page.getByRole('button', { name: 'Cancel Job' }).click();
  await dialog(page).getByRole('button', { name: 'Confirm Cancellation' }).dblclick();
  // While in flight: spinner text, everything disabled, Esc ignored.
  await expect(dialog(page).getByRole('button', { name: 'Cancelling…' })).toBeDisabled();
  await expect(page.getByRole('group', { name: 'Job actions' }).getByRole('button', { name: 'Cancelling…' })).toBeDisabled();
  await expect(page.getByRole('group', { name: 'Job actions' }).getByRole('button', { name: 'Delete Job' })).toBeDisabled();
  await page.keyboard.press('Escape');
  await expect(dialog(page)).toBeVisible();
  await expect(page.getByTestId('toast').filter({ hasText: 'Job cancelled successfully' })).toBeVisible();
  expect((await writesTo(emulator, since, job.id)).length).toBe(1);
});

test('success: grey Cancelled badge, toast, disabled Cancelled button, metadata and banner', async ({ page, emulator }) => {
  const job = await emulator.createJob('Nightly import', 'matching');
  await page.goto(`/jobs/${job.id}`);
  await page.getByRole('button', { name: 'Cancel Job' }).click();
  await dialog(page).getByRole('textbox').fill('Customer requested stop');
  await page.screenshot({ path: screenshotPath('cancel-dialog.png') });
  await dialog(page).getByRole('button', { name: 'Confirm Cancellation' }).click();
  const toast = page.getByTestId('toast').filter({ hasText: 'Job cancelled successfully' });
  await expect(toast).toHaveAttribute('role', 'status');
  const badge = page.locator('.job-header [data-testid="phase-badge"]');
  await expect(badge).toHaveText('Cancelled');
  await expect(badge).toHaveCSS('background-color', 'rgb(234, 238, 242)');
  await expect(page.getByRole('button', { name: 'Cancelled' })).toBeDisabled();
  await expect(page.getByTestId('cancelled-banner')).toHaveText('This job was cancelled. You can delete it to free up storage.');
  const info = page.getByTestId('cancellation-info');
  await expect(info.locator('[data-field="Status"]')).toHaveText('Cancelled');
  await expect(info.locator('[data-field="Reason"]')).toHaveText('user_request');
  await expect(info.locator('[data-field="Notes"]')).toHaveText('Customer requested stop');
  // Shown in the user's local time, not as the raw RFC 3339 string.
  const server = (await emulator.api<{ cancelled_at: string }>('GET', `/api/jobs/${job.id}`)).cancelled_at;
  const local = await page.evaluate((iso) => new Date(iso).toLocaleString('default'), server);
  await expect(info.locator('[data-field="Cancelled at"]')).toHaveText(local);
  await page.screenshot({ path: screenshotPath('cancelled-job.png') });
  // The toast dismisses itself after 5 s.
  await expect(toast).toHaveCount(0, { timeout: 8_000 });
});

test('a 500 keeps the dialog and the typed reason; closing and reopening keeps it too; retry sends it', async ({ page, emulator }) => {
  const job = await emulator.createJob('Flaky backend', 'collection');
  await page.goto(`/jobs/${job.id}`);
  const since = await lastSeq(emulator);
  await fault(emulator, { method: 'POST', path: `/api/jobs/${job.id}/cancel`, status: 500, detail: 'Queue unavailable', times: 1 });
  await page.getByRole('button', { name: 'Cancel Job' }).click();
  await dialog(page).getByRole('textbox').fill('stuck for 3 hours');
  await dialog(page).getByRole('button', { name: 'Confirm Cancellation' }).click();
  const message = 'Failed to cancel job: The server refused the request: Queue unavailable';
  await expect(page.getByRole('alert').filter({ hasText: message }).first()).toBeVisible();
  await expect(page.getByTestId('toast').filter({ hasText: message })).toHaveAttribute('role', 'alert');
  await expect(dialog(page).getByTestId('dialog-error')).toHaveText(message);
  await expect(dialog(page).getByRole('textbox')).toHaveValue('stuck for 3 hours');
  // A 5xx may pass on a second try: the confirm button offers exactly that.
  await expect(dialog(page).getByRole('button', { name: 'Retry' })).toBeEnabled();
  await dialog(page).getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Cancel Job' })).toBeEnabled();
  await page.getByRole('button', { name: 'Cancel Job' }).click();
  await expect(dialog(page).getByRole('textbox')).toHaveValue('stuck for 3 hours');
  await dialog(page).getByRole('button', { name: 'Confirm Cancellation' }).click();
  await expect(page.locator('.job-header [data-testid="phase-badge"]')).toHaveText('Cancelled');
  const sent = await writesTo(emulator, since, job.id);
  expect(sent.map((request) => [request.status, JSON.parse(request.body!).notes])).toEqual([
    [500, 'stuck for 3 hours'],
    [200, 'stuck for 3 hours'],
  ]);
});

test('network down, then retry with the same reason', async ({ page, emulator }) => {
  const job = await emulator.createJob('Offline moment', 'matching');
  await page.goto(`/jobs/${job.id}`);
  await page.route(`**/api/jobs/${job.id}/cancel`, (route) => route.abort('internetdisconnected'));
  await page.getByRole('button', { name: 'Cancel Job' }).click();
  await dialog(page).getByRole('textbox').fill('network test');
  await dialog(page).getByRole('button', { name: 'Confirm Cancellation' }).click();
  await expect(dialog(page).getByTestId('dialog-error')).toHaveText(
    'Failed to cancel job: Could not reach the server. Check your connection, then retry.',
  );
  await page.unroute(`**/api/jobs/${job.id}/cancel`);
  await expect(dialog(page).getByRole('textbox')).toHaveValue('network test');
  await dialog(page).getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByTestId('toast').filter({ hasText: 'Job cancelled successfully' })).toBeVisible();
  const job_now = await emulator.api<{ phase: string; cancellation_notes: string }>('GET', `/api/jobs/${job.id}`);
  expect([job_now.phase, job_now.cancellation_notes]).toEqual(['cancelled', 'network test']);
});

test('a reason over 500 characters is refused with a specific message, nothing sent', async ({ page, emulator }) => {
  const job = await emulator.createJob('Long reason', 'matching');
  await page.goto(`/jobs/${job.id}`);
  const since = await lastSeq(emulator);
  await page.getByRole('button', { name: 'Cancel Job' }).click();
  const reason = dialog(page).getByRole('textbox');
  await reason.fill('x'.repeat(500));
  await expect(dialog(page).getByTestId('reason-count')).toHaveText('500 / 500');
  await reason.fill('x'.repeat(501));
  await expect(dialog(page).getByTestId('reason-count')).toHaveText('501 / 500');
  await expect(reason).toHaveAttribute('aria-invalid', 'true');
  await dialog(page).getByRole('button', { name: 'Confirm Cancellation' }).click();
  await expect(dialog(page).getByTestId('dialog-error')).toHaveText('The reason is 501 characters long; shorten it to 500 or fewer.');
  expect(await writesTo(emulator, since, job.id)).toEqual([]);
});

test('404 during cancel and during delete: back to the list with an info toast', async ({ page, emulator }) => {
  for (const action of ['Cancel Job', 'Delete Job']) {
    const job = await emulator.createJob(`Gone before ${action}`, 'evidence');
    await page.goto(`/jobs/${job.id}`);
    await expect(page.getByRole('button', { name: action })).toBeVisible();
    // Someone else deletes the job just before the action reaches the server (deleting it
    // earlier would let a poll find it gone first, and the page would never offer the action).
    await page.route(new RegExp(`/api/jobs/${job.id}(/cancel)?(\\?.*)?$`), async (route) => {
      if (route.request().method() !== 'GET') await emulator.api('DELETE', `/api/jobs/${job.id}?force=true`);
      await route.fallback();
    });
    await page.getByRole('button', { name: action }).click();
    const confirm = action === 'Cancel Job' ? 'Confirm Cancellation' : 'Delete Permanently';
    await dialog(page).getByRole('button', { name: confirm }).click();
    await expect(page).toHaveURL('/jobs');
    await expect(page.getByTestId('toast')).toHaveText(/Job not found or already deleted/);
    await expect(page.getByTestId('toast')).toHaveAttribute('role', 'status');
    await page.unrouteAll();
  }
});

test('delete: busy screen, success toast carried to the list, server confirms everything is gone', async ({ page, emulator }) => {
  const job = await emulator.createJob('Delete me', 'failed');
  await page.goto(`/jobs/${job.id}`);
  await fault(emulator, { method: 'DELETE', path: `/api/jobs/${job.id}`, delay_ms: 500, times: 1 });
  await page.getByRole('button', { name: 'Delete Job' }).click();
  await expect(dialog(page)).toContainText('This will permanently delete:');
  await expect(dialog(page)).not.toContainText('still running');
  await dialog(page).getByRole('button', { name: 'Delete Permanently' }).click();
  await expect(page.getByTestId('busy-overlay')).toContainText('Deleting…');
  await expect(page).toHaveURL('/jobs');
  await expect(page.getByTestId('toast')).toHaveText(/Job deleted successfully/);
  await expect(page.locator(`[data-job-id="${job.id}"]`)).toHaveCount(0);
  const data = await emulator.api<{ total: number }>('GET', `/_emulator/jobs/${job.id}/data`);
  expect(data.total).toBe(0);
});

test('Delete Job on a running job: the server saw the cancel, then one plain delete once it stopped', async ({ page, emulator }) => {
  // Issue #23: the dialog promises "cancelled first, then deleted after workers acknowledge".
  const job = await emulator.createJob('Still running', 'feature_extraction');
  await page.goto(`/jobs/${job.id}`);
  const since = await lastSeq(emulator);
  await page.getByRole('button', { name: 'Delete Job' }).click();
  await expect(dialog(page)).toContainText('It will be cancelled first, then deleted after workers acknowledge.');
  await dialog(page).getByRole('button', { name: 'Delete Permanently' }).click();
  await expect(page).toHaveURL('/jobs');
  const sent = await writesTo(emulator, since, job.id);
  expect(sent.map((request) => [request.method, request.query, request.status])).toEqual([
    ['POST', null, 200],
    ['DELETE', 'force=false', 200],
  ]);
});

test('Force delete dialog: its words, focus on Cancel, one forced delete', async ({ page, emulator }) => {
  // A job whose cancel was accepted 40 s ago and whose workers have not stopped (PRD §5.6).
  const job = await emulator.api<{ id: string }>('POST', '/api/jobs', { title: 'Workers stuck', phase: 'evidence', cancel_requested_s_ago: 40 });
  await page.goto(`/jobs/${job.id}`);
  const since = await lastSeq(emulator);
  await page.getByTestId('force-delete-job').click();
  await expect(dialog(page)).toHaveAccessibleName('Force delete?');
  await expect(dialog(page)).toContainText('Job is still running. Cancel it first or use force delete?');
  await expect(dialog(page).getByRole('button', { name: 'Cancel', exact: true })).toBeFocused();
  await dialog(page).getByRole('button', { name: 'Force Delete' }).click();
  await expect(page).toHaveURL('/jobs');
  const sent = await writesTo(emulator, since, job.id);
  expect(sent.map((request) => [request.method, request.query, request.status])).toEqual([['DELETE', 'force=true', 200]]);
});

test('other delete errors keep the job and re-enable the button', async ({ page, emulator }) => {
  const job = await emulator.createJob('Delete fails', 'completed');
  await page.goto(`/jobs/${job.id}`);
  await fault(emulator, { method: 'DELETE', path: `/api/jobs/${job.id}`, status: 503, times: 1 });
  await page.getByRole('button', { name: 'Delete Job' }).click();
  await dialog(page).getByRole('button', { name: 'Delete Permanently' }).click();
  await expect(page.getByTestId('toast').filter({ hasText: 'Failed to delete job: The server had a problem (HTTP 503). Try again in a moment.' })).toBeVisible();
  await expect(page.getByTestId('busy-overlay')).toHaveCount(0);
  await dialog(page).getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Delete Job' })).toBeEnabled();
  expect(page.url()).toContain(`/jobs/${job.id}`);
});

test('the page follows the server: a job the worker advances updates without reload', async ({ page, emulator }) => {
  const job = await emulator.createJob('Advancing', 'matching');
  await page.goto(`/jobs/${job.id}`);
  const badge = page.locator('.job-header [data-testid="phase-badge"]');
  await expect(badge).toHaveText('Matching');
  await emulator.api('POST', '/_emulator/worker/tick');
  await expect(badge).toHaveText('Evidence', { timeout: 15_000 });
  await expect(page.locator('.job-header .job-phase')).toHaveText('matching'); // the host's own text is stale
  // Conditional re-reads: unchanged answers come back as 304.
  const since = await lastSeq(emulator);
  await expect.poll(async () => (await requestsSince(emulator, since)).filter((r) => r.path === `/api/jobs/${job.id}` && r.status === 304).length, { timeout: 15_000 }).toBeGreaterThan(0);
});

test('a stale poll does not undo a cancel the user just made', async ({ page, emulator }) => {
  const job = await emulator.createJob('Race', 'matching');
  await page.goto(`/jobs/${job.id}`);
  await expect(page.getByRole('button', { name: 'Cancel Job' })).toBeVisible();
  // The next re-read is answered at once but delivered 3 s later: it is read before the
  // cancel and arrives after it, saying the job is still running.
  await fault(emulator, { method: 'GET', path: `/api/jobs/${job.id}`, hold_response_ms: 3000, times: 1 });
  // The worker moves the job on, so that read carries news (a 200, not a 304): "evidence".
  await emulator.api('POST', '/_emulator/worker/tick');
  await page.waitForTimeout(2_500); // the poller's first re-read (at ~2 s) is now in flight
  const seen = await recordBadgeTexts(page, '.job-header [data-job-actions="phase-badge"]');
  await page.getByRole('button', { name: 'Cancel Job' }).click();
  await dialog(page).getByRole('button', { name: 'Confirm Cancellation' }).click();
  const badge = page.locator('.job-header [data-testid="phase-badge"]');
  await expect(badge).toHaveText('Cancelled');
  await page.waitForTimeout(3_500);
  await expect(badge).toHaveText('Cancelled');
  // Not even for a moment: every text the badge showed since the cancel.
  expect(await seen()).toEqual(['Cancelled']);
  const held = (await requestsSince(emulator, 0)).filter((r) => r.path === `/api/jobs/${job.id}` && r.fault === 'hold response 3000 ms');
  expect(held.length).toBe(1);
});

test('strict-CSP page: the whole cancel flow works on the wasm2js build', async ({ page, emulator }) => {
  const job = await emulator.createJob('Strict page', 'collection');
  const errors = watchForErrors(page);
  await page.goto(`/jobs/${job.id}?csp=strict`);
  await expect(page.locator('html')).toHaveAttribute('data-job-actions-engine', 'js');
  await page.getByRole('button', { name: 'Cancel Job' }).click();
  await dialog(page).getByRole('textbox').fill('strict');
  await dialog(page).getByRole('button', { name: 'Confirm Cancellation' }).click();
  await expect(page.locator('.job-header [data-testid="phase-badge"]')).toHaveText('Cancelled');
  await expect(page.getByTestId('toast')).toHaveCSS('border-left-color', 'rgb(26, 127, 55)');
  expect(errors).toEqual([]);
});

test('a hostile job title is shown as text in the dialog', async ({ page, emulator }) => {
  const title = '<img src=x onerror=alert(1)>';
  const job = await emulator.createJob(title, 'matching');
  let dialogs = 0;
  page.on('dialog', async (jsDialog) => {
    dialogs += 1;
    await jsDialog.dismiss();
  });
  await page.goto(`/jobs/${job.id}`);
  await page.getByRole('button', { name: 'Delete Job' }).click();
  await expect(dialog(page).getByTestId('dialog-job-title')).toHaveText(title);
  await expect(dialog(page).locator('img')).toHaveCount(0);
  expect(dialogs).toBe(0);
});
