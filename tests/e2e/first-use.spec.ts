// The content script in two builds (PRD §10, "lazy load confirmation dialogs"): every job page
// loads the page-wide build, and the first use of one of its controls — or a pointer or focus
// reaching one, just before — loads the actions build, which takes the page over. What users see must not change: the first click does what it says,
// a double click is still one dialog and one request, nothing is decorated twice, and a build
// that cannot load says so and lets the next click try again.
import { appTest as test, expect, writesTo, lastSeq, watchForErrors, consoleLines, holdActionsBuild } from './fixtures';
import type { Locator, Page } from '@playwright/test';

const html = (page: Page) => page.locator('html');
const dialog = (page: Page) => page.getByRole('alertdialog');

for (const [csp, engine] of [['default', 'wasm'], ['strict', 'js']] as const) {
  test(`the actions build loads only for a use, on the page's engine, and takes the page over (${csp} CSP)`, async ({ page, emulator }) => {
    const job = await emulator.createJob(`First use ${csp}`, 'matching');
    const errors = watchForErrors(page);
    const lines = consoleLines(page);
    await page.goto(`/jobs/${job.id}${csp === 'strict' ? '?csp=strict' : ''}`);
    await expect(html(page)).toHaveAttribute('data-job-actions-engine', engine);
    const cancel = page.getByRole('button', { name: 'Cancel Job' });
    await expect(cancel).toBeVisible();
    // Decorated, live, and no actions build yet.
    await page.waitForTimeout(300);
    await expect(html(page)).not.toHaveAttribute('data-job-actions-actions');
    expect(lines.filter((line) => line.includes('actions loaded'))).toEqual([]);

    const since = await lastSeq(emulator);
    await cancel.click();
    await expect(dialog(page)).toBeVisible();
    await expect(html(page)).toHaveAttribute('data-job-actions-actions', engine);
    expect(lines.filter((line) => line.includes('actions loaded'))).toEqual([`[job-actions] actions loaded on the ${engine} engine`]);
    // The page-wide build's decorations were taken over, not added to.
    for (const feature of ['phase-badge', 'detail-actions', 'dialog']) {
      await expect(page.locator(`[data-job-actions="${feature}"]`)).toHaveCount(1);
    }
    await dialog(page).getByRole('textbox').fill('first use');
    await dialog(page).getByRole('button', { name: 'Confirm Cancellation' }).click();
    await expect(page.locator('.job-header [data-testid="phase-badge"]')).toHaveText('Cancelled');
    const writes = await writesTo(emulator, since, job.id);
    expect(writes.map((write) => [write.method, write.body])).toEqual([
      ['POST', JSON.stringify({ reason: 'user_request', notes: 'first use' })],
    ]);
    expect(errors).toEqual([]);
  });
}

test('after the hand-over the page still follows the server, and the route changes are followed', async ({ page, emulator }) => {
  const job = await emulator.createJob('Followed after hand-over', 'matching');
  await page.goto(`/jobs/${job.id}`);
  await page.getByRole('button', { name: 'Cancel Job' }).click();
  await expect(dialog(page)).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog(page)).toHaveCount(0);
  await expect(html(page)).toHaveAttribute('data-job-actions-actions', 'wasm');
  const badge = page.locator('.job-header [data-testid="phase-badge"]');
  await emulator.api('POST', '/_emulator/worker/tick');
  await expect(badge).toHaveText('Evidence', { timeout: 15_000 });
  // Back to the list: the actions build decorates it (one menu button per row).
  await page.goBack();
  await page.goto('/jobs');
  const rows = page.locator('tr[data-job-id]');
  await expect(rows.first()).toBeVisible();
  await expect(page.locator('[data-job-actions="row-menu"]')).toHaveCount(await rows.count());
});

test('a pointer reaching a control loads the actions build before the click', async ({ page, emulator }) => {
  const job = await emulator.createJob('Hovered first', 'matching');
  const since = await lastSeq(emulator);
  await page.goto(`/jobs/${job.id}`);
  const cancel = page.getByRole('button', { name: 'Cancel Job' });
  await expect(cancel).toBeVisible();
  await expect(html(page)).not.toHaveAttribute('data-job-actions-actions');
  await cancel.hover();
  await expect(html(page)).toHaveAttribute('data-job-actions-actions', 'wasm');
  // Loaded, nothing opened or sent: the click is still the user's to make.
  await expect(dialog(page)).toHaveCount(0);
  await cancel.click();
  await expect(dialog(page)).toBeVisible();
  await expect(page.locator('[data-job-actions="dialog"]')).toHaveCount(1);
  expect(await writesTo(emulator, since, job.id)).toEqual([]);
});

