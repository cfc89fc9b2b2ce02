// A hostile page cannot make the extension act (issue #20). Each test is a page script attacking
// the overlay the way SECURITY.md's threat table says — forged controls, rewritten attributes, a
// hidden, covered or too-fresh dialog, a focus-and-Enter lure, a page-set engine attribute, the
// page's own phase text, malformed API bases, a redirect out of the API base, a content script
// asking the background for another API's feed, token or reasons — while the test plays the
// user with real (trusted) input. Each attack counts as refused only when nothing destructive
// reached the server and the extension said why on the console; the totals go to the
// failure-matrix table ("attacks from the page tried / refused").
import { appTest as test, expect, consoleLines, lastSeq, requestsSince, recordMatrix, optionsUrl, inContentScriptWorld, Emulator } from './fixtures';
import type { Locator, Page } from '@playwright/test';

const dialog = (page: Page): Locator => page.getByRole('alertdialog');

/** The destructive requests (cancel POSTs, DELETEs) the server received since `seq`. */
async function destructiveSince(emulator: Emulator, seq: number) {
  return (await requestsSince(emulator, seq)).filter((entry) => entry.method === 'POST' || entry.method === 'DELETE');
}

/**
 * Records one attack for the matrix and asserts it was refused: a console line from the `from`th
 * on contains `said`, and nothing destructive reached the server since `seq`.
 */
async function attack(emulator: Emulator, seq: number, lines: string[], said: string, from = 0): Promise<void> {
  await expect
    .poll(() => lines.slice(from).some((line) => line.includes(said)), { message: `a console line saying "${said}"` })
    .toBe(true);
  const sent = await destructiveSince(emulator, seq);
  const refused = sent.length === 0;
  recordMatrix({ attacks_tried: 1, attacks_refused: refused ? 1 : 0 });
  expect(sent).toEqual([]);
}

/** Loads the actions build as a user's pointer does (hovering a real control). */
async function actionsLoaded(page: Page, control: Locator): Promise<void> {
  await control.hover();
  await expect(page.locator('html')).toHaveAttribute('data-job-actions-actions', /wasm|js/);
}

/** Builds, in the page's own world, a look-alike of an overlay control covering the viewport. */
async function forgeControl(page: Page, attributes: Record<string, string>): Promise<void> {
  await page.evaluate((attributes) => {
    document.getElementById('forged')?.remove();
    const host = document.createElement('span');
    host.id = 'forged';
    host.setAttribute('data-job-actions', 'detail-actions');
    const shadow = host.attachShadow({ mode: 'open' });
    const button = document.createElement('button');
    for (const [name, value] of Object.entries(attributes)) button.setAttribute(name, value);
    button.style.cssText = 'position:fixed;inset:0;opacity:0;z-index:2147483647';
    shadow.append(button);
    document.body.append(host);
  }, attributes);
}

test('forged controls: a look-alike host with data-ja-action under real clicks opens nothing and sends nothing', { tag: '@matrix' }, async ({ page, emulator }) => {
  const victim = await emulator.createJob('Victim of a forged control', 'matching');
  const shown = await emulator.createJob('The job on screen', 'completed');
  const lines = consoleLines(page);
  await page.goto(`/jobs/${shown.id}`);
  // The overlay runs (its own Delete Job is drawn): the attack is on a page it guards.
  await expect(page.getByTestId('delete-job')).toBeVisible();
  // Before the actions build is there: the page-wide build takes no forged first use either.
  const seq = await lastSeq(emulator);
  await forgeControl(page, { 'data-ja-action': 'menu-item', 'data-item': 'delete', 'data-ja-job': victim.id });
  await page.mouse.click(200, 200);
  await expect(dialog(page)).toHaveCount(0);
  await attack(emulator, seq, lines, 'ignored a click on an element the page made to look like an overlay control');
  await expect(page.locator('html')).not.toHaveAttribute('data-job-actions-actions', /.*/);
  // With the actions build running: a forged menu item, confirm and force delete.
  await page.locator('#forged').evaluate((host) => host.remove());
  await actionsLoaded(page, page.getByTestId('delete-job'));
  for (const action of ['menu-item', 'dialog-confirm', 'open-force-delete']) {
    const before = lines.length;
    await forgeControl(page, { 'data-ja-action': action, 'data-item': 'delete', 'data-ja-job': victim.id });
    await page.mouse.click(300, 300);
    await expect(dialog(page)).toHaveCount(0);
    await attack(emulator, seq, lines, `(data-ja-action="${action}")`, before);
  }
  expect((await emulator.api<{ phase: string }>('GET', `/api/jobs/${victim.id}`)).phase).toBe('matching');
});

