// An app whose API authenticates with the page's session cookie — the default auth mode of a site
// profile ("the page's cookies"). The page's own first load runs in the page's origin and sends
// the cookie by itself; the background's live polls and the popup run on the extension's origin,
// and must send the app's cookies too, or every update after the first load is a 401.
import { test, expect } from '@playwright/test';
import { Emulator, type Job, lastSeq, launchChromiumWithExtension, openPopup, requestsSince } from './fixtures';

/** The test's own way to read and change jobs on the server (the pages use their cookie). */
export const ADMIN = 'admin-token';

test('with a cookie-session API, the background and the popup are signed in as the page is', async () => {
  const emulator = await Emulator.start(['--session-cookie', 's3ss10n', '--token', ADMIN]);
  const { context, close } = await launchChromiumWithExtension(emulator.origin);
  try {
    const { jobs } = await emulator.api<{ jobs: Job[] }>('GET', '/api/jobs?limit=1000', undefined, ADMIN);
    const job = jobs.find((candidate) => candidate.phase === 'matching')!;
    const seq = await lastSeq(emulator);
    const page = await context.newPage();
    await page.goto(`${emulator.origin}/jobs`);
    const badge = page.locator(`tr[data-job-id="${job.id}"] [data-job-actions="phase-badge"]`);
    await expect(badge).toHaveAttribute('data-source', 'api');
    await expect(badge.getByTestId('phase-badge')).toHaveText('Matching');
    // Cancelled on the server by someone else: the background's poll brings it to the tab.
    await emulator.api('POST', `/api/jobs/${job.id}/cancel`, { notes: 'elsewhere' }, ADMIN);
    await expect(badge.getByTestId('phase-badge')).toHaveText('Cancelled', { timeout: 15_000 });
    // The popup's list comes through the same background, signed in the same way.
    const popup = await openPopup(context, emulator.origin);
    await expect(popup.locator(`[data-testid="job-row"][data-job-id="${job.id}"] [data-testid="phase-badge"]`)).toHaveText('Cancelled');
    const api = (await requestsSince(emulator, seq)).filter((request) => request.path.startsWith('/api/'));
    expect(api.length).toBeGreaterThanOrEqual(3);
    expect(api.filter((request) => request.status === 401).map((request) => `${request.method} ${request.path}`)).toEqual([]);
  } finally {
    await close();
    await emulator.stop();
  }
});
