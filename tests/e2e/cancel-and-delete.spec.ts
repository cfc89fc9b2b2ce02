// Cancel & Delete as its dialog promises (issue #23, PRD §5.2): "It will be cancelled first, then
// deleted after workers acknowledge." On the job page, in the list's row menu and in the popup:
// one confirmation, `POST …/cancel` with the typed reason, the job followed until it is terminal,
// then one `DELETE ?force=false`; the step on the control; Force Delete (one request) once the
// workers took longer than 30 s; a failed step that says which; and a pending delete that
// survives leaving the page. Every assertion on requests reads the emulator's log.
import { appTest as test, expect, openPopup, lastSeq, writesTo, fault, type Emulator, type Job } from './fixtures';
import type { Page } from '@playwright/test';

const dialog = (page: Page) => page.getByRole('alertdialog');

/** The workers stop `ms` after an accepted cancel (0: at once). */
const workersStopAfter = (emulator: Emulator, ms: number) => emulator.api('POST', '/_emulator/worker', { cancel_delay_ms: ms });

/** An active job whose cancel was accepted `seconds` ago and whose workers still run. */
const stoppingSince = (emulator: Emulator, title: string, seconds: number) =>
  emulator.api<Job>('POST', '/api/jobs', { title, phase: 'evidence', cancel_requested_s_ago: seconds });

/** The job's writes as `METHOD query status`, in order. */
async function writes(emulator: Emulator, since: number, jobId: string): Promise<string[]> {
  return (await writesTo(emulator, since, jobId)).map((r) => `${r.method} ${r.path.endsWith('/cancel') ? 'cancel' : r.query} ${r.status}`);
}

test.afterEach(async ({ emulator }) => {
  await workersStopAfter(emulator, 0);
});

test('job page: one confirmation sends the cancel with the reason, then one plain delete once the job stopped', async ({ page, emulator }) => {
  await workersStopAfter(emulator, 2_500);
  const job = await emulator.createJob('Cancel then delete', 'matching');
  await page.goto(`/jobs/${job.id}`);
  const since = await lastSeq(emulator);
  await page.getByTestId('delete-job').click();
  await expect(dialog(page)).toContainText('It will be cancelled first, then deleted after workers acknowledge.');
  await dialog(page).getByTestId('cancel-reason').fill('test data from a validation run');
  await dialog(page).getByTestId('dialog-confirm').click();
  // The dialog closes once the cancel is accepted; the control shows the step.
  await expect(dialog(page)).toHaveCount(0);
  await expect(page.getByTestId('delete-job')).toHaveText('Cancelling…');
  await expect(page.getByTestId('delete-job')).toBeDisabled();
  await expect(page.getByTestId('toast').filter({ hasText: 'will be deleted as soon as its workers stop' })).toBeVisible();
  expect(await writes(emulator, since, job.id)).toEqual(['POST cancel 200']);
  await expect(page).toHaveURL('/jobs', { timeout: 15_000 });
  await expect(page.getByTestId('toast').filter({ hasText: 'Job deleted successfully' })).toBeVisible();
  // Exactly one cancel, then exactly one non-forced delete, which the server accepted: it came
  // after the job was terminal (an active job answers a plain delete with 409).
  expect(await writes(emulator, since, job.id)).toEqual(['POST cancel 200', 'DELETE force=false 200']);
  const cancel = (await writesTo(emulator, since, job.id))[0];
  expect(JSON.parse(cancel.body ?? '{}')).toMatchObject({ notes: 'test data from a validation run' });
});

test('list: Cancel & Delete from the row menu shows the step beside the row, then the row leaves', async ({ page, emulator }) => {
  await workersStopAfter(emulator, 2_500);
  const job = await emulator.createJob('Row cancel then delete', 'collection');
  await page.goto('/jobs');
  const row = page.locator(`tr[data-job-id="${job.id}"]`);
  const since = await lastSeq(emulator);
  await row.getByTestId('row-menu-button').click();
  await page.getByRole('menu').getByRole('menuitem', { name: 'Cancel & Delete' }).click();
  await expect(dialog(page)).toContainText('This job is still running.');
  await dialog(page).getByTestId('dialog-confirm').click();
  await expect(row.getByTestId('row-progress')).toHaveText('Cancelling…');
  await expect(row.getByTestId('row-menu-button')).toHaveAttribute('aria-busy', 'true');
  await expect(row).toBeHidden({ timeout: 15_000 });
  expect(await writes(emulator, since, job.id)).toEqual(['POST cancel 200', 'DELETE force=false 200']);
});

test('popup: Cancel & Delete shows the step on the row button, then the row leaves', async ({ extensionContext, emulator }) => {
  await workersStopAfter(emulator, 2_500);
  const job = await emulator.createJob('Popup cancel then delete', 'matching');
  const popup = await openPopup(extensionContext, emulator.origin);
  const row = popup.locator(`[data-testid="job-row"][data-job-id="${job.id}"]`);
  const since = await lastSeq(emulator);
  await row.getByRole('button', { name: `Cancel & Delete: ${job.title}` }).click();
  const confirm = popup.getByRole('alertdialog', { name: 'Delete Job?' });
  await expect(confirm).toContainText('This job is still running.');
  await confirm.getByTestId('cancel-reason').fill('duplicate');
  await confirm.getByTestId('dialog-confirm').click();
  await expect(row.getByTestId('action-cancel-and-delete')).toHaveText('Cancelling…');
  await expect(row.getByTestId('action-cancel-and-delete')).toBeDisabled();
  await expect(row).toHaveCount(0, { timeout: 15_000 });
  await expect(popup.getByTestId('toast').filter({ hasText: 'Job deleted successfully' })).toBeVisible();
  expect(await writes(emulator, since, job.id)).toEqual(['POST cancel 200', 'DELETE force=false 200']);
  await popup.close();
});