test('a double click before the actions have loaded is one dialog, and one request', async ({ page, emulator }) => {
  const job = await emulator.createJob('Double first use', 'evidence');
  await page.goto(`/jobs/${job.id}`);
  const since = await lastSeq(emulator);
  await page.getByRole('button', { name: 'Cancel Job' }).dblclick();
  await expect(dialog(page)).toBeVisible();
  await expect(page.locator('[data-job-actions="dialog"]')).toHaveCount(1);
  await dialog(page).getByRole('button', { name: 'Confirm Cancellation' }).dblclick();
  await expect(page.locator('.job-header [data-testid="phase-badge"]')).toHaveText('Cancelled');
  expect((await writesTo(emulator, since, job.id)).map((write) => write.method)).toEqual(['POST']);
});

test('↓ on a row menu button as the first use opens that menu on its first item', async ({ page, emulator }) => {
  const job = await emulator.createJob('Arrow first use', 'matching');
  await page.goto('/jobs');
  const button = page.locator(`tr[data-job-id="${job.id}"]`).getByTestId('row-menu-button');
  await button.focus();
  await page.keyboard.press('ArrowDown');
  const menu = page.getByRole('menu');
  await expect(menu).toHaveAccessibleName('Actions for Arrow first use');
  await expect(menu.getByRole('menuitem').first()).toBeFocused();
  await expect(html(page)).toHaveAttribute('data-job-actions-actions', 'wasm');
  // The page did not scroll for the arrow key either.
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
});

test('when the actions build cannot load, the user is told, and the next click loads it', async ({ page, emulator, extensionContext }) => {
  const job = await emulator.createJob('Refused injection', 'matching');
  const since = await lastSeq(emulator);
  await page.goto(`/jobs/${job.id}`);
  const cancel = page.getByRole('button', { name: 'Cancel Job' });
  await expect(cancel).toBeVisible();
  // The background's injections fail, as they would if the browser refused them, until the
  // test lets them work again. (Failing only the next one would race: the pointer reaching the
  // button already asks for the build, and the click may come after that request failed.)
  const [worker] = extensionContext.serviceWorkers();
  await worker.evaluate(() => {
    const scripting = (globalThis as any).chrome.scripting;
    (globalThis as any).__inject = scripting.executeScript;
    scripting.executeScript = () => Promise.reject(new Error('Cannot access contents of the page'));
  });
  await cancel.click();
  const toast = page.getByRole('alert').filter({ hasText: 'Job actions could not load' });
  await expect(toast).toHaveText(/Job actions could not load\. Click again to try once more\./);
  await expect(dialog(page)).toHaveCount(0);
  await expect(html(page)).not.toHaveAttribute('data-job-actions-actions');
  await worker.evaluate(() => {
    (globalThis as any).chrome.scripting.executeScript = (globalThis as any).__inject;
  });
  await cancel.click();
  await expect(dialog(page)).toBeVisible();
  await expect(html(page)).toHaveAttribute('data-job-actions-actions', 'wasm');
  expect(await writesTo(emulator, since, job.id)).toEqual([]);
});

test('clicks on other controls while the actions build loads are all carried out, in order, Shift included', async ({ page, emulator, extensionContext }) => {
  const jobs = [];
  for (let i = 1; i <= 6; i++) jobs.push(await emulator.createJob(`Loading range ${i}`, 'completed'));
  await page.goto('/jobs');
  const select = (id: string) => page.locator(`[data-job-id="${id}"]`).getByTestId('row-select');
  await expect(select(jobs[0].id)).toBeVisible();
  await expect(html(page)).not.toHaveAttribute('data-job-actions-actions');
  // The build takes a second to load (a slow machine): both clicks come before it runs.
  const [worker] = extensionContext.serviceWorkers();
  await worker.evaluate(() => {
    const scripting = (globalThis as any).chrome.scripting;
    const inject = scripting.executeScript;
    scripting.executeScript = (options: unknown) => {
      scripting.executeScript = inject;
      return new Promise((resolve) => setTimeout(resolve, 1000)).then(() => inject.call(scripting, options));
    };
  });
  await select(jobs[5].id).click();
  await select(jobs[0].id).click({ modifiers: ['Shift'] });
  await expect(html(page)).not.toHaveAttribute('data-job-actions-actions');
  await expect(page.getByTestId('bulk-count')).toHaveText('6 selected');
  for (const job of jobs) await expect(select(job.id)).toHaveAttribute('aria-checked', 'true');
});

