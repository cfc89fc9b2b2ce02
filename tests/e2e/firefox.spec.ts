// The same checks in Firefox ESR: Playwright cannot load Firefox extensions, so this file drives
// firefox-esr through geckodriver (WebDriver) with dist/firefox installed as a temporary add-on.
import { test, expect, cardAppProfile, Emulator, FIREFOX_EXTENSION, managedProfile, requestsSince, lastSeq, recordMatrix, fault } from './fixtures';
import { Builder, By, Key, until, type WebDriver, type WebElement } from 'selenium-webdriver';
import firefox from 'selenium-webdriver/firefox.js';
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

// Any fixed UUID: it pins the moz-extension:// origin so the popup page can be opened.
const ADDON_UUID = '6a1c2f9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b';
const GECKO_ID = JSON.parse(readFileSync(join(FIREFOX_EXTENSION, 'manifest.json'), 'utf8'))
  .browser_specific_settings.gecko.id as string;

function geckodriverPath(): string {
  const cargoBin = join(process.env.CARGO_HOME ?? join(homedir(), '.cargo'), 'bin', 'geckodriver');
  if (existsSync(cargoBin)) return cargoBin;
  return execSync('command -v geckodriver', { shell: '/bin/sh' }).toString().trim();
}

let driver: WebDriver;
let emulator: Emulator;

/** Headless firefox-esr with dist/firefox installed as a temporary add-on. */
async function startFirefox(): Promise<WebDriver> {
  const options = new firefox.Options()
    .setBinary(FIREFOX_BIN)
    .addArguments('-headless')
    .setPreference('extensions.webextensions.uuids', JSON.stringify({ [GECKO_ID]: ADDON_UUID }))
    // Headless Firefox cannot click a permission prompt. With this pref (Firefox's own, for
    // automation) the add-on's real `permissions.request` grants optional origins without one.
    .setPreference('extensions.webextOptionalPermissionPrompts', false);
  const service = new firefox.ServiceBuilder(geckodriverPath()).addArguments('--allow-system-access');
  const started = await new Builder().forBrowser('firefox').setFirefoxOptions(options).setFirefoxService(service).build();
  await started.installAddon(FIREFOX_EXTENSION, true);
  return started;
}

const FIREFOX_BIN = process.env.FIREFOX_BIN ?? '/usr/bin/firefox-esr';

test.beforeAll(async () => {
  emulator = await Emulator.start();
  driver = await startFirefox();
});

test.afterAll(async () => {
  await driver?.quit();
  await emulator?.stop();
});

/** Polls a script in the page until it returns a non-null value. */
async function waitFor<T>(script: string, what: string, timeoutMs = 15_000): Promise<T> {
  let last: unknown;
  const result = await driver.wait(
    async () => {
      last = await driver.executeScript(script);
      return last ?? false;
    },
    timeoutMs,
    `timed out waiting for ${what}`,
  );
  return result as T;
}

const BADGE_TEXTS = `
  return Array.from(document.querySelectorAll('[data-job-id]'), (row) => {
    const hosts = row.querySelectorAll('[data-job-actions="phase-badge"]');
    const badge = hosts[0]?.shadowRoot?.querySelector('[data-testid="phase-badge"]');
    return [row.getAttribute('data-job-id'), hosts.length, badge?.dataset.phase ?? null];
  });`;

for (const csp of ['default', 'strict'] as const) {
  const query = csp === 'strict' ? '?csp=strict' : '';

  test(`Firefox: detail page badge (${csp} CSP)`, async () => {
    const cancelled = await emulator.jobInPhase('cancelled');
    await driver.get(`${emulator.origin}/jobs/${cancelled.id}${query}`);
    const badge = await waitFor<{ text: string; variant: string; background: string }>(
      `const host = document.querySelector('.job-header .job-title + [data-job-actions="phase-badge"]');
       const badge = host?.shadowRoot?.querySelector('[data-testid="phase-badge"]');
       return badge ? { text: badge.textContent, variant: badge.dataset.variant,
                        background: getComputedStyle(badge).backgroundColor } : null;`,
      'the detail badge',
    );
    expect(badge).toEqual({ text: 'Cancelled', variant: 'cancelled', background: 'rgb(234, 238, 242)' });
    // Firefox compiles WebAssembly in content scripts whatever the page CSP says.
    expect(await driver.executeScript('return document.documentElement.dataset.jobActionsEngine')).toBe('wasm');
  });

  test(`Firefox: one badge per list row (${csp} CSP)`, async () => {
    const jobs = await emulator.jobs();
    await driver.get(`${emulator.origin}/jobs${query}`);
    await waitFor(
      `const rows = ${BADGE_TEXTS.replace('return', '')};
       return rows.length === ${jobs.length} && rows.every(([, n, phase]) => n === 1 && phase) ? rows : null;`,
      'a badge on every row',
    );
    const rows = (await driver.executeScript(BADGE_TEXTS)) as [string, number, string][];
    expect(rows.map(([id, n, phase]) => [id, n, phase])).toEqual(jobs.map((job) => [job.id, 1, job.phase]));
  });
}

test('Firefox: the wasm2js fallback runs too', async () => {
  // Firefox never needs the fallback (it compiles WebAssembly in content scripts under any page
  // CSP), but the same classic script the background would inject must start the crate there too:
  // run it in the add-on's own page, where no loader has started the wasm build.
  await driver.get(`moz-extension://${ADDON_UUID}/popup/popup.html`);
  const engine = await driver.executeAsyncScript(`
    const done = arguments[arguments.length - 1];
    const script = document.createElement('script');
    script.src = browser.runtime.getURL('content/js/content.js');
    script.onload = () => done(document.documentElement.dataset.jobActionsEngine ?? 'not started');
    script.onerror = () => done('the script did not load');
    document.head.append(script);`);
  expect(engine).toBe('js');
});

test('Firefox: the popup lists the jobs', async () => {
  const jobs = (await emulator.jobs()).slice(0, 20);
  await openFirefoxPopup();
  const ids = await waitFor<string[]>(
    `const rows = Array.from(document.querySelectorAll('[data-testid="job-row"]'), (row) => row.dataset.jobId);
     return rows.length === ${jobs.length} ? rows : null;`,
    'the popup rows',
  );
  expect(ids).toEqual(jobs.map((job) => job.id));
});

/** An element inside the shadow root of the overlay host `feature`. */
async function inOverlay(feature: string, css: string): Promise<WebElement> {
  const host = await driver.wait(until.elementLocated(By.css(`[data-job-actions="${feature}"]`)), 10_000);
  const shadow = await host.getShadowRoot();
  return driver.wait(async () => {
    const found = await shadow.findElements(By.css(css));
    return found[0] ?? false;
  }, 10_000, `no ${css} in ${feature}`);
}

/**
 * The dialog's confirm button once it takes a click: it stays disabled until the dialog has been
 * fully visible for half a second (issue #20), as a person takes longer than that to read it.
 */
