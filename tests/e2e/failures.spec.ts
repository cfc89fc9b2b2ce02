// The failure matrix of issue #10 (PRD §5.6, §9, §11) on the job page and in the popup, in
// Chromium: each failure injected with the emulator's fault switch, each with its defined outcome,
// and what the server received read back from the request log.
import { appTest as test, expect, requestsSince, lastSeq, popupUrl, openPopup, fault, recordMatrix, consoleLines, type Emulator } from './fixtures';
import type { BrowserContext, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

/** axe-core WCAG 2.1 A/AA violations on the page as it is now (recorded for the matrix table). */
async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  recordMatrix({ axe_violations: results.violations.length });
  return results.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

/** The cancel POSTs for a job since `seq`, with their bodies and what the server answered. */
async function cancels(emulator: Emulator, seq: number, jobId: string) {
  return (await requestsSince(emulator, seq)).filter((entry) => entry.method === 'POST' && entry.path === `/api/jobs/${jobId}/cancel`);
}

type Surface = 'job page' | 'list menu' | 'popup';

/** Opens the cancel dialog of `jobId` on its page, from its list row's menu, or on its popup row,
 * and types a reason. */
async function startCancel(where: Surface, page: Page, context: BrowserContext, emulator: Emulator, jobId: string, title: string): Promise<Page> {
  let surface = page;
  if (where === 'job page') {
    await page.goto(`/jobs/${jobId}`);
    await page.getByRole('button', { name: 'Cancel Job' }).click();
  } else if (where === 'list menu') {
    await page.goto('/jobs');
    await page.locator(`tr[data-job-id="${jobId}"]`).getByTestId('row-menu-button').click();
    await page.getByRole('menuitem', { name: 'Cancel Job' }).click();
  } else {
    surface = await openPopup(context, emulator.origin);
    await surface.getByRole('button', { name: `Cancel Job: ${title}` }).click();
  }
  await surface.getByRole('alertdialog').getByTestId('cancel-reason').fill('typed before the failure');
  return surface;
}

// Popups opened here must not outlive their test: an open popup keeps polling the shared
// emulator, and later tests count its requests.
test.afterEach(async ({ extensionContext }) => {
  for (const open of extensionContext.pages()) {
    if (open.url().startsWith('chrome-extension://')) await open.close();
  }
});

for (const where of ['job page', 'list menu', 'popup'] as const) {
  test(`${where}: a dropped connection keeps the dialog and the reason; Retry resends the same request`, { tag: '@matrix' }, async ({ page, emulator, extensionContext }) => {
    const job = await emulator.createJob(`Dropped (${where})`, 'matching');
    const surface = await startCancel(where, page, extensionContext, emulator, job.id, job.title);
    const seq = await lastSeq(emulator);
    await fault(emulator, { method: 'POST', path: `/api/jobs/${job.id}/cancel`, drop: true, times: 1 });
    const dialog = surface.getByRole('alertdialog');
    await dialog.getByTestId('dialog-confirm').click();
    await expect(dialog.getByTestId('dialog-error')).toHaveText('Failed to cancel job: Could not reach the server. Check your connection, then retry.');
    const kept = await dialog.getByTestId('cancel-reason').inputValue();
    await expect(dialog.getByTestId('cancel-reason')).toHaveValue('typed before the failure');
    await expect(dialog.getByTestId('dialog-confirm')).toHaveText('Retry');
    await dialog.getByTestId('dialog-confirm').click();
    await expect(surface.getByTestId('toast').filter({ hasText: 'Job cancelled successfully' })).toBeVisible();
    const sent = await cancels(emulator, seq, job.id);
    // Two confirms (the first dropped, then Retry): two requests.
    recordMatrix({ destructive_sent_twice: sent.length - 2, reasons_lost: kept === 'typed before the failure' ? 0 : 1 });
    expect(sent.map((entry) => entry.fault ?? 'ok')).toEqual(['dropped connection', 'ok']);
    expect(sent[0].body).toBe(sent[1].body);
    expect(JSON.parse(sent[1].body!).notes).toBe('typed before the failure');
  });

  test(`${where}: 401 says to sign in, links to the app, and the retry needs no retyping`, { tag: '@matrix' }, async ({ page, emulator, extensionContext }) => {
    const job = await emulator.createJob(`Expired session (${where})`, 'evidence');
    const surface = await startCancel(where, page, extensionContext, emulator, job.id, job.title);
    await fault(emulator, { method: 'POST', path: `/api/jobs/${job.id}/cancel`, status: 401, detail: 'Not authenticated', times: 1 });
    const seq = await lastSeq(emulator);
    const dialog = surface.getByRole('alertdialog');
    await dialog.getByTestId('dialog-confirm').click();
    await expect(dialog.getByTestId('dialog-error')).toHaveText('Failed to cancel job: Your session has expired. Sign in to the app again, then retry.');
    const signIn = dialog.getByTestId('dialog-sign-in');
    await expect(signIn).toBeVisible();
    await expect(signIn).toHaveAttribute('href', `${emulator.origin}/`);
    await expect(signIn).toHaveAttribute('target', '_blank');
    await expect(dialog.getByTestId('dialog-confirm')).toHaveText('Retry');
    expect(await axeViolations(surface)).toEqual([]);
    await dialog.getByTestId('dialog-confirm').click();
    await expect(surface.getByTestId('toast').filter({ hasText: 'Job cancelled successfully' })).toBeVisible();
    const stored = await emulator.api<{ cancellation_notes: string }>('GET', `/api/jobs/${job.id}`);
    recordMatrix({
      destructive_sent_twice: (await cancels(emulator, seq, job.id)).length - 2,
      reasons_lost: stored.cancellation_notes === 'typed before the failure' ? 0 : 1,
    });
    expect(stored.cancellation_notes).toBe('typed before the failure');
  });

  test(`${where}: 403 disables the actions with the reason as their description`, { tag: '@matrix' }, async ({ page, emulator, extensionContext }) => {
    const job = await emulator.createJob(`Forbidden (${where})`, 'collection');
    const surface = await startCancel(where, page, extensionContext, emulator, job.id, job.title);
    await fault(emulator, { method: 'POST', path: `/api/jobs/${job.id}/cancel`, status: 403, detail: 'Forbidden', times: 1 });
    const before = await lastSeq(emulator);
    await surface.getByRole('alertdialog').getByTestId('dialog-confirm').click();
    const message = "You don't have permission to cancel this job. Ask an admin.";
    await expect(surface.getByTestId('toast').filter({ hasText: message })).toBeVisible();
    await expect(surface.getByRole('alertdialog')).toHaveCount(0);
    if (where === 'list menu') await surface.locator(`tr[data-job-id="${job.id}"]`).getByTestId('row-menu-button').click();
    await expect(surface.getByTestId('actions-refused')).toHaveText(message);
    const cancel =
      where === 'job page'
        ? surface.getByTestId('cancel-job')
        : where === 'list menu'
          ? surface.getByRole('menuitem', { name: 'Cancel Job' })
          : surface.getByRole('button', { name: `Cancel Job: ${job.title}` });
    await expect(cancel).toBeDisabled();
    await expect(cancel).toHaveAccessibleDescription(message);
    expect(await axeViolations(surface)).toEqual([]);
    const seq = await lastSeq(emulator);
    await cancel.click({ force: true });
    await expect(surface.getByRole('alertdialog')).toHaveCount(0);
    // One confirm, one request; the disabled button sends nothing.
    recordMatrix({ destructive_sent_twice: (await cancels(emulator, before, job.id)).length - 1 });
    expect(await cancels(emulator, seq, job.id)).toEqual([]);
  });
}

test('job page: a request that times out is aborted, the user is told, and the job is re-read', { tag: '@matrix' }, async ({ page, emulator }) => {
  test.setTimeout(60_000);
  const job = await emulator.createJob('Slow cancel', 'matching');
  await page.goto(`/jobs/${job.id}`);
  await page.getByRole('button', { name: 'Cancel Job' }).click();
  // The server takes 17 s, past the client's 15 s; the cancel still happens on the server.
  await fault(emulator, { method: 'POST', path: `/api/jobs/${job.id}/cancel`, hold_response_ms: 17_000, times: 1 });
  const seq = await lastSeq(emulator);
  const dialog = page.getByRole('alertdialog');
  await dialog.getByTestId('dialog-confirm').click();
  await expect(dialog.getByTestId('dialog-error')).toHaveText('Failed to cancel job: The server did not answer within 15 s. Check the job\'s state, then retry.', { timeout: 20_000 });
  await expect(dialog.getByTestId('dialog-confirm')).toHaveText('Retry');
  // The job is read again after the timeout, before any retry: it shows what the server did.
  await expect.poll(async () => (await requestsSince(emulator, seq)).some((entry) => entry.method === 'GET' && entry.path === `/api/jobs/${job.id}`)).toBe(true);
  await expect(page.locator('[data-job-actions="phase-badge"]')).toHaveAttribute('data-phase', 'cancelled');
  // The held answer is logged when it is finally sent (17 s after the request).
  await expect.poll(async () => (await cancels(emulator, seq, job.id)).length, { timeout: 10_000 }).toBeGreaterThan(0);
  recordMatrix({ destructive_sent_twice: (await cancels(emulator, seq, job.id)).length - 1 });
});

test('job page: a 5xx shows a safe detail, and never an HTML error page', { tag: '@matrix' }, async ({ page, emulator }) => {
  const job = await emulator.createJob('Server errors', 'matching');
  await page.goto(`/jobs/${job.id}`);
  await page.getByRole('button', { name: 'Cancel Job' }).click();
  const dialog = page.getByRole('alertdialog');
  await fault(emulator, { method: 'POST', path: `/api/jobs/${job.id}/cancel`, status: 502, body: '<html><body><h1>502 Bad Gateway</h1><script>window.__pwned=1</script></body></html>', times: 1 });
  await dialog.getByTestId('dialog-confirm').click();
  await expect(dialog.getByTestId('dialog-error')).toHaveText('Failed to cancel job: The server had a problem (HTTP 502). Try again in a moment.');
  await fault(emulator, { method: 'POST', path: `/api/jobs/${job.id}/cancel`, status: 500, detail: 'Traceback (most recent call last):\n  File "/srv/app.py", line 3', times: 1 });
  await dialog.getByTestId('dialog-confirm').click();
  await expect(dialog.getByTestId('dialog-error')).toHaveText('Failed to cancel job: The server had a problem (HTTP 500). Try again in a moment.');
  await fault(emulator, { method: 'POST', path: `/api/jobs/${job.id}/cancel`, status: 503, detail: 'Queue unavailable, try later', times: 1 });
  await dialog.getByTestId('dialog-confirm').click();
  await expect(dialog.getByTestId('dialog-error')).toHaveText('Failed to cancel job: The server refused the request: Queue unavailable, try later');
  const executions = await page.evaluate(() => (window as any).__pwned ?? 0);
  recordMatrix({ script_executions: executions });
  expect(executions).toBe(0);
  expect(await page.locator('h1', { hasText: '502 Bad Gateway' }).count()).toBe(0);
});

test('job page: an unknown phase, then an unreadable answer: a neutral Unknown badge, no actions, a console line', { tag: '@matrix' }, async ({ page, emulator }) => {
  const job = await emulator.createJob('Odd answers', 'matching');
  const warnings: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'warning' && message.text().startsWith('[job-actions]')) warnings.push(message.text());
  });
  await page.goto(`/jobs/${job.id}`);
  const badge = page.locator('[data-job-actions="phase-badge"]');
  await expect(badge).toHaveAttribute('data-phase', 'matching');
  await fault(emulator, { method: 'GET', path: `/api/jobs/${job.id}`, status: 200, body: JSON.stringify({ id: job.id, title: job.title, phase: 'archiving' }), times: 1 });
  await expect(badge).toHaveAttribute('data-phase', 'archiving', { timeout: 40_000 });
  await expect(badge.getByTestId('phase-badge')).toHaveAttribute('data-variant', 'unknown');
  await expect(page.getByRole('group', { name: 'Job actions' })).toHaveCount(0);
  expect(warnings).toContain(`[job-actions] job \`${job.id}\` has a phase this extension does not know (\`archiving\`): no actions`);
  await fault(emulator, { method: 'GET', path: `/api/jobs/${job.id}`, status: 200, body: '{"id": "unterminated', times: 1 });
  // The answer after it is held a moment, so the Unknown state is still on screen when checked
  // (a poll retried quickly after the unreadable one brought the job back before the check could
  // look, now and then).
  await fault(emulator, { method: 'GET', path: `/api/jobs/${job.id}`, delay_ms: 4_000, times: 1 });
  await expect.poll(() => warnings.some((line) => line.startsWith(`[job-actions] the API's answer for job \`${job.id}\` is unreadable`)), { timeout: 40_000 }).toBe(true);
  await expect(badge.getByTestId('phase-badge')).toHaveText('Unknown');
  await expect(page.getByRole('group', { name: 'Job actions' })).toHaveCount(0);
  // The next readable answer brings the job back, with its actions.
  await expect(badge).toHaveAttribute('data-phase', 'matching', { timeout: 40_000 });
  await expect(page.getByRole('group', { name: 'Job actions' }).getByRole('button')).toHaveText(['Cancel Job', 'Delete Job']);
});