test('rewritten attributes: a real menu item is what the extension drew, whatever the page writes on it', { tag: '@matrix' }, async ({ page, emulator }) => {
  const mine = await emulator.createJob('Row the user opened', 'matching');
  const other = await emulator.createJob('Row the page aims at', 'completed');
  const lines = consoleLines(page);
  await page.goto('/jobs');
  const seq = await lastSeq(emulator);
  await page.locator(`tr[data-job-id="${mine.id}"]`).getByTestId('row-menu-button').click();
  const cancel = page.getByRole('menuitem', { name: 'Cancel Job' });
  await expect(cancel).toBeVisible();
  // The page points the user's "Cancel Job" at another job, as a delete.
  await cancel.evaluate((item, otherId) => {
    item.setAttribute('data-ja-job', otherId);
    item.setAttribute('data-item', 'delete');
    item.setAttribute('data-ja-action', 'dialog-confirm');
  }, other.id);
  await cancel.click();
  await expect(dialog(page)).toHaveAttribute('data-dialog', 'cancel');
  await expect(dialog(page).getByTestId('dialog-job-title')).toHaveText(mine.title);
  await attack(emulator, seq, lines, "the page rewrote an overlay control's attributes");
  await page.keyboard.press('Escape');
  await expect(dialog(page)).toHaveCount(0);
});

/** Opens the cancel dialog of a fresh active job's page with a real click. */
async function openCancelDialog(page: Page, emulator: Emulator, title: string) {
  const job = await emulator.createJob(title, 'matching');
  await page.goto(`/jobs/${job.id}`);
  await page.getByRole('button', { name: 'Cancel Job' }).click();
  await expect(dialog(page)).toBeVisible();
  return job;
}

/** Where the confirm button is on screen (even when the page made it invisible). */
async function confirmCenter(page: Page): Promise<{ x: number; y: number }> {
  const box = await dialog(page).getByTestId('dialog-confirm').boundingBox();
  return { x: box!.x + box!.width / 2, y: box!.y + box!.height / 2 };
}

/** The page takes the `disabled` off the confirm button, as it can in an open shadow root. */
async function enableConfirmFromThePage(page: Page): Promise<void> {
  await dialog(page).getByTestId('dialog-confirm').evaluate((button) => button.removeAttribute('disabled'));
}

test('a hidden dialog: page CSS makes it transparent — the confirm button never arms, and a click on it is refused', { tag: '@matrix' }, async ({ page, emulator }) => {
  const lines = consoleLines(page);
  const job = await openCancelDialog(page, emulator, 'Hidden dialog');
  const seq = await lastSeq(emulator);
  await page.addStyleTag({ content: '[data-job-actions="dialog"] { opacity: 0 !important; }' });
  await page.waitForTimeout(900);
  await expect(dialog(page).getByTestId('dialog-confirm')).toBeDisabled();
  await enableConfirmFromThePage(page);
  const { x, y } = await confirmCenter(page);
  await page.mouse.click(x, y);
  await attack(emulator, seq, lines, 'refused a confirmation: the dialog is not fully visible (opacity 0 on <span data-job-actions="dialog">)');
  expect((await emulator.api<{ phase: string }>('GET', `/api/jobs/${job.id}`)).phase).toBe('matching');
});