async function armedConfirm(): Promise<WebElement> {
  const confirm = await inOverlay('dialog', '[data-testid="dialog-confirm"]');
  await driver.wait(async () => (await confirm.isEnabled()) && !(await confirm.getAttribute('aria-busy')), 10_000, 'the confirm button was never armed');
  return confirm;
}

async function textOf(feature: string, css: string): Promise<string> {
  return driver.executeScript(
    `return document.querySelector('[data-job-actions="${feature}"]')?.shadowRoot?.querySelector(arguments[0])?.textContent ?? null`,
    css,
  ) as Promise<string>;
}

test('Firefox: cancel with a reason, then the page shows the cancellation', async () => {
  const job = await emulator.createJob('Firefox cancel', 'matching');
  await driver.get(`${emulator.origin}/jobs/${job.id}`);
  const actionsBuild = () => driver.executeScript('return document.documentElement.dataset.jobActionsActions ?? null');
  const cancel = await inOverlay('detail-actions', '[data-testid="cancel-job"]');
  // The page-wide build alone until a control is used; then the actions build takes over.
  expect(await actionsBuild()).toBeNull();
  await cancel.click();
  const reason = await inOverlay('dialog', 'textarea[name="reason"]');
  expect(await actionsBuild()).toBe('wasm');
  await reason.sendKeys('from Firefox');
  await (await armedConfirm()).click();
  await driver.wait(async () => (await textOf('toasts', '[data-testid="toast"]'))?.includes('Job cancelled successfully'), 10_000);
  await driver.wait(async () => (await textOf('phase-badge', '.badge')) === 'Cancelled', 10_000);
  expect(await textOf('cancellation-info', '[data-field="Notes"]')).toBe('from Firefox');
  const server = await emulator.api<{ phase: string; cancellation_notes: string }>('GET', `/api/jobs/${job.id}`);
  expect([server.phase, server.cancellation_notes]).toEqual(['cancelled', 'from Firefox']);
});

test('Firefox: Cancel & Delete of a running job cancels it, waits for its workers, deletes it, and the list shows the carried toast', async () => {
  // Issue #23: one confirmation, the cancel first, the delete once the job is terminal.
  await emulator.api('POST', '/_emulator/worker', { cancel_delay_ms: 2_000 });
  const job = await emulator.createJob('Firefox delete', 'evidence');
  await driver.get(`${emulator.origin}/jobs/${job.id}`);
  const since = await lastSeq(emulator);
  await (await inOverlay('detail-actions', '[data-testid="delete-job"]')).click();
  await (await armedConfirm()).click();
  await driver.wait(
    async () => (await textOf('detail-actions', '[data-testid="delete-job"]')) === 'Cancelling…',
    10_000,
    'the delete control does not show the step',
  );
  await driver.wait(until.urlIs(`${emulator.origin}/jobs`), 15_000, 'no redirect to the list');
  await emulator.api('POST', '/_emulator/worker', { cancel_delay_ms: 0 });
  const writes = (await requestsSince(emulator, since)).filter((r) => r.method !== 'GET' && r.path.startsWith(`/api/jobs/${job.id}`));
  expect(writes.map((r) => `${r.method} ${r.query ?? ''} ${r.status}`)).toEqual(['POST  200', 'DELETE force=false 200']);
  await driver.wait(
    async () => (await textOf('toasts', '[data-testid="toast"]'))?.includes('Job deleted successfully'),
    10_000,
    'no carried toast on the list',
  );
  expect(await driver.findElements(By.css(`[data-job-id="${job.id}"]`))).toHaveLength(0);
});

test('Firefox: Activity keeps a Cancel & Delete\'s two requests with the server\'s answers and the 404; the carried toast offers the receipt', async () => {
  // Issue #23, item 2.
  await emulator.api('POST', '/_emulator/worker', { cancel_delay_ms: 500 });
  const job = await emulator.createJob('Firefox activity', 'matching');
  await driver.get(`${emulator.origin}/jobs/${job.id}`);
  await (await inOverlay('detail-actions', '[data-testid="delete-job"]')).click();
  await (await armedConfirm()).click();
  await driver.wait(until.urlIs(`${emulator.origin}/jobs`), 15_000, 'no redirect to the list');
  await emulator.api('POST', '/_emulator/worker', { cancel_delay_ms: 0 });
  await driver.wait(
    async () => (await textOf('toasts', '[data-testid="copy-receipt"]')) === 'Copy receipt',
    10_000,
    'no "Copy receipt" on the carried toast',
  );
  await openFirefoxPopup();
  await (await driver.findElement(By.css('[data-testid="view-activity"]'))).click();
  const entry = (action: string) => By.css(`[data-testid="activity-entry"][data-entry-id$="-${action}-${job.id}"]`);
  // The background writes the log at most once a second while entries keep coming, and the view
  // follows each write: the answers may show a moment after the entries.
  for (const action of ['cancel', 'delete']) {
    await driver.wait(until.elementLocated(entry(action)), 10_000, `no ${action} entry`);
    await driver.wait(
      async () => (await driver.findElement(entry(action)).getAttribute('data-outcome')) === 'accepted',
      10_000,
      `the ${action} entry never showed its answer`,
    );
  }
  const confirmed = await driver.wait(
    async () => (await driver.findElement(entry('delete')).findElements(By.css('[data-testid="activity-confirmed"]')))[0] ?? false,
    10_000,
    'the delete entry never showed its confirmation',
  );
  expect(await confirmed.getText()).toContain('a read of the job answered 404');
});

/** An element inside the shadow root of the overlay host `feature` within a list row. */
async function inRow(jobId: string, feature: string, css: string): Promise<WebElement> {
  const row = await driver.wait(until.elementLocated(By.css(`tr[data-job-id="${jobId}"]`)), 10_000);
  const host = await driver.wait(async () => (await row.findElements(By.css(`[data-job-actions="${feature}"]`)))[0] ?? false, 10_000);
  return (await host.getShadowRoot()).findElement(By.css(css));
}

test('Firefox: cancel from a row menu, then delete the row', async () => {
  const job = await emulator.createJob('Firefox row', 'matching');
  await driver.get(`${emulator.origin}/jobs`);
  await (await inRow(job.id, 'row-menu', '[data-testid="row-menu-button"]')).click();
  await (await inOverlay('menu', '[data-testid="menu-item-cancel"]')).click();
  await (await inOverlay('dialog', 'textarea[name="reason"]')).sendKeys('row reason');
  await (await armedConfirm()).click();
  await driver.wait(async () => {
    const badge = await driver.executeScript(
      `return document.querySelector('tr[data-job-id="${job.id}"] [data-job-actions="phase-badge"]')?.shadowRoot?.querySelector('.badge')?.textContent`,
    );
    return badge === 'Cancelled';
  }, 10_000, 'the row badge did not turn Cancelled');
  const server = await emulator.api<{ phase: string; cancellation_notes: string }>('GET', `/api/jobs/${job.id}`);
  expect([server.phase, server.cancellation_notes]).toEqual(['cancelled', 'row reason']);
  await (await inRow(job.id, 'row-menu', '[data-testid="row-menu-button"]')).click();
  await (await inOverlay('menu', '[data-testid="menu-item-delete"]')).click();
  await (await armedConfirm()).click();
  await driver.wait(async () => !(await driver.findElement(By.css(`tr[data-job-id="${job.id}"]`)).isDisplayed()), 10_000, 'the row stayed visible');
  const gone = await fetch(`${emulator.origin}/api/jobs/${job.id}`);
  expect(gone.status).toBe(404);
});