test('job page: leaving mid-request aborts it, and nothing is applied to the next page', { tag: '@matrix' }, async ({ page, emulator }) => {
  const job = await emulator.createJob('Left mid-request', 'matching');
  await page.goto(`/jobs/${job.id}`);
  await page.getByRole('button', { name: 'Cancel Job' }).click();
  await fault(emulator, { method: 'POST', path: `/api/jobs/${job.id}/cancel`, delay_ms: 3_000, times: 1 });
  const seq = await lastSeq(emulator);
  await page.getByRole('alertdialog').getByTestId('dialog-confirm').click();
  await expect(page.getByRole('alertdialog').getByTestId('dialog-confirm')).toBeDisabled();
  await page.goto('/jobs');
  await expect(page.locator(`tr[data-job-id="${job.id}"] [data-job-actions="phase-badge"]`)).toHaveAttribute('data-source', 'api');
  // The request was abandoned before the server acted on it: the job still runs, no toast says otherwise.
  await expect.poll(async () => (await cancels(emulator, seq, job.id)).map((entry) => entry.status), { timeout: 10_000 }).toEqual([0]);
  await page.waitForTimeout(1_000);
  await expect(page.getByTestId('toast')).toHaveCount(0);
  expect((await emulator.api<{ phase: string }>('GET', `/api/jobs/${job.id}`)).phase).toBe('matching');
  await expect(page.locator(`tr[data-job-id="${job.id}"] [data-testid="phase-badge"]`)).toHaveText('Matching');
  recordMatrix({ destructive_sent_twice: (await cancels(emulator, seq, job.id)).length - 1 });
});