test('a covered dialog: a page element over its title, or painted over it without taking clicks, is refused', { tag: '@matrix' }, async ({ page, emulator }) => {
  const lines = consoleLines(page);
  await openCancelDialog(page, emulator, 'Covered dialog');
  const seq = await lastSeq(emulator);
  // A fake title laid over the real one.
  const title = await dialog(page).locator('h2').boundingBox();
  await page.evaluate((box) => {
    const lure = document.createElement('div');
    lure.id = 'lure';
    lure.textContent = 'Dismiss this notice?';
    lure.style.cssText = `position:fixed;left:${box.x}px;top:${box.y}px;width:${box.width}px;height:${box.height}px;background:#fff;z-index:2147483647`;
    document.body.append(lure);
  }, title!);
  await page.waitForTimeout(700);
  await enableConfirmFromThePage(page);
  let { x, y } = await confirmCenter(page);
  await page.mouse.click(x, y);
  await attack(emulator, seq, lines, 'covered by <div id="lure"> at its title');
  // The same cover, painted over the whole dialog but letting clicks through (pointer-events:
  // none hides it from hit tests): IntersectionObserver v2 sees it in Chromium.
  await page.evaluate(() => {
    const lure = document.getElementById('lure')!;
    lure.style.cssText = 'position:fixed;inset:0;background:#fff;z-index:2147483647;pointer-events:none';
  });
  await page.waitForTimeout(700);
  await enableConfirmFromThePage(page);
  ({ x, y } = await confirmCenter(page));
  const before = lines.length;
  await page.mouse.click(x, y);
  await attack(emulator, seq, lines, 'refused a confirmation: the dialog is not fully visible (the browser reports it hidden, covered or transformed)', before);
});

test('a dialog shown under a click already on its way: a press sooner than half a second after it appeared is refused', { tag: '@matrix' }, async ({ page, emulator }) => {
  const lines = consoleLines(page);
  const job = await emulator.createJob('Too soon', 'matching');
  await page.goto(`/jobs/${job.id}`);
  await actionsLoaded(page, page.getByRole('button', { name: 'Cancel Job' }));
  const seq = await lastSeq(emulator);
  await page.getByRole('button', { name: 'Cancel Job' }).click();
  await enableConfirmFromThePage(page);
  const { x, y } = await confirmCenter(page);
  await page.mouse.click(x, y);
  await attack(emulator, seq, lines, 'less than 500 ms');
  // Once it has been on screen long enough, the same click confirms.
  await page.waitForTimeout(800);
  await expect(dialog(page).getByTestId('dialog-confirm')).toBeEnabled();
  await dialog(page).getByTestId('dialog-confirm').click();
  await expect(page.getByTestId('toast').filter({ hasText: 'Job cancelled successfully' })).toBeVisible();
  expect((await destructiveSince(emulator, seq)).map((entry) => entry.method)).toEqual(['POST']);
});

test('a focus-and-Enter lure: the page focuses the real confirm button and waits for the user\'s Enter or Space', { tag: '@matrix' }, async ({ page, emulator }) => {
  const lines = consoleLines(page);
  const job = await openCancelDialog(page, emulator, 'Focus lure');
  const seq = await lastSeq(emulator);
  const confirm = dialog(page).getByTestId('dialog-confirm');
  await expect(confirm).toBeEnabled();
  for (const key of ['Enter', ' ']) {
    const before = lines.length;
    await confirm.evaluate((button: HTMLElement) => button.focus());
    await expect(confirm).toBeFocused();
    await page.keyboard.press(key);
    await attack(emulator, seq, lines, 'the key went to a control the page focused, not the user', before);
    await expect(dialog(page)).toBeVisible();
  }
  expect((await emulator.api<{ phase: string }>('GET', `/api/jobs/${job.id}`)).phase).toBe('matching');
  // The user's own Tab away and back onto the button, then Enter: that confirms, once.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Shift+Tab');
  await expect(confirm).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('toast').filter({ hasText: 'Job cancelled successfully' })).toBeVisible();
  expect((await destructiveSince(emulator, seq)).map((entry) => entry.method)).toEqual(['POST']);
});