test('Firefox: bulk delete on the list — a Shift+click range, one confirmation, one DELETE per job, never more than four at once, the summary (issue #24)', async () => {
  const jobs = [];
  for (let i = 1; i <= 6; i++) jobs.push(await emulator.createJob(`Firefox bulk ${i}`, 'completed'));
  jobs.reverse();
  await driver.get(`${emulator.origin}/jobs`);
  await (await inRow(jobs[0].id, 'row-menu', '[data-testid="row-select"]')).click();
  const last = await inRow(jobs[5].id, 'row-menu', '[data-testid="row-select"]');
  await driver.actions().keyDown(Key.SHIFT).click(last).keyUp(Key.SHIFT).perform();
  await driver.wait(async () => (await textOf('bulk-bar', '[data-testid="bulk-count"]')) === '6 selected', 10_000, 'the bar never said 6 selected');
  expect(await textOf('bulk-bar', '[data-testid="bulk-delete"]')).toBe('Delete 6');
  await fault(emulator, { method: 'DELETE', path: '/api/jobs/*', delay_ms: 100 });
  const since = await lastSeq(emulator);
  await (await inOverlay('bulk-bar', '[data-testid="bulk-delete"]')).click();
  expect(await textOf('dialog', 'h2')).toBe('Delete 6 jobs?');
  await (await armedConfirm()).click();
  await driver.wait(async () => (await textOf('bulk-bar', '[data-testid="bulk-summary"]')) === '6 deleted', 15_000, 'no summary');
  await emulator.api('DELETE', '/_emulator/faults');
  const deletes = (await requestsSince(emulator, since)).filter((request) => request.method === 'DELETE');
  expect(deletes.map((request) => request.path).sort()).toEqual(jobs.map((job) => `/api/jobs/${job.id}`).sort());
  const most = Math.max(...deletes.map((one) => deletes.filter((other) => other.at_ms <= one.at_ms && other.done_ms > one.at_ms).length));
  expect(most).toBeLessThanOrEqual(4);
  for (const job of jobs) expect((await fetch(`${emulator.origin}/api/jobs/${job.id}`)).status).toBe(404);
  await (await inOverlay('bulk-bar', '[data-testid="bulk-done"]')).click();
});

test('Firefox: a press the app draws again under the pointer still counts — a checkbox once, a menu that stays open', async () => {
  const [done, running] = [await emulator.createJob('Firefox redrawn 1', 'completed'), await emulator.createJob('Firefox redrawn 2', 'matching')];
  // The app re-renders its rows only when told (`emulator:render`).
  await driver.get(`${emulator.origin}/jobs?rerender=600000`);
  /** Button down on the control, the app draws every row again, button up on the control's twin. */
  const pressAcrossRender = async (jobId: string, css: string) => {
    await driver.actions().move({ origin: await inRow(jobId, 'row-menu', css) }).press().perform();
    await driver.executeScript(`document.dispatchEvent(new Event('emulator:render'))`);
    await driver.actions().move({ origin: await inRow(jobId, 'row-menu', css) }).release().perform();
  };
  await pressAcrossRender(done.id, '[data-testid="row-select"]');
  await driver.wait(async () => (await textOf('bulk-bar', '[data-testid="bulk-count"]')) === '1 selected', 10_000, 'the bar never said 1 selected');
  expect(await (await inRow(done.id, 'row-menu', '[data-testid="row-select"]')).getAttribute('aria-checked')).toBe('true');
  await pressAcrossRender(running.id, '[data-testid="row-menu-button"]');
  await driver.wait(async () => (await driver.findElements(By.css('[data-job-actions="menu"]'))).length === 1, 10_000, 'no menu opened');
  await driver.sleep(300);
  expect(await driver.findElements(By.css('[data-job-actions="menu"]'))).toHaveLength(1);
  expect(await textOf('bulk-bar', '[data-testid="bulk-count"]')).toBe('1 selected');
});

test('Firefox: focus on a row checkbox stays on it when the app draws its rows again', async () => {
  const job = await emulator.createJob('Firefox focus kept', 'completed');
  await driver.get(`${emulator.origin}/jobs?rerender=600000`);
  await driver.executeScript('arguments[0].focus()', await inRow(job.id, 'row-menu', '[data-testid="row-select"]'));
  // Focus loads the actions build, which keeps it.
  await driver.wait(async () => (await driver.executeScript('return document.documentElement.dataset.jobActionsActions ?? null')) !== null, 10_000, 'no actions build');
  const focused = () => driver.executeScript(`
    const inner = document.activeElement?.shadowRoot?.activeElement;
    return inner ? [inner.dataset.testid, inner.isConnected, inner.closest ? inner.getRootNode().host.closest('tr')?.dataset.jobId : null] : null;`);
  const replaced = await driver.executeScript(`
    const before = document.querySelector('table.jobs tbody tr');
    document.dispatchEvent(new Event('emulator:render'));
    return !before.isConnected;`);
  expect(replaced).toBe(true);
  await driver.wait(async () => JSON.stringify(await focused()) === JSON.stringify(['row-select', true, job.id]), 10_000, 'focus did not come back to the checkbox');
  await driver.actions().sendKeys(' ').perform();
  await driver.wait(async () => (await (await inRow(job.id, 'row-menu', '[data-testid="row-select"]')).getAttribute('aria-checked')) === 'true', 10_000, 'Space did not check it');
});

// Half of issue #10's failure matrix, in Firefox.

async function cancelPosts(since: number, jobId: string) {
  return (await requestsSince(emulator, since)).filter((entry) => entry.method === 'POST' && entry.path === `/api/jobs/${jobId}/cancel`);
}

async function reasonValue(): Promise<string> {
  return driver.executeScript(
    `return document.querySelector('[data-job-actions="dialog"]')?.shadowRoot?.querySelector('textarea')?.value ?? null`,
  ) as Promise<string>;
}