test('job page: a typed reason survives a failed request and a reload, until the cancel succeeds', { tag: '@matrix' }, async ({ page, emulator, extensionContext }) => {
  const job = await emulator.createJob('Reason across a reload', 'matching');
  await page.goto(`/jobs/${job.id}`);
  await page.getByRole('button', { name: 'Cancel Job' }).click();
  await fault(emulator, { method: 'POST', path: `/api/jobs/${job.id}/cancel`, status: 503, times: 1 });
  await page.getByRole('alertdialog').getByTestId('cancel-reason').fill('typed, then the page reloaded');
  await page.getByRole('alertdialog').getByTestId('dialog-confirm').click();
  await expect(page.getByRole('alertdialog').getByTestId('dialog-error')).toBeVisible();
  await page.reload();
  await page.getByRole('button', { name: 'Cancel Job' }).click();
  const after = await page.getByRole('alertdialog').getByTestId('cancel-reason').inputValue();
  recordMatrix({ reasons_lost: after === 'typed, then the page reloaded' ? 0 : 1 });
  expect(after).toBe('typed, then the page reloaded');
  await page.getByRole('alertdialog').getByTestId('dialog-confirm').click();
  await expect(page.locator('[data-job-actions="phase-badge"]')).toHaveAttribute('data-phase', 'cancelled');
  expect((await emulator.api<{ cancellation_notes: string }>('GET', `/api/jobs/${job.id}`)).cancellation_notes).toBe('typed, then the page reloaded');
  // Cleared after the success: session storage holds no reason for this job any more.
  const inspector = await extensionContext.newPage();
  await inspector.goto(popupUrl());
  await expect
    .poll(() => inspector.evaluate(async (key) => (await chrome.storage.session.get(key))[key] ?? null, `reason:${emulator.origin}/api#${job.id}`))
    .toBeNull();
});