test('workers that do not stop: Force Delete is offered, dismissing it keeps waiting, confirming it sends one forced delete', async ({ page, emulator }) => {
  await workersStopAfter(emulator, 600_000);
  // Its cancel was accepted 40 s ago (the first request stands): past the 30 s of waiting.
  const job = await stoppingSince(emulator, 'Workers never stop', 40);
  await page.goto('/jobs');
  const since = await lastSeq(emulator);
  const row = page.locator(`tr[data-job-id="${job.id}"]`);
  const chooseCancelAndDelete = async () => {
    await row.getByTestId('row-menu-button').click();
    await page.getByRole('menu').getByRole('menuitem', { name: 'Cancel & Delete' }).click();
  };
  await chooseCancelAndDelete();
  await dialog(page).getByTestId('dialog-confirm').click();
  await expect(row.getByTestId('row-progress')).toHaveText('Cancelling…');
  // Choosing it again while it waits offers Force Delete; Esc keeps waiting.
  await chooseCancelAndDelete();
  await expect(dialog(page)).toHaveAccessibleName('Force delete?');
  await page.keyboard.press('Escape');
  await expect(dialog(page)).toHaveCount(0);
  await expect(row.getByTestId('row-progress')).toHaveText('Cancelling…');
  // The job's own page says why and offers Force Delete in the delete's place.
  await page.goto(`/jobs/${job.id}`);
  await expect(page.getByTestId('cancel-pending')).toContainText('Still running');
  await expect(page.getByTestId('delete-job')).toHaveCount(0);
  await page.getByTestId('force-delete-job').click();
  await expect(dialog(page)).toHaveAccessibleName('Force delete?');
  await dialog(page).getByTestId('dialog-confirm').click();
  await expect(page).toHaveURL('/jobs');
  await expect(page.getByTestId('toast').filter({ hasText: 'Job deleted successfully' })).toBeVisible();
  expect(await writes(emulator, since, job.id)).toEqual(['POST cancel 200', 'DELETE force=true 200']);
});

test('a failed cancel keeps the dialog, the reason and the job; nothing is deleted', async ({ page, emulator }) => {
  const job = await emulator.createJob('Cancel step fails', 'matching');
  await page.goto(`/jobs/${job.id}`);
  const since = await lastSeq(emulator);
  await fault(emulator, { method: 'POST', path: `/api/jobs/${job.id}/cancel`, status: 503, times: 1 });
  await page.getByTestId('delete-job').click();
  await dialog(page).getByTestId('cancel-reason').fill('keep me');
  await dialog(page).getByTestId('dialog-confirm').click();
  await expect(dialog(page)).toContainText('Failed to cancel job');
  await expect(dialog(page).getByTestId('cancel-reason')).toHaveValue('keep me');
  await page.waitForTimeout(1_500);
  expect(await writes(emulator, since, job.id)).toEqual(['POST cancel 503']);
  const stored = await emulator.api<Job>('GET', `/api/jobs/${job.id}`);
  expect(stored.phase).toBe('matching');
});

test('a failed delete after the cancel says it was the delete, and leaves the cancelled job', async ({ page, emulator }) => {
  const job = await emulator.createJob('Delete step fails', 'matching');
  await page.goto(`/jobs/${job.id}`);
  const since = await lastSeq(emulator);
  await fault(emulator, { method: 'DELETE', path: `/api/jobs/${job.id}`, status: 500, times: 1 });
  await page.getByTestId('delete-job').click();
  await dialog(page).getByTestId('dialog-confirm').click();
  await expect(page.getByTestId('toast').filter({ hasText: 'The job was cancelled, but deleting it failed' })).toBeVisible();
  await expect(page).toHaveURL(`/jobs/${job.id}`);
  await expect(page.getByTestId('delete-job')).toHaveText('Delete Job');
  await expect(page.getByTestId('delete-job')).toBeEnabled();
  expect(await writes(emulator, since, job.id)).toEqual(['POST cancel 200', 'DELETE force=false 500']);
  const stored = await emulator.api<Job>('GET', `/api/jobs/${job.id}`);
  expect(stored.phase).toBe('cancelled');
});

test('leaving the page while the workers stop does not lose the delete: the next view of the job carries it out', async ({ page, emulator }) => {
  await workersStopAfter(emulator, 4_000);
  const job = await emulator.createJob('Left while stopping', 'feature_extraction');
  await page.goto(`/jobs/${job.id}`);
  const since = await lastSeq(emulator);
  await page.getByTestId('delete-job').click();
  await dialog(page).getByTestId('dialog-confirm').click();
  await expect(page.getByTestId('delete-job')).toHaveText('Cancelling…');
  // A reload before the workers stopped: the new page starts with the page-wide build only.
  await page.reload();
  await expect(page).toHaveURL('/jobs', { timeout: 20_000 });
  await expect(page.getByTestId('toast').filter({ hasText: 'Job deleted successfully' })).toBeVisible();
  expect(await writes(emulator, since, job.id)).toEqual(['POST cancel 200', 'DELETE force=false 200']);
});