test('Firefox: a dropped connection keeps the dialog and the reason; Retry resends it', { tag: '@matrix' }, async () => {
  const job = await emulator.createJob('Firefox dropped', 'matching');
  await driver.get(`${emulator.origin}/jobs/${job.id}`);
  await (await inOverlay('detail-actions', '[data-testid="cancel-job"]')).click();
  await (await inOverlay('dialog', 'textarea[name="reason"]')).sendKeys('kept in Firefox');
  await fault(emulator, { method: 'POST', path: `/api/jobs/${job.id}/cancel`, drop: true, times: 1 });
  const since = await lastSeq(emulator);
  await (await armedConfirm()).click();
  await driver.wait(
    async () => (await textOf('dialog', '[data-testid="dialog-error"]')) === 'Failed to cancel job: Could not reach the server. Check your connection, then retry.',
    10_000,
    'no network error in the dialog',
  );
  const kept = await reasonValue();
  expect(await textOf('dialog', '[data-testid="dialog-confirm"]')).toBe('Retry');
  await (await armedConfirm()).click();
  await driver.wait(async () => (await textOf('phase-badge', '.badge')) === 'Cancelled', 10_000, 'not cancelled after Retry');
  const sent = await cancelPosts(since, job.id);
  recordMatrix({ destructive_sent_twice: sent.length - 2, reasons_lost: kept === 'kept in Firefox' ? 0 : 1 });
  expect(kept).toBe('kept in Firefox');
  expect(sent.map((entry) => entry.fault ?? 'ok')).toEqual(['dropped connection', 'ok']);
  expect(sent[0].body).toBe(sent[1].body);
});

test('Firefox: 403 disables the actions and says why', { tag: '@matrix' }, async () => {
  const job = await emulator.createJob('Firefox forbidden', 'evidence');
  await driver.get(`${emulator.origin}/jobs/${job.id}`);
  await (await inOverlay('detail-actions', '[data-testid="cancel-job"]')).click();
  await fault(emulator, { method: 'POST', path: `/api/jobs/${job.id}/cancel`, status: 403, detail: 'Forbidden', times: 1 });
  const since = await lastSeq(emulator);
  await (await armedConfirm()).click();
  const message = "You don't have permission to cancel this job. Ask an admin.";
  await driver.wait(async () => (await textOf('detail-actions', '[data-testid="actions-refused"]')) === message, 10_000, 'no refusal note');
  const cancel = await inOverlay('detail-actions', '[data-testid="cancel-job"]');
  expect(await cancel.isEnabled()).toBe(false);
  expect(await cancel.getAttribute('aria-describedby')).toBe('ja-refused');
  recordMatrix({ destructive_sent_twice: (await cancelPosts(since, job.id)).length - 1 });
});

test('Firefox: hostile title and HTML error page render as text; a `/` in the id stays in one segment', { tag: '@matrix' }, async () => {
  const title = '<img src=x onerror="window.__pwned=(window.__pwned||0)+1">';
  const id = `ff/${Date.now()}`;
  await emulator.api('POST', '/api/jobs', { id, title, phase: 'matching' });
  await driver.get(`${emulator.origin}/jobs`);
  await (await inRow(id, 'row-menu', '[data-testid="row-menu-button"]')).click();
  await (await inOverlay('menu', '[data-testid="menu-item-cancel"]')).click();
  expect(await textOf('dialog', '[data-testid="dialog-job-title"]')).toBe(title);
  await fault(emulator, { method: 'POST', path: `/api/jobs/${encodeURIComponent(id)}/cancel`, status: 502, body: '<html><script>window.__pwned=1</script><h1>Bad Gateway</h1></html>', times: 1 });
  const since = await lastSeq(emulator);
  await (await armedConfirm()).click();
  await driver.wait(
    async () => (await textOf('dialog', '[data-testid="dialog-error"]')) === 'Failed to cancel job: The server had a problem (HTTP 502). Try again in a moment.',
    10_000,
    'no generic 5xx message',
  );
  await (await armedConfirm()).click();
  await driver.wait(async () => (await emulator.api<{ phase: string }>('GET', `/api/jobs/${encodeURIComponent(id)}`)).phase === 'cancelled', 10_000, 'not cancelled');
  const executions = (await driver.executeScript('return window.__pwned ?? 0')) as number;
  const sent = await cancelPosts(since, encodeURIComponent(id));
  recordMatrix({ script_executions: executions, destructive_sent_twice: sent.length - 2 });
  expect(executions).toBe(0);
  expect(sent.map((entry) => entry.status)).toEqual([502, 200]);
});

/** Waits until `read` returns `expected`, saying what was last read when it never does. */
async function eventually<T>(read: () => Promise<T>, expected: T, what: string, timeoutMs = 10_000): Promise<void> {
  let last: T | undefined;
  await driver
    .wait(async () => {
      last = await read();
      return last === expected;
    }, timeoutMs)
    .catch(async () => {
      // What the overlay shows, to tell a missing element from a wrong text.
      const overlay = await driver.executeScript(
        `return Array.from(document.querySelectorAll('[data-job-actions]'), (host) =>
           host.dataset.jobActions + ': ' + (host.shadowRoot?.textContent ?? '').slice(0, 200));`,
      );
      throw new Error(`${what}: expected ${JSON.stringify(expected)}, last saw ${JSON.stringify(last)}; overlay: ${JSON.stringify(overlay)}`);
    });
}

const badgeText = () => textOf('phase-badge', '.badge');
const toastText = () => textOf('toasts', '[data-testid="toast"] .text');

async function openCancelDialog(jobId: string): Promise<void> {
  await driver.get(`${emulator.origin}/jobs/${jobId}`);
  await (await inOverlay('detail-actions', '[data-testid="cancel-job"]')).click();
  await inOverlay('dialog', '[data-testid="dialog-confirm"]');
}

async function confirmDialog(): Promise<void> {
  await (await armedConfirm()).click();
}

test('Firefox: cancelled elsewhere meanwhile → "already cancelled", with why from the answer', { tag: '@matrix' }, async () => {
  const job = await emulator.createJob('Firefox cancelled elsewhere', 'matching');
  await openCancelDialog(job.id);
  await emulator.api('POST', `/api/jobs/${job.id}/cancel`, { reason: 'user_request', notes: 'from another tab' });
  const since = await lastSeq(emulator);
  await confirmDialog();
  await eventually(toastText, 'This job has already been cancelled.', 'the info toast');
  expect(await driver.executeScript(`return document.querySelector('[data-job-actions="toasts"]').shadowRoot.querySelector('[data-testid="toast"]').dataset.kind`)).toBe('info');
  await eventually(badgeText, 'Cancelled', 'the badge');
  await eventually(() => textOf('cancellation-info', '[data-field="Notes"]'), 'from another tab', 'the first cancellation’s notes');
  recordMatrix({ destructive_sent_twice: (await cancelPosts(since, job.id)).length - 1 });
});

test('Firefox: finished at cancel time → its real state with an info message, no error', { tag: '@matrix' }, async () => {
  const job = await emulator.createJob('Firefox finished meanwhile', 'evidence');
  await openCancelDialog(job.id);
  const answer = { job_id: job.id, phase: 'failed', cancelled_at: null, reason: null, notes: null };
  await fault(emulator, { method: 'POST', path: `/api/jobs/${job.id}/cancel`, status: 200, body: JSON.stringify(answer), times: 1 });
  await confirmDialog();
  await eventually(toastText, 'This job had already finished (failed); there was nothing to cancel.', 'the info toast');
  await eventually(badgeText, 'Failed', 'the badge');
  expect(await textOf('dialog', '[data-testid="dialog-error"]')).toBeNull();
});

