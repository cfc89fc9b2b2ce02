// Issue #23, item 3: the error in the confirmation dialog and the error toast have "Copy details",
// which copies the failed request's console line (without its `[job-actions] ` prefix) — the
// action, the job, the endpoint, what the server answered and the time — and never the typed
// reason, a cookie or a token. On the job page and in the popup, in Chromium.
import { appTest as test, expect, openPopup, fault, consoleLines, inContentScriptWorld, type Emulator } from './fixtures';
import type { BrowserContext, Page } from '@playwright/test';

const REASON = 'typed reason that stays private';
const COOKIE = 'session=cookie-secret-4711';

// The clipboard is the context's: reading it back needs its permission, per origin.
async function allowClipboard(context: BrowserContext, origin: string): Promise<void> {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
}

test.afterEach(async ({ extensionContext }) => {
  await extensionContext.clearPermissions();
  // An open popup keeps polling the shared emulator, and later tests count its requests.
  for (const open of extensionContext.pages()) {
    if (open.url().startsWith('chrome-extension://')) await open.close();
  }
});

/** A fresh job's page with its cancel dialog open (the page also holds a session cookie). */
async function jobPageDialog(page: Page, emulator: Emulator, title: string): Promise<string> {
  const job = await emulator.createJob(title, 'matching');
  await page.goto(`/jobs/${job.id}`);
  await page.evaluate((cookie) => { document.cookie = `${cookie}; path=/`; }, COOKIE);
  await page.getByRole('button', { name: 'Cancel Job' }).click();
  return job.id;
}

/** The popup with a fresh job's cancel dialog open. */
async function popupDialog(context: BrowserContext, emulator: Emulator, title: string): Promise<[Page, string]> {
  const job = await emulator.createJob(title, 'matching');
  const popup = await openPopup(context, emulator.origin);
  await popup.getByRole('button', { name: `Cancel Job: ${job.title}` }).click();
  return [popup, job.id];
}

/** Types a reason into the open cancel dialog and confirms it against a 503; the dialog, showing
 * the error. */
async function failCancel(surface: Page, emulator: Emulator, jobId: string) {
  const dialog = surface.getByRole('alertdialog');
  await dialog.getByTestId('cancel-reason').fill(REASON);
  await fault(emulator, { method: 'POST', path: `/api/jobs/${jobId}/cancel`, status: 503, detail: 'Queue unavailable', times: 1 });
  await dialog.getByTestId('dialog-confirm').click();
  await expect(dialog.getByTestId('dialog-error')).toBeVisible();
  return dialog;
}

/** The console line of the failed cancel of `jobId`, once there is one. */
async function failureLine(lines: string[], jobId: string): Promise<string> {
  const failed = () => lines.filter((line) => line.includes(`cancel of job "${jobId}" failed`));
  await expect.poll(() => failed().length).toBe(1);
  return failed()[0];
}

/** What the clipboard holds now, read on `surface`. */
function clipboard(surface: Page): Promise<string> {
  return surface.evaluate(() => navigator.clipboard.readText());
}

/** What a copied text must say, and must not. */
function expectDetails(copied: string, line: string, emulator: Emulator, jobId: string): void {
  expect(`[job-actions] ${copied}`, 'the same text as the console line').toBe(line);
  expect(copied).toContain(`cancel of job "${jobId}" failed`);
  expect(copied).toContain(`POST ${emulator.origin}/api/jobs/${jobId}/cancel`);
  expect(copied).toMatch(/→ 503 "Queue unavailable" after \d+ ms$/);
  for (const secret of [REASON, 'cookie-secret-4711', 'Authorization', 'Bearer']) expect(copied).not.toContain(secret);
}

test('job page: the dialog error copies the console line; the button says Copied, then Copy details again', async ({ page, emulator, extensionContext }) => {
  await allowClipboard(extensionContext, emulator.origin);
  const lines = consoleLines(page);
  const jobId = await jobPageDialog(page, emulator, 'Copy from the dialog');
  const dialog = await failCancel(page, emulator, jobId);
  const button = dialog.getByRole('button', { name: 'Copy details' });
  await expect(button).toHaveAttribute('data-testid', 'copy-details');
  await expect(button).toHaveAttribute('aria-live', 'polite');
  await button.click();
  await expect(dialog.getByTestId('copy-details')).toHaveText('Copied');
  expectDetails(await clipboard(page), await failureLine(lines, jobId), emulator, jobId);
  await expect(dialog.getByTestId('copy-details')).toHaveText('Copy details', { timeout: 4_000 });
  // Copying neither closes the dialog nor confirms it: the reason is still there for the retry.
  await expect(dialog.getByTestId('cancel-reason')).toHaveValue(REASON);
  await expect(dialog.getByTestId('dialog-confirm')).toHaveText('Retry');
  // Enter on the button presses it; it does not retry the cancel.
  await dialog.getByTestId('copy-details').focus();
  await page.keyboard.press('Enter');
  await expect(dialog.getByTestId('copy-details')).toHaveText('Copied');
  await expect(dialog.getByTestId('dialog-error')).toBeVisible();
});