test.describe('popup', () => {
  test('popup: cancelled elsewhere meanwhile → "already cancelled", with when and why from the answer', { tag: '@matrix' }, async ({ emulator, extensionContext }) => {
    const job = await emulator.createJob('Cancelled elsewhere', 'matching');
    const popup = await openPopup(extensionContext, emulator.origin);
    await popup.getByRole('button', { name: `Cancel Job: ${job.title}` }).click();
    await emulator.api('POST', `/api/jobs/${job.id}/cancel`, { reason: 'user_request', notes: 'from another tab' });
    const seq = await lastSeq(emulator);
    await popup.getByRole('alertdialog').getByTestId('dialog-confirm').click();
    await expect(popup.getByTestId('toast').filter({ hasText: 'This job has already been cancelled.' })).toHaveAttribute('data-kind', 'info');
    await expect(popup.locator(`[data-job-id="${job.id}"] [data-testid="phase-badge"]`)).toHaveAttribute('data-phase', 'cancelled');
    // When and why, from the cancel's answer: the first cancellation's notes.
    await expect(popup.locator(`[data-job-id="${job.id}"] [data-testid="cancellation"]`)).toHaveText(/^Cancelled (just now|\d+ s ago): from another tab$/);
    recordMatrix({ destructive_sent_twice: (await cancels(emulator, seq, job.id)).length - 1 });
  });

  test('popup: finished at cancel time → its real state with an info message, no error', { tag: '@matrix' }, async ({ emulator, extensionContext }) => {
    const job = await emulator.createJob('Finished meanwhile', 'evidence');
    const popup = await openPopup(extensionContext, emulator.origin);
    await popup.getByRole('button', { name: `Cancel Job: ${job.title}` }).click();
    const answer = { job_id: job.id, phase: 'completed', cancelled_at: null, reason: null, notes: null, message: 'Job already completed; nothing to cancel' };
    await fault(emulator, { method: 'POST', path: `/api/jobs/${job.id}/cancel`, status: 200, body: JSON.stringify(answer), times: 1 });
    await popup.getByRole('alertdialog').getByTestId('dialog-confirm').click();
    await expect(popup.getByTestId('toast').filter({ hasText: 'This job had already finished (completed); there was nothing to cancel.' })).toHaveAttribute('data-kind', 'info');
    await expect(popup.locator(`[data-job-id="${job.id}"] [data-testid="phase-badge"]`)).toHaveAttribute('data-phase', 'completed');
    await expect(popup.getByRole('alertdialog')).toHaveCount(0);
    await expect(popup.getByTestId('toast').and(popup.locator('[data-kind="error"]'))).toHaveCount(0);
  });

  test('popup: deleted elsewhere mid-action (404) → "not found", the row leaves', { tag: '@matrix' }, async ({ emulator, extensionContext }) => {
    const job = await emulator.createJob('Deleted elsewhere', 'completed');
    const popup = await openPopup(extensionContext, emulator.origin);
    await popup.getByRole('button', { name: `Delete Job: ${job.title}` }).click();
    await emulator.api('DELETE', `/api/jobs/${job.id}?force=true`);
    await popup.getByRole('alertdialog').getByTestId('dialog-confirm').click();
    await expect(popup.getByTestId('toast').filter({ hasText: 'Job not found or already deleted' })).toBeVisible();
    await expect(popup.locator(`[data-job-id="${job.id}"]`)).toHaveCount(0);
  });

  test('popup: an unknown phase shows a neutral badge and no actions', { tag: '@matrix' }, async ({ emulator, extensionContext }) => {
    const job = await emulator.createJob('From a newer backend', 'archiving');
    const popup = await openPopup(extensionContext, emulator.origin);
    const row = popup.locator(`[data-job-id="${job.id}"]`);
    await expect(row.getByTestId('phase-badge')).toHaveAttribute('data-variant', 'unknown');
    await expect(row.getByTestId('phase-badge')).toHaveText('Unknown');
    await expect(row.getByRole('button')).toHaveCount(0);
  });

  test('popup: a cancel that times out is aborted, the user is told, and the list is re-read', { tag: '@matrix' }, async ({ emulator, extensionContext }) => {
    test.setTimeout(60_000);
    const job = await emulator.createJob('Slow popup cancel', 'matching');
    const popup = await openPopup(extensionContext, emulator.origin);
    await popup.getByRole('button', { name: `Cancel Job: ${job.title}` }).click();
    await fault(emulator, { method: 'POST', path: `/api/jobs/${job.id}/cancel`, hold_response_ms: 17_000, times: 1 });
    const seq = await lastSeq(emulator);
    const dialog = popup.getByRole('alertdialog');
    await dialog.getByTestId('dialog-confirm').click();
    await expect(dialog.getByTestId('dialog-error')).toHaveText("Failed to cancel job: The server did not answer within 15 s. Check the job's state, then retry.", { timeout: 20_000 });
    await expect(dialog.getByTestId('dialog-confirm')).toHaveText('Retry');
    // Re-read at once: the row shows what the server did before the user decides to retry.
    await expect(popup.locator(`[data-job-id="${job.id}"] [data-testid="phase-badge"]`)).toHaveAttribute('data-phase', 'cancelled', { timeout: 5_000 });
    await expect.poll(async () => (await cancels(emulator, seq, job.id)).length, { timeout: 10_000 }).toBeGreaterThan(0);
    recordMatrix({ destructive_sent_twice: (await cancels(emulator, seq, job.id)).length - 1 });
  });
});