test('Firefox: deleted elsewhere mid-action (404) → back to the list with "not found"', { tag: '@matrix' }, async () => {
  const job = await emulator.createJob('Firefox gone', 'completed');
  await driver.get(`${emulator.origin}/jobs/${job.id}`);
  await (await inOverlay('detail-actions', '[data-testid="delete-job"]')).click();
  await emulator.api('DELETE', `/api/jobs/${job.id}?force=true`);
  await confirmDialog();
  await driver.wait(until.urlIs(`${emulator.origin}/jobs`), 10_000, 'no redirect to the list');
  await eventually(toastText, 'Job not found or already deleted', 'the carried toast');
});

test('Firefox: 401 from a row menu says to sign in; the retry needs no retyping', { tag: '@matrix' }, async () => {
  const job = await emulator.createJob('Firefox expired session', 'collection');
  await driver.get(`${emulator.origin}/jobs`);
  await (await inRow(job.id, 'row-menu', '[data-testid="row-menu-button"]')).click();
  await (await inOverlay('menu', '[data-testid="menu-item-cancel"]')).click();
  await (await inOverlay('dialog', 'textarea[name="reason"]')).sendKeys('typed once');
  await fault(emulator, { method: 'POST', path: `/api/jobs/${job.id}/cancel`, status: 401, detail: 'Not authenticated', times: 1 });
  const since = await lastSeq(emulator);
  await confirmDialog();
  await eventually(
    () => textOf('dialog', '[data-testid="dialog-error"]'),
    'Failed to cancel job: Your session has expired. Sign in to the app again, then retry.',
    'the 401 message',
  );
  const signIn = await inOverlay('dialog', '[data-testid="dialog-sign-in"]');
  expect(await signIn.getAttribute('href')).toBe(`${emulator.origin}/`);
  const kept = await reasonValue();
  await confirmDialog();
  await driver.wait(async () => (await emulator.api<{ phase: string }>('GET', `/api/jobs/${job.id}`)).phase === 'cancelled', 10_000, 'not cancelled after the retry');
  const stored = await emulator.api<{ cancellation_notes: string }>('GET', `/api/jobs/${job.id}`);
  recordMatrix({ destructive_sent_twice: (await cancelPosts(since, job.id)).length - 2, reasons_lost: stored.cancellation_notes === 'typed once' ? 0 : 1 });
  expect([kept, stored.cancellation_notes]).toEqual(['typed once', 'typed once']);
});

test('Firefox: leaving mid-request aborts it, and nothing is applied to the next page', { tag: '@matrix' }, async () => {
  const job = await emulator.createJob('Firefox left mid-request', 'matching');
  await openCancelDialog(job.id);
  await fault(emulator, { method: 'POST', path: `/api/jobs/${job.id}/cancel`, delay_ms: 3_000, times: 1 });
  const since = await lastSeq(emulator);
  await confirmDialog();
  await driver.get(`${emulator.origin}/jobs`);
  await driver.wait(
    async () => (await cancelPosts(since, job.id)).map((entry) => entry.status).join() === '0',
    10_000,
    'the cancel was not abandoned',
  );
  await driver.sleep(1_000);
  expect(await toastText()).toBeNull();
  expect((await emulator.api<{ phase: string }>('GET', `/api/jobs/${job.id}`)).phase).toBe('matching');
  recordMatrix({ destructive_sent_twice: (await cancelPosts(since, job.id)).length - 1 });
});

test('Firefox: a typed reason survives a failed request and a reload, until the cancel succeeds', { tag: '@matrix' }, async () => {
  const job = await emulator.createJob('Firefox reason across a reload', 'matching');
  await openCancelDialog(job.id);
  await (await inOverlay('dialog', 'textarea[name="reason"]')).sendKeys('typed, then reloaded');
  await fault(emulator, { method: 'POST', path: `/api/jobs/${job.id}/cancel`, status: 503, times: 1 });
  await confirmDialog();
  await inOverlay('dialog', '[data-testid="dialog-error"]');
  await driver.navigate().refresh();
  await (await inOverlay('detail-actions', '[data-testid="cancel-job"]')).click();
  await inOverlay('dialog', 'textarea[name="reason"]');
  const after = await reasonValue();
  recordMatrix({ reasons_lost: after === 'typed, then reloaded' ? 0 : 1 });
  expect(after).toBe('typed, then reloaded');
  await confirmDialog();
  await eventually(badgeText, 'Cancelled', 'the badge');
  expect((await emulator.api<{ cancellation_notes: string }>('GET', `/api/jobs/${job.id}`)).cancellation_notes).toBe('typed, then reloaded');
  // Cleared after the success: the background's session storage holds no reason for this job.
  await driver.get(`moz-extension://${ADDON_UUID}/popup/popup.html`);
  const left = await driver.executeAsyncScript(
    `const done = arguments[arguments.length - 1];
     browser.storage.session.get(null).then((items) => done(Object.keys(items).filter((key) => key.endsWith(':' + arguments[0]))));`,
    job.id,
  );
  expect(left).toEqual([]);
});

/** The Firefox popup, as a tab, pointed at the emulator's API. */
async function openFirefoxPopup(): Promise<void> {
  await driver.get(`moz-extension://${ADDON_UUID}/popup/popup.html`);
  await driver.executeAsyncScript(
    `const done = arguments[arguments.length - 1];
     browser.storage.local.set({ settings: JSON.stringify({ api_base: arguments[0] }) }).then(() => done());`,
    `${emulator.origin}/api`,
  );
  await driver.navigate().refresh();
  await driver.wait(until.elementLocated(By.css('[data-testid="job-row"]')), 10_000);
}

test('Firefox popup: an unknown phase shows a neutral badge and no actions', { tag: '@matrix' }, async () => {
  const job = await emulator.createJob('Firefox newer backend', 'archiving');
  await openFirefoxPopup();
  const row = await driver.wait(until.elementLocated(By.css(`[data-job-id="${job.id}"]`)), 10_000);
  const badge = await row.findElement(By.css('[data-testid="phase-badge"]'));
  expect([await badge.getText(), await badge.getAttribute('data-variant')]).toEqual(['Unknown', 'unknown']);
  expect(await row.findElements(By.css('button'))).toHaveLength(0);
});