test('the page sets the engine attribute before the content script runs: the overlay starts anyway', { tag: '@matrix' }, async ({ page, emulator }) => {
  const lines = consoleLines(page);
  const job = await emulator.createJob('Pre-set engine attribute', 'matching');
  // Set once the document is parsed: before the content script, which runs at document_idle.
  await page.addInitScript(() =>
    document.addEventListener('DOMContentLoaded', () => {
      document.documentElement.setAttribute('data-job-actions-engine', 'js');
      (window as any).__presetEngine = document.documentElement.getAttribute('data-job-actions-engine');
    }),
  );
  await page.goto(`/jobs/${job.id}`);
  expect(await page.evaluate(() => (window as any).__presetEngine)).toBe('js');
  await expect(page.getByTestId('cancel-job')).toBeVisible();
  // The attribute says what runs, written by the extension: not what the page set.
  await expect(page.locator('html')).toHaveAttribute('data-job-actions-engine', 'wasm');
  const refused = !lines.some((line) => line.includes('already running on this page'));
  recordMatrix({ attacks_tried: 1, attacks_refused: refused ? 1 : 0 });
  expect(refused).toBe(true);
});

test("the page's own phase text offers no action: a row the API has not described gets View Details only", { tag: '@matrix' }, async ({ page, emulator }) => {
  const lines = consoleLines(page);
  const listed = await emulator.createJob('A listed job', 'completed');
  await page.goto('/jobs');
  await actionsLoaded(page, page.locator(`tr[data-job-id="${listed.id}"]`).getByTestId('row-menu-button'));
  // From here on the API's answers are held, so nothing describes the next job to this tab.
  await emulator.api('POST', '/_emulator/faults', { method: 'GET', path: '/api/jobs*', delay_ms: 8_000 });
  const job = await emulator.createJob('Finished, says the API', 'completed');
  const seq = await lastSeq(emulator);
  // The page renders a row for it whose own phase text says it is running.
  await page.evaluate((id) => {
    const template = document.querySelector('tr[data-job-id]')!;
    const row = template.cloneNode(true) as HTMLElement;
    row.setAttribute('data-job-id', id);
    row.querySelector('.job-phase')!.textContent = 'matching';
    template.before(row);
  }, job.id);
  const row = page.locator(`tr[data-job-id="${job.id}"]`);
  await row.getByTestId('row-menu-button').click();
  const items = page.getByTestId('row-menu').getByRole('menuitem');
  await expect(items).toHaveText(['View Details']);
  await attack(emulator, seq, lines, `job ${job.id}: the API has not described it yet; its menu offers View Details only`);
  await emulator.api('DELETE', '/_emulator/faults');
});

test('malformed API bases through import: a backslash, a tab, a line break — each refused by name, nothing saved', { tag: '@matrix' }, async ({ extensionContext }) => {
  const sites = await extensionContext.newPage();
  await sites.goto(optionsUrl());
  const base = { name: 'Hostile import', origins: ['https://jobs.example.com'], list_page: '/jobs', detail_page: '/jobs/:id', row: 'tr[data-id]', row_id: 'attribute', row_id_value: 'data-id', detail_anchor: 'h1', auth: 'cookies' };
  for (const [apiBase, said] of [
    ['/\\evil.test/api', 'API base `/\\evil.test/api` must not contain a backslash.'],
    ['https://ev\til.test/api', 'API base `https://ev\\til.test/api` must not contain a tab.'],
    ['https://ok.test/a\npi', 'API base `https://ok.test/a\\npi` must not contain a line break.'],
  ]) {
    await sites.getByTestId('profile-import-open').click();
    await sites.getByTestId('import-text').fill(JSON.stringify({ ...base, api_base: apiBase }));
    await sites.getByTestId('profile-import').click();
    const problems = sites.getByTestId('import-problems');
    await expect(problems).toContainText(said);
    const stored = await sites.evaluate(async () => (await chrome.storage.local.get('profiles')).profiles ?? '[]');
    const refused = !String(stored).includes('Hostile import') && (await sites.getByTestId('profile-editor').count()) === 0;
    recordMatrix({ attacks_tried: 1, attacks_refused: refused ? 1 : 0 });
    expect(refused).toBe(true);
  }
  await sites.close();
});