test('job page: an error toast with no dialog open copies its request\'s console line; while the dialog is open only the dialog has the button', async ({ page, emulator, extensionContext }) => {
  await allowClipboard(extensionContext, emulator.origin);
  const lines = consoleLines(page);
  // While the dialog shows the error, its toast has no button of its own (a taller toast would
  // cover the dialog's corner, and the dialog's guard would then refuse the next confirmation).
  const jobId = await jobPageDialog(page, emulator, 'Copy from the dialog only');
  await failCancel(page, emulator, jobId);
  const toast = page.locator('[data-testid="toast"][data-kind="error"]');
  await expect(toast).toBeVisible();
  await expect(toast.getByTestId('copy-details')).toHaveCount(0);
  // Cancel & Delete whose delete fails: the dialog is closed by then, and the toast is where the
  // details are.
  const job = await emulator.createJob('Copy from the toast', 'matching');
  await page.goto(`/jobs/${job.id}`);
  await fault(emulator, { method: 'DELETE', path: `/api/jobs/${job.id}`, status: 500, detail: 'Disk full', times: 1 });
  await page.getByTestId('delete-job').click();
  await page.getByRole('alertdialog').getByTestId('dialog-confirm').click();
  const failed = page.locator('[data-testid="toast"][data-kind="error"]').filter({ hasText: 'deleting it failed' });
  await failed.getByRole('button', { name: 'Copy details' }).click();
  await expect(failed.getByTestId('copy-details')).toHaveText('Copied');
  const deleteLine = () => lines.filter((line) => line.includes(`delete of job "${job.id}" failed`));
  await expect.poll(() => deleteLine().length).toBe(1);
  const copied = await clipboard(page);
  expect(`[job-actions] ${copied}`).toBe(deleteLine()[0]);
  expect(copied).toMatch(new RegExp(`DELETE ${emulator.origin}/api/jobs/${job.id}\\?force=false → 500 "Disk full" after \\d+ ms$`));
  for (const secret of ['cookie-secret-4711', 'Authorization', 'Bearer']) expect(copied).not.toContain(secret);
});

test('job page: a clipboard that refuses the text shows it, selected, to copy by hand', async ({ page, emulator }) => {
  const lines = consoleLines(page);
  const jobId = await jobPageDialog(page, emulator, 'Copy refused');
  const dialog = await failCancel(page, emulator, jobId);
  // The content script's own world refuses (as a page without the permission would).
  await inContentScriptWorld(page, `Object.defineProperty(navigator.clipboard, 'writeText', { configurable: true, value: () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError')) }); true`);
  await dialog.getByTestId('copy-details').click();
  await expect(dialog.getByTestId('copy-details')).toHaveText('Copy failed — select the text');
  const text = dialog.getByTestId('copy-details-text');
  await expect(text).toBeVisible();
  const line = await failureLine(lines, jobId);
  await expect(text).toHaveText(line.replace('[job-actions] ', ''));
  await expect.poll(() => page.evaluate(() => getSelection()?.toString())).toBe(line.replace('[job-actions] ', ''));
  // The dialog stays as it was (its guard does not redraw it as rewritten).
  await expect(dialog.getByTestId('cancel-reason')).toHaveValue(REASON);
});

test('popup: the dialog error and the error toast copy the console line', async ({ emulator, extensionContext }) => {
  const [popup, jobId] = await popupDialog(extensionContext, emulator, 'Copy in the popup');
  const lines = consoleLines(popup);
  const dialog = await failCancel(popup, emulator, jobId);
  const line = await failureLine(lines, jobId);
  // Playwright cannot grant clipboard-read to an extension origin: the page's clipboard records
  // what it is given (and accepts it), which is what the button hands it.
  await popup.evaluate(() => {
    const copied: string[] = [];
    (window as unknown as { copied: string[] }).copied = copied;
    Object.defineProperty(navigator.clipboard, 'writeText', { configurable: true, value: (text: string) => { copied.push(text); return Promise.resolve(); } });
  });
  const lastCopied = () => popup.evaluate(() => (window as unknown as { copied: string[] }).copied.at(-1) ?? '');
  // The toast's first: it goes after 5 s.
  const toast = popup.locator('[data-testid="toast"][data-kind="error"]');
  await toast.getByRole('button', { name: 'Copy details' }).click();
  await expect(toast.getByTestId('copy-details')).toHaveText('Copied');
  expectDetails(await lastCopied(), line, emulator, jobId);
  await dialog.getByRole('button', { name: 'Copy details' }).click();
  await expect(dialog.getByTestId('copy-details')).toHaveText('Copied');
  expect(await popup.evaluate(() => (window as unknown as { copied: string[] }).copied.length)).toBe(2);
  expectDetails(await lastCopied(), line, emulator, jobId);
  await expect(dialog.getByTestId('copy-details')).toHaveText('Copy details', { timeout: 4_000 });
});

test('popup: a clipboard that refuses the text shows it, selected', async ({ emulator, extensionContext }) => {
  const [popup, jobId] = await popupDialog(extensionContext, emulator, 'Copy refused in the popup');
  const lines = consoleLines(popup);
  const dialog = await failCancel(popup, emulator, jobId);
  await popup.evaluate(() => {
    Object.defineProperty(navigator.clipboard, 'writeText', { configurable: true, value: () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError')) });
  });
  await dialog.getByTestId('copy-details').click();
  await expect(dialog.getByTestId('copy-details')).toHaveText('Copy failed — select the text');
  const expected = (await failureLine(lines, jobId)).replace('[job-actions] ', '');
  await expect(dialog.getByTestId('copy-details-text')).toHaveText(expected);
  await expect.poll(() => popup.evaluate(() => getSelection()?.toString())).toBe(expected);
});