test('Firefox popup: a dropped connection keeps the dialog and the reason; Retry resends it', { tag: '@matrix' }, async () => {
  const job = await emulator.createJob('Firefox popup dropped', 'matching');
  await openFirefoxPopup();
  const row = await driver.wait(until.elementLocated(By.css(`[data-job-id="${job.id}"]`)), 10_000);
  await (await row.findElement(By.css('[data-testid="action-cancel"]'))).click();
  const dialog = await driver.wait(until.elementLocated(By.css('[role="alertdialog"]')), 10_000);
  await (await dialog.findElement(By.css('[data-testid="cancel-reason"]'))).sendKeys('popup reason');
  await fault(emulator, { method: 'POST', path: `/api/jobs/${job.id}/cancel`, drop: true, times: 1 });
  const since = await lastSeq(emulator);
  await (await dialog.findElement(By.css('[data-testid="dialog-confirm"]'))).click();
  const error = await driver.wait(until.elementLocated(By.css('[role="alertdialog"] [data-testid="dialog-error"]')), 10_000);
  await driver.wait(until.elementTextIs(error, 'Failed to cancel job: Could not reach the server. Check your connection, then retry.'), 10_000);
  const kept = await (await driver.findElement(By.css('[data-testid="cancel-reason"]'))).getAttribute('value');
  const confirm = await driver.findElement(By.css('[role="alertdialog"] [data-testid="dialog-confirm"]'));
  expect(await confirm.getText()).toBe('Retry');
  await confirm.click();
  await driver.wait(
    async () => (await driver.findElements(By.xpath(`//*[@data-testid="toast" and contains(., "Job cancelled successfully")]`))).length === 1,
    10_000,
    'no success toast after Retry',
  );
  const sent = await cancelPosts(since, job.id);
  recordMatrix({ destructive_sent_twice: sent.length - 2, reasons_lost: kept === 'popup reason' ? 0 : 1 });
  expect(kept).toBe('popup reason');
  expect(sent.map((entry) => entry.fault ?? 'ok')).toEqual(['dropped connection', 'ok']);
});

test('Firefox: a cancel in one tab shows "Cancelled" in a list tab within a second (one background for both)', async () => {
  const job = await emulator.createJob('Firefox live sync', 'matching');
  await driver.get(`${emulator.origin}/jobs`);
  const listTab = await driver.getWindowHandle();
  const listBadge = `return document.querySelector('tr[data-job-id="${job.id}"] [data-job-actions="phase-badge"]')?.shadowRoot?.querySelector('.badge')?.textContent ?? null`;
  await driver.wait(async () => (await driver.executeScript(listBadge)) === 'Matching', 10_000, 'the list badge');
  await driver.switchTo().newWindow('tab');
  const actingTab = await driver.getWindowHandle();
  try {
    await openCancelDialog(job.id);
    await confirmDialog();
    await eventually(badgeText, 'Cancelled', 'the acting tab');
    await driver.switchTo().window(listTab);
    await driver.wait(async () => (await driver.executeScript(listBadge)) === 'Cancelled', 1_000, 'the list tab within 1 s');
  } finally {
    await driver.switchTo().window(actingTab);
    await driver.close();
    await driver.switchTo().window(listTab);
  }
});

test('Firefox: a site profile added on the site-profiles page makes the overlay work on the card app; cancel there', async () => {
  const job = await emulator.createJob('Firefox card', 'matching');
  const origin = emulator.origin.replace('127.0.0.1', 'localhost');
  await driver.get(`moz-extension://${ADDON_UUID}/popup/popup.html`);
  const byTestId = (id: string) => driver.wait(until.elementLocated(By.css(`[data-testid="${id}"]`)), 10_000);
  // The popup's "Sites" opens the options page in a tab.
  const before = await driver.getAllWindowHandles();
  await (await byTestId('view-sites')).click();
  const opened = await driver.wait(
    async () => (await driver.getAllWindowHandles()).find((handle) => !before.includes(handle)) ?? false,
    10_000,
    'the site-profiles tab',
  );
  await driver.close();
  await driver.switchTo().window(opened);
  await driver.wait(until.urlIs(`moz-extension://${ADDON_UUID}/options/options.html`), 10_000);
  await (await byTestId('profile-add')).click();
  await (await driver.findElement(By.css('[data-testid="profile-row-id-kind"] option[value="link"]'))).click();
  for (const [id, value] of cardAppProfile('Runs', origin)) await (await byTestId(id)).sendKeys(value);
  await (await byTestId('profile-save')).click();
  const result = await byTestId('sites-result');
  await driver.wait(async () => (await result.getText()).startsWith('Saved'), 10_000, 'the profile saved');
  expect(await result.getText()).toBe(`Saved "Runs". The overlay runs on ${origin} from the next page load.`);
  await driver.wait(
    async () =>
      JSON.stringify(await driver.executeScript('return browser.scripting.getRegisteredContentScripts().then((all) => all.map((s) => s.id))')) ===
      JSON.stringify(['profile-origin:http://localhost/*']),
    10_000,
    'the content script registered for http://localhost',
  );

  // The card app (strict CSP; Firefox runs the wasm build anyway): a badge on the job's card.
  await driver.get(`${origin}/spa/runs`);
  const cardBadge = `return document.querySelector('article.card:has(a[href="/spa/runs/${job.id}/overview"]) [data-job-actions="phase-badge"]')?.shadowRoot?.querySelector('.badge')?.textContent ?? null`;
  await driver.wait(async () => (await driver.executeScript(cardBadge)) === 'Matching', 10_000, 'the card badge');
  expect(await driver.executeScript('return document.documentElement.dataset.jobActionsProfile')).toBe('Runs');
  expect(await driver.executeScript('return document.documentElement.dataset.jobActionsEngine')).toBe('wasm');
  // Client-side navigation to the job's page, then a cancel there. (The app re-renders its header
  // every 2 s, so a button found just before may be replaced: find and click again until one
  // click lands. The overlay acts on trusted clicks only, so WebDriver clicks, not a script.)
  await driver.executeScript(`document.querySelector('a[href="/spa/runs/${job.id}/overview"]').click()`);
  const clickInOverlay = (feature: string, css: string) =>
    driver.wait(
      async () => {
        try {
          const host = await driver.findElement(By.css(`[data-job-actions="${feature}"]`));
          const button = await (await host.getShadowRoot()).findElement(By.css(css));
          if (!(await button.isEnabled())) return false;
          await button.click();
          return true;
        } catch {
          return false; // not there yet, or replaced by the app's re-render meanwhile
        }
      },
      10_000,
      `no ${css} in ${feature}`,
    );
  await clickInOverlay('detail-actions', '[data-testid="cancel-job"]');
  await clickInOverlay('dialog', '[data-testid="dialog-confirm"]');
  await eventually(badgeText, 'Cancelled', 'the job page badge');
  expect((await emulator.api<{ phase: string }>('GET', `/api/jobs/${job.id}`)).phase).toBe('cancelled');
  expect(await driver.executeScript('return location.pathname')).toBe(`/spa/runs/${job.id}/overview`);
});

test('Firefox: a route change by history.pushState alone is noticed (Navigation API), and back restores the list', async () => {
  await driver.get(`${emulator.origin}/jobs`);
  const rows = (await emulator.jobs()).length;
  const hosts = (feature: string) => driver.executeScript(`return document.querySelectorAll('[data-job-actions="${feature}"]').length`);
  await driver.wait(async () => (await hosts('phase-badge')) === rows, 10_000, 'a badge per row');
  await driver.executeScript("history.pushState(null, '', '/reports')");
  await driver.wait(async () => (await hosts('phase-badge')) === 0 && (await hosts('row-menu')) === 0, 1_000, 'the list torn down');
  await driver.navigate().back();
  await driver.wait(async () => (await hosts('phase-badge')) === rows && (await hosts('row-menu')) === rows, 10_000, 'the list again');
});