/**
 * A press on `target` that the app draws again under the pointer: the button goes down on the
 * control, `meanwhile` runs, the app replaces every row (`emulator:render`), the overlay draws the
 * control in the new row, and the button comes up there (at `release`, when given). Chromium
 * clicks nothing then; Firefox clicks an ancestor of both.
 */
async function pressAcrossRender(page: Page, target: Locator, release?: Locator, meanwhile?: () => Promise<void>): Promise<void> {
  const box = (await target.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await meanwhile?.();
  const before = await page.evaluate(() => {
    const old = document.querySelector('table.jobs tbody tr');
    document.dispatchEvent(new Event('emulator:render'));
    return old?.isConnected;
  });
  expect(before).toBe(false);
  const up = release ?? target;
  await expect(up).toBeVisible();
  const to = (await up.boundingBox())!;
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2);
  await page.mouse.up();
}

test('a press the app draws again under the pointer still counts — before, during and after the actions build takes over; released on another row it does nothing', async ({ page, emulator, extensionContext }) => {
  const [first, second, third] = [
    await emulator.createJob('Redrawn under the pointer 1', 'completed'),
    await emulator.createJob('Redrawn under the pointer 2', 'completed'),
    await emulator.createJob('Redrawn under the pointer 3', 'matching'),
  ];
  // The app re-renders its rows only when told (`emulator:render`).
  await page.goto('/jobs?rerender=600000');
  const row = (id: string) => page.locator(`tr[data-job-id="${id}"]`);
  const select = (id: string) => row(id).getByTestId('row-select');
  const count = page.getByTestId('bulk-count');
  await expect(select(first.id)).toBeVisible();
  // Press and release both reach the page-wide build: the actions build is held meanwhile.
  let release = await holdActionsBuild(extensionContext);
  await pressAcrossRender(page, select(first.id));
  await expect(html(page)).not.toHaveAttribute('data-job-actions-actions');
  await release();
  await expect(html(page)).toHaveAttribute('data-job-actions-actions', 'wasm');
  await expect(select(first.id)).toHaveAttribute('aria-checked', 'true');
  await expect(count).toHaveText('1 selected');

  // With the actions build running: a checkbox, once (not twice), and a menu button, whose menu
  // stays open (no click on an ancestor closes it again).
  await pressAcrossRender(page, select(second.id));
  await expect(count).toHaveText('2 selected');
  await expect(select(second.id)).toHaveAttribute('aria-checked', 'true');
  await pressAcrossRender(page, row(third.id).getByTestId('row-menu-button'));
  const menu = page.getByRole('menu');
  await expect(menu).toHaveAccessibleName('Actions for Redrawn under the pointer 3');
  await page.waitForTimeout(300);
  await expect(menu).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);

  // Pressed on one row's checkbox and released on another's: that is no click on either.
  await pressAcrossRender(page, select(first.id), select(third.id));
  await page.waitForTimeout(300);
  await expect(count).toHaveText('2 selected');
  await expect(select(first.id)).toHaveAttribute('aria-checked', 'true');
  await expect(select(third.id)).toHaveAttribute('aria-checked', 'false');

  // Pressed under the page-wide build, released after the actions build took the page over.
  await page.reload();
  await expect(select(second.id)).toBeVisible();
  release = await holdActionsBuild(extensionContext);
  await pressAcrossRender(page, select(second.id), undefined, async () => {
    await release();
    await expect(html(page)).toHaveAttribute('data-job-actions-actions', 'wasm');
  });
  await expect(count).toHaveText('1 selected');
  await expect(select(second.id)).toHaveAttribute('aria-checked', 'true');
});