// Issue #23: every failed request leaves exactly one `[job-actions]` console line with the action,
// the job, the endpoint, what the server answered (its detail only when safe text) and the time —
// never the typed reason, a token or the server's unsafe text.
for (const where of ['job page', 'popup'] as const) {
  test(`${where}: each failed request leaves one console line a developer can hand on, with no secrets`, async ({ page, emulator, extensionContext }) => {
    const kinds: [string, Record<string, unknown>, RegExp][] = [
      ['dropped', { drop: true }, /→ no answer/],
      ['500', { status: 500, detail: 'Traceback (most recent call last):\n  File "/srv/app.py"' }, /→ 500 after \d+ ms$/],
      ['503', { status: 503, detail: 'Queue unavailable, try later' }, /→ 503 "Queue unavailable, try later" after \d+ ms$/],
      ['403', { status: 403, detail: 'Forbidden' }, /→ 403 "Forbidden" after \d+ ms$/],
    ];
    for (const [kind, rule, answer] of kinds) {
      const job = await emulator.createJob(`Logged ${kind} (${where})`, 'matching');
      const surface = await startCancel(where, page, extensionContext, emulator, job.id, job.title);
      const lines = consoleLines(surface);
      await fault(emulator, { method: 'POST', path: `/api/jobs/${job.id}/cancel`, times: 1, ...rule });
      const dialog = surface.getByRole('alertdialog');
      await dialog.getByTestId('dialog-confirm').click();
      const failed = () => lines.filter((line) => line.includes(`cancel of job "${job.id}" failed`));
      await expect.poll(() => failed().length, { message: `${where}, ${kind}` }).toBe(1);
      const [line] = failed();
      expect(line.startsWith('[job-actions] '), line).toBe(true);
      expect(line, line).toContain(`POST ${emulator.origin}/api/jobs/${job.id}/cancel → `);
      expect(line, line).toMatch(answer);
      for (const secret of ['typed before the failure', 'Traceback', 'Authorization', 'Bearer']) expect(line, line).not.toContain(secret);
      // Close whatever the failure left open before the next kind.
      if (await dialog.count()) await surface.keyboard.press('Escape');
      await surface.waitForTimeout(300);
      expect(failed().length, `still one line for ${kind}`).toBe(1);
      if (where === 'popup') await surface.close();
    }
  });
}