test('Firefox: with a cookie-session API, the background is signed in as the page is', async () => {
  const ADMIN = 'admin-token';
  const app = await Emulator.start(['--session-cookie', 's3ss10n', '--token', ADMIN]);
  try {
    const { jobs } = await app.api<{ jobs: { id: string; phase: string }[] }>('GET', '/api/jobs?limit=1000', undefined, ADMIN);
    const job = jobs.find((candidate) => candidate.phase === 'matching')!;
    const seq = await lastSeq(app);
    await driver.get(`${app.origin}/jobs`);
    const badge = `const host = document.querySelector('tr[data-job-id="${job.id}"] [data-job-actions="phase-badge"]');
      return host ? [host.dataset.source, host.shadowRoot.querySelector('.badge').textContent] : null;`;
    await driver.wait(async () => JSON.stringify(await driver.executeScript(badge)) === JSON.stringify(['api', 'Matching']), 10_000, 'the badge from the API');
    // Cancelled on the server by someone else: the background's poll (on the extension's origin)
    // must carry the app's session cookie to see it.
    await app.api('POST', `/api/jobs/${job.id}/cancel`, { notes: 'elsewhere' }, ADMIN);
    await driver.wait(async () => ((await driver.executeScript(badge)) as string[] | null)?.[1] === 'Cancelled', 15_000, 'the cancel from the background');
    const api = (await requestsSince(app, seq)).filter((request) => request.path.startsWith('/api/'));
    expect(api.filter((request) => request.status === 401).map((request) => `${request.method} ${request.path}`)).toEqual([]);
  } finally {
    await app.stop();
  }
});

test('Firefox: a hostile page — a forged control and a transparent dialog — gets nothing sent (issue #20)', { tag: '@matrix' }, async () => {
  const victim = await emulator.createJob('Firefox forged-control victim', 'matching');
  const job = await emulator.createJob('Firefox hidden dialog', 'matching');
  await driver.get(`${emulator.origin}/jobs/${job.id}`);
  const cancel = await inOverlay('detail-actions', '[data-testid="cancel-job"]');
  const since = await lastSeq(emulator);
  const destructive = async () => (await requestsSince(emulator, since)).filter((entry) => entry.method === 'POST' || entry.method === 'DELETE');
  // A look-alike control of the page's own, over the whole window, under a real click.
  await driver.executeScript(`
    const host = document.createElement('span');
    host.id = 'forged';
    host.setAttribute('data-job-actions', 'detail-actions');
    const button = document.createElement('button');
    for (const [name, value] of Object.entries({ 'data-ja-action': 'menu-item', 'data-item': 'delete', 'data-ja-job': arguments[0] })) button.setAttribute(name, value);
    button.style.cssText = 'position:fixed;inset:0;opacity:0;z-index:2147483647';
    host.attachShadow({ mode: 'open' }).append(button);
    document.body.append(host);`, victim.id);
  await driver.actions().move({ x: 200, y: 200 }).click().perform();
  await driver.sleep(500);
  const forgedRefused = (await driver.findElements(By.css('[data-job-actions="dialog"]'))).length === 0 && (await destructive()).length === 0;
  recordMatrix({ attacks_tried: 1, attacks_refused: forgedRefused ? 1 : 0 });
  expect(forgedRefused).toBe(true);
  await driver.executeScript(`document.getElementById('forged').remove()`);
  // The real dialog, made transparent by the page, its confirm button's `disabled` taken off.
  await driver.executeScript(`const style = document.createElement('style'); style.textContent = '[data-job-actions="dialog"] { opacity: 0 !important; }'; document.head.append(style);`);
  await cancel.click();
  const confirm = await inOverlay('dialog', '[data-testid="dialog-confirm"]');
  await driver.sleep(900);
  expect(await confirm.isEnabled()).toBe(false);
  await driver.executeScript(`document.querySelector('[data-job-actions="dialog"]').shadowRoot.querySelector('[data-testid="dialog-confirm"]').removeAttribute('disabled')`);
  await driver.actions().move({ origin: confirm }).click().perform();
  await driver.sleep(500);
  const hiddenRefused = (await destructive()).length === 0;
  recordMatrix({ attacks_tried: 1, attacks_refused: hiddenRefused ? 1 : 0 });
  expect(hiddenRefused).toBe(true);
  expect((await emulator.api<{ phase: string }>('GET', `/api/jobs/${job.id}`)).phase).toBe('matching');
});

