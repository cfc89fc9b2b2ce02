// Hostile input (issue #10): titles, reasons and server text with markup, script, bidi overrides
// and 10,000 characters render as text and run nothing; ids with `/`, `%2F`, `?`, `#`, unicode
// stay one path segment, so a request never leaves /api/jobs/{id}; `..` is refused before sending.
import { appTest as test, expect, requestsSince, lastSeq, openPopup, recordMatrix } from './fixtures';
import type { Page } from '@playwright/test';

const SCRIPTY = '<img src=x onerror="window.__pwned=(window.__pwned||0)+1"><script>window.__pwned=1</script>';
const RTL = 'invoice\u202Egpj.exe';
const LONG = 'L'.repeat(10_000);

/** How many times hostile text ran as script in `page` (recorded for the matrix table). */
async function pwned(page: Page): Promise<number> {
  const executions: number = await page.evaluate(() => (window as any).__pwned ?? 0);
  recordMatrix({ script_executions: executions });
  return executions;
}

test('hostile titles, reasons and notes render as text on the job page, the list and the popup', { tag: '@matrix' }, async ({ page, emulator, extensionContext }) => {
  const jobs = [
    await emulator.createJob(SCRIPTY, 'matching'),
    await emulator.createJob(RTL, 'completed'),
    await emulator.createJob(LONG, 'evidence'),
  ];
  // The job page: title in the dialog, and a hostile reason in the cancellation details.
  await page.goto(`/jobs/${jobs[0].id}`);
  await page.getByRole('button', { name: 'Cancel Job' }).click();
  const dialog = page.getByRole('alertdialog');
  await expect(dialog.getByTestId('dialog-job-title')).toHaveText(SCRIPTY);
  await dialog.getByTestId('cancel-reason').fill(SCRIPTY);
  await dialog.getByTestId('dialog-confirm').click();
  await expect(page.getByTestId('cancellation-info').locator('[data-field="Notes"]')).toContainText(SCRIPTY);
  expect(await pwned(page)).toBe(0);
  // The list: three-dot menus named with the hostile titles, as text.
  await page.goto('/jobs');
  for (const job of jobs) {
    const button = page.locator(`tr[data-job-id="${job.id}"]`).getByTestId('row-menu-button');
    await expect(button).toHaveAttribute('aria-label', `Actions for ${job.title}`);
  }
  const long = page.locator(`tr[data-job-id="${jobs[2].id}"]`).getByTestId('row-menu-button');
  await long.click();
  await page.getByRole('menuitem', { name: 'Cancel Job' }).click();
  await expect(page.getByRole('alertdialog').getByTestId('dialog-job-title')).toHaveText(LONG);
  // The dialog stays inside the viewport with a 10,000-character title.
  const box = await page.getByRole('alertdialog').boundingBox();
  const viewport = page.viewportSize()!;
  expect(box!.x + box!.width).toBeLessThanOrEqual(viewport.width);
  await page.keyboard.press('Escape');
  expect(await pwned(page)).toBe(0);
  // The popup.
  const popup = await openPopup(extensionContext, emulator.origin);
  for (const job of jobs) {
    await expect(popup.locator(`[data-testid="job-row"][data-job-id="${job.id}"]`).getByTestId('job-title')).toHaveText(job.title);
  }
  expect(await pwned(popup)).toBe(0);
  await popup.close();
});

test('hostile ids stay one path segment; `..` is refused before anything is sent', { tag: '@matrix' }, async ({ page, emulator }) => {
  const ids = ['a/b', 'x%2Fy', 'q?r#s', 'ünï 💥', 'a/../../jobs'];
  for (const id of ids) {
    await emulator.api('POST', '/api/jobs', { id, title: `Hostile id ${id}`, phase: 'matching' });
  }
  const bystander = await emulator.createJob('Bystander', 'matching');
  await page.goto('/jobs');
  for (const id of ids) {
    const seq = await lastSeq(emulator);
    const row = page.locator(`tr[data-job-id="${id}"]`);
    await row.getByTestId('row-menu-button').click();
    await page.getByRole('menuitem', { name: 'Cancel Job' }).click();
    await page.getByRole('alertdialog').getByTestId('dialog-confirm').click();
    await expect(page.getByTestId('toast').filter({ hasText: 'Job cancelled successfully' })).toBeVisible();
    const posts = (await requestsSince(emulator, seq)).filter((entry) => entry.method === 'POST');
    recordMatrix({ destructive_sent_twice: posts.length - 1 });
    expect(posts.map((entry) => entry.path)).toEqual([`/api/jobs/${encodeURIComponent(id).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}/cancel`]);
    const stored = await emulator.api<{ phase: string }>('GET', `/api/jobs/${encodeURIComponent(id)}`);
    expect(stored.phase).toBe('cancelled');
    await page.getByTestId('toast-dismiss').first().click();
  }
  expect((await emulator.api<{ phase: string }>('GET', `/api/jobs/${bystander.id}`)).phase).toBe('matching');
  // `..` cannot be a path segment: the dialog says so and nothing is sent.
  await emulator.api('POST', '/api/jobs', { id: '..', title: 'Dot dot', phase: 'matching' });
  await page.reload();
  const seq = await lastSeq(emulator);
  await page.locator('tr[data-job-id=".."]').getByTestId('row-menu-button').click();
  await page.getByRole('menuitem', { name: 'Cancel Job' }).click();
  await page.getByRole('alertdialog').getByTestId('dialog-confirm').click();
  await expect(page.getByRole('alertdialog').getByTestId('dialog-error')).toHaveText('Failed to cancel job: This job id cannot be used in a request. Open the job from the job list.');
  expect((await requestsSince(emulator, seq)).filter((entry) => entry.method === 'POST')).toEqual([]);
});
