// The emulator's second host (issue #8): a client-side-routed app with cards, ids only in links,
// a strict CSP and its own re-render timer. Until a site profile for it exists, the extension must
// leave it exactly as it is.
import { appTest as test, expect, watchForErrors } from './fixtures';

test('the second host routes client-side, re-renders its cards, and the overlay leaves it alone', async ({ page, emulator }) => {
  const job = await emulator.createJob('Card run', 'matching');
  const errors = watchForErrors(page);
  const response = await page.goto('/spa/runs');
  expect(response?.headers()['content-security-policy']).toBe("default-src 'self'");
  const card = page.locator('.card', { has: page.locator(`a[href="/spa/runs/${job.id}/overview"]`) });
  await expect(card.locator('h3')).toHaveText('Card run');
  await expect(card.locator('.status')).toHaveText('Matching');
  // Its own timer replaces the cards with new elements.
  const first = await card.elementHandle();
  await expect.poll(async () => first!.evaluate((node) => node.isConnected), { timeout: 5_000 }).toBe(false);
  // Client-side navigation: no reload (a marker on window survives), back and forward work.
  await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
  await card.locator('a').click();
  await expect(page).toHaveURL(`/spa/runs/${job.id}/overview`);
  await expect(page.locator('.run-head .run-name')).toHaveText('Card run');
  await expect(page.locator('.run-head .pill')).toHaveText('Matching');
  await page.goBack();
  await expect(page).toHaveURL('/spa/runs');
  await expect(page.locator('.card').first()).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  // No profile covers /spa yet: nothing of the overlay's is on the page.
  await expect(page.locator('[data-job-actions]')).toHaveCount(0);
  expect(errors).toEqual([]);
});