test('Firefox: the third host works through the conventions — Cancel and Delete with its CSRF token, and the action bar where no title matches (issue #19)', async () => {
  const app = await Emulator.start(['--csrf', '--list-shape', 'data']);
  try {
    const { token } = await app.api<{ token: string }>('GET', '/_emulator/csrf');
    const create = async (title: string, phase: string) => {
      const response = await fetch(`${app.origin}/api/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': token },
        body: JSON.stringify({ title, phase }),
      });
      expect(response.status).toBe(201);
      return (await response.json()) as { id: string };
    };
    const job = await create('Firefox ops job', 'matching');
    const since = await lastSeq(app);
    await driver.get(`${app.origin}/ops/jobs`);
    // The list answer is {"data": [...]}, rows keyed by data-id.
    await driver.wait(
      async () => (await driver.executeScript(`return document.querySelector('tr[data-id="${job.id}"] [data-job-actions="phase-badge"]')?.shadowRoot?.querySelector('.badge')?.textContent ?? null`)) === 'Matching',
      10_000,
      'a badge in the ops row',
    );
    // The app's own client-side link; the header's <h1> is the anchor.
    await (await driver.findElement(By.css(`tr[data-id="${job.id}"] a`))).click();
    await (await inOverlay('detail-actions', '[data-testid="cancel-job"]')).click();
    await (await armedConfirm()).click();
    await driver.wait(async () => (await textOf('phase-badge', '.badge')) === 'Cancelled', 10_000, 'cancelled');
    await (await inOverlay('detail-actions', '[data-testid="delete-job"]')).click();
    await (await armedConfirm()).click();
    await driver.wait(until.urlIs(`${app.origin}/ops/jobs`), 10_000, 'back to the ops list');
    const writes = (await requestsSince(app, since)).filter((entry) => entry.method !== 'GET' && entry.path.startsWith(`/api/jobs/${job.id}`));
    expect(writes.map((entry) => [entry.method, entry.status])).toEqual([
      ['POST', 200],
      ['DELETE', 200],
    ]);
    // A job page whose title is no heading: the action bar, and the cancel works from it.
    const other = await create('Firefox no title', 'evidence');
    await driver.get(`${app.origin}/ops/jobs/${other.id}?title=div`);
    const bar = await inOverlay('action-bar', '[data-testid="job-action-bar"]');
    expect(await bar.getAttribute('role')).toBe('region');
    expect(await driver.findElements(By.css('[data-job-actions="detail-actions"]'))).toHaveLength(0);
    // "Test on this tab" says why, as the console does (the web tab used last is this page).
    const jobPage = await driver.getWindowHandle();
    await driver.switchTo().newWindow('tab');
    await driver.get(`moz-extension://${ADDON_UUID}/options/options.html`);
    await (await driver.wait(until.elementLocated(By.css('[aria-label="Test Job app conventions on this tab"]')), 10_000)).click();
    const probe = await driver.wait(until.elementLocated(By.css('[data-testid="probe-result"]')), 10_000);
    await driver.wait(async () => (await probe.getText()).startsWith('Job page of'), 10_000, 'the probe result');
    expect(await probe.getText()).toBe(
      `Job page of ${other.id}: no element matches the detail anchor (tried \`[data-job-title]\`, \`.job-title\`, ` +
        '`header h1`, `main h1`, `h1` or `header h2`); the actions show in the action bar at the bottom of the page.',
    );
    await driver.close();
    await driver.switchTo().window(jobPage);
    await (await inOverlay('action-bar', '[data-testid="cancel-job"]')).click();
    await (await armedConfirm()).click();
    await driver.wait(
      async () => (await app.api<{ phase: string }>('GET', `/api/jobs/${encodeURIComponent(other.id)}`)).phase === 'cancelled',
      10_000,
      'cancelled from the bar',
    );
  } finally {
    await app.stop();
  }
});

test('Firefox: "Enable on this site" on the third host detects it, saves the profile, and a cancel through it works (issue #19)', async () => {
  const app = await Emulator.start(['--csrf', '--list-shape', 'results']);
  const origin = app.origin.replace('127.0.0.1', 'localhost');
  try {
    const byTestId = (id: string) => driver.wait(until.elementLocated(By.css(`[data-testid="${id}"]`)), 10_000);
    // A popup opened from the toolbar sees its tab's URL (activeTab); one opened as a tab, as
    // here, once the origin is granted: a click in an extension page asks for it (no prompt in
    // automation: extensions.webextOptionalPermissionPrompts).
    await driver.get(`moz-extension://${ADDON_UUID}/popup/popup.html`);
    await driver.executeScript(`const button = document.createElement('button'); button.id = 'grant';
      button.onclick = () => browser.permissions.request({ origins: ['http://localhost/*'] }); document.body.append(button);`);
    await (await driver.findElement(By.id('grant'))).click();
    await driver.wait(async () => ((await driver.executeAsyncScript(
      `const done = arguments[arguments.length - 1]; browser.permissions.getAll().then((all) => done(all.origins));`)) as string[]).includes('http://localhost/*'), 10_000, 'the grant');
    const { results } = await app.api<{ results: { id: string; phase: string }[] }>('GET', '/api/jobs?limit=1000');
    await driver.get(`${origin}/ops/jobs`);
    await driver.wait(async () => (await driver.findElements(By.css('tr[data-id]'))).length === results.length, 10_000, 'the ops rows');
    const page = await driver.getWindowHandle();
    await driver.switchTo().newWindow('tab');
    await driver.get(`moz-extension://${ADDON_UUID}/popup/popup.html`);
    await (await byTestId('enable-site')).click();
    const result = await byTestId('enable-result');
    await driver.wait(async () => (await result.getText()).includes('Saved as'), 15_000, 'the profile saved');
    expect(await result.getText()).toBe(
      `${results.length} rows \`tr[data-id], li[data-id], article[data-id], [role=row][data-id]\`, ids from \`data-id\`; ` +
        `job pages \`/ops/jobs/:id\`; the job list \`/ops/jobs\`; API \`${origin}/api\` answered with ${results.length} jobs. ` +
        `Saved as "${origin.replace('http://', '')}"; the actions are on the page now.`,
    );
    await driver.close();
    await driver.switchTo().window(page);
    await driver.wait(
      async () => (await driver.executeScript(`return document.querySelectorAll('tr[data-id] [data-job-actions="phase-badge"]').length`)) === results.length,
      10_000,
      'a badge per row without a reload',
    );
    const job = results.find((candidate) => candidate.phase === 'matching')!;
    await driver.get(`${origin}/ops/jobs/${job.id}`);
    await (await inOverlay('detail-actions', '[data-testid="cancel-job"]')).click();
    await (await armedConfirm()).click();
    await driver.wait(
      async () => (await app.api<{ phase: string }>('GET', `/api/jobs/${encodeURIComponent(job.id)}`)).phase === 'cancelled',
      10_000,
      'cancelled through the detected profile, with its CSRF token',
    );
  } finally {
    await app.stop();
  }
});

test('Firefox: a profile set by an organisation policy (policies.json 3rdparty) applies, shown as theirs; the popup grants its origin in one click (issue #19)', async () => {
  const app = await Emulator.start(['--csrf']);
  const origin = app.origin.replace('127.0.0.1', 'localhost');
  // Firefox reads enterprise policies from distribution/policies.json beside its binary, at start.
  const policies = join(dirname(realpathSync(FIREFOX_BIN)), 'distribution', 'policies.json');
  mkdirSync(dirname(policies), { recursive: true });
  writeFileSync(policies, JSON.stringify({ policies: { '3rdparty': { Extensions: { [GECKO_ID]: { profiles: [managedProfile(origin)] } } } } }));
  let managedDriver: WebDriver | undefined;
  try {
    managedDriver = await startFirefox();
    const byTestId = (id: string) => managedDriver!.wait(until.elementLocated(By.css(`[data-testid="${id}"]`)), 10_000);
    await managedDriver.get(`moz-extension://${ADDON_UUID}/popup/popup.html`);
    const offer = await byTestId('managed-offer');
    expect(await offer.getText()).toContain(`Your organisation set up Job Actions for Ops (organisation) (${origin}).`);
    await (await byTestId('managed-grant')).click();
    const result = await byTestId('managed-grant-result');
    await managedDriver.wait(async () => (await result.getText()).startsWith('Access allowed'), 10_000, 'access allowed');
    await managedDriver.get(`${origin}/ops/jobs`);
    await managedDriver.wait(
      async () => (await managedDriver!.executeScript('return document.documentElement.dataset.jobActionsProfile')) === 'Ops (organisation)',
      10_000,
      'the managed profile applies',
    );
    const rows = (await app.api<{ jobs: unknown[] }>('GET', '/api/jobs?limit=1000')).jobs.length;
    await managedDriver.wait(
      async () => (await managedDriver!.executeScript(`return document.querySelectorAll('tr[data-id] [data-job-actions="phase-badge"]').length`)) === rows,
      10_000,
      'a badge per row',
    );
    await managedDriver.get(`moz-extension://${ADDON_UUID}/options/options.html`);
    const managed = await byTestId('profile-managed');
    expect(await managed.getText()).toBe('(set by your organisation)');
    const first = await managedDriver.findElement(By.css('[data-testid="profile"]'));
    expect(await first.getAttribute('data-profile-name')).toBe('Ops (organisation)');
    expect(await first.findElements(By.css('[data-testid="profile-edit"], [data-testid="profile-delete"]'))).toHaveLength(0);
  } finally {
    await managedDriver?.quit();
    rmSync(policies, { force: true });
    await app.stop();
  }
});