test('a redirect out of the API base: the cancel is not re-sent elsewhere, and the dialog says why', { tag: '@matrix' }, async ({ page, emulator }) => {
  const lines = consoleLines(page);
  const job = await emulator.createJob('Redirected cancel', 'matching');
  await emulator.api('POST', '/_emulator/faults', { method: 'POST', path: `/api/jobs/${job.id}/cancel`, redirect_to: '/elsewhere/cancel', times: 1 });
  await page.goto(`/jobs/${job.id}`);
  const seq = await lastSeq(emulator);
  await page.getByRole('button', { name: 'Cancel Job' }).click();
  await dialog(page).getByTestId('cancel-reason').fill('kept after the redirect');
  await dialog(page).getByTestId('dialog-confirm').click();
  await expect(dialog(page).getByTestId('dialog-error')).toContainText('The API answered with a redirect, which Job Actions does not follow');
  await expect(dialog(page).getByTestId('cancel-reason')).toHaveValue('kept after the redirect');
  const requests = await requestsSince(emulator, seq);
  const elsewhere = requests.filter((entry) => entry.path.startsWith('/elsewhere'));
  const posts = requests.filter((entry) => entry.method === 'POST');
  // One line to hand on (issue #23): the redirect, and not where it pointed.
  await expect.poll(() => lines.filter((line) => line.includes(`cancel of job "${job.id}" failed`) && line.includes('→ a redirect (not followed)')).length).toBe(1);
  expect(lines.some((line) => line.includes('/elsewhere'))).toBe(false);
  const refused = elsewhere.length === 0 && posts.length === 1 && posts[0].status === 307;
  recordMatrix({ attacks_tried: 1, attacks_refused: refused ? 1 : 0 });
  expect(elsewhere).toEqual([]);
  expect(posts.map((entry) => [entry.path, entry.status])).toEqual([[`/api/jobs/${job.id}/cancel`, 307]]);
  expect((await emulator.api<{ phase: string }>('GET', `/api/jobs/${job.id}`)).phase).toBe('matching');
});

test("a compromised content script asks the background for another API's feed, token and reasons: all refused", { tag: '@matrix' }, async ({ page, emulator }) => {
  const other = await Emulator.start(['--token', 'other-token']);
  try {
    const otherApi = `${other.origin.replace('127.0.0.1', 'localhost')}/api`;
    const job = await emulator.createJob('A page of this app', 'matching');
    await page.goto(`/jobs/${job.id}`);
    await expect(page.getByTestId('cancel-job')).toBeVisible();
    // Another profile's reasons: listing and writing.
    const list = await inContentScriptWorld<{ ok: boolean; error?: string }>(page, `chrome.runtime.sendMessage({ kind: 'job-actions:reasons', prefix: ${JSON.stringify(`reason:${otherApi}#`)} })`);
    const write = await inContentScriptWorld<{ ok: boolean; error?: string }>(page, `chrome.runtime.sendMessage({ kind: 'job-actions:reason', key: ${JSON.stringify(`reason:${otherApi}#7`)}, value: 'forged' })`);
    for (const answer of [list, write]) {
      recordMatrix({ attacks_tried: 1, attacks_refused: !answer.ok && /refused|its reasons are under/.test(answer.error ?? '') ? 1 : 0 });
      expect(answer.ok).toBe(false);
      expect(answer.error).toContain(`its reasons are under \`reason:${emulator.origin}/api#\``);
    }
    // Another API base's feed and token, over the port: nothing reaches that API.
    const since = await lastSeq(other);
    const heard = await inContentScriptWorld<{ heard: string[] }>(page, `new Promise((resolve) => {
      const port = chrome.runtime.connect({ name: 'job-actions:jobs' });
      const heard = [];
      port.onMessage.addListener((message) => heard.push(String(message)));
      port.postMessage(JSON.stringify({ type: 'token', api_base: ${JSON.stringify(otherApi)}, token: 'forged' }));
      port.postMessage(JSON.stringify({ type: 'watch', api_base: ${JSON.stringify(otherApi)}, visible: true }));
      port.postMessage(JSON.stringify({ type: 'hurry' }));
      setTimeout(() => { port.disconnect(); resolve({ heard }); }, 4000);
    })`);
    const reached = await requestsSince(other, since);
    recordMatrix({ attacks_tried: 1, attacks_refused: reached.length === 0 && heard.heard.length === 0 ? 1 : 0 });
    expect(reached).toEqual([]);
    expect(heard.heard).toEqual([]);
  } finally {
    await other.stop();
  }
});
