// The same checks in Firefox ESR: Playwright cannot load Firefox extensions, so this file drives
// firefox-esr through geckodriver (WebDriver) with dist/firefox installed as a temporary add-on.
import { test, expect, Emulator, FIREFOX_EXTENSION, requestsSince, lastSeq, recordMatrix } from './fixtures';
import { Builder, By, until, type WebDriver, type WebElement } from 'selenium-webdriver';
import firefox from 'selenium-webdriver/firefox.js';
import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

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

test.beforeAll(async () => {
  emulator = await Emulator.start();
  const options = new firefox.Options()
    .setBinary(process.env.FIREFOX_BIN ?? '/usr/bin/firefox-esr')
    .addArguments('-headless')
    .setPreference('extensions.webextensions.uuids', JSON.stringify({ [GECKO_ID]: ADDON_UUID }));
  const service = new firefox.ServiceBuilder(geckodriverPath()).addArguments('--allow-system-access');
  driver = await new Builder().forBrowser('firefox').setFirefoxOptions(options).setFirefoxService(service).build();
  await driver.installAddon(FIREFOX_EXTENSION, true);
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
  // Firefox never needs the fallback, but the same build must work there: load it by hand in the
  // add-on's own page and check it exports `start`.
  await driver.get(`moz-extension://${ADDON_UUID}/popup/popup.html`);
  const exported = await driver.executeAsyncScript(`
    const done = arguments[arguments.length - 1];
    import(browser.runtime.getURL('content/js/content.js'))
      .then((module) => done(typeof module.start))
      .catch((error) => done('error: ' + error));`);
  expect(exported).toBe('function');
});

test('Firefox: the popup lists the jobs', async () => {
  const jobs = (await emulator.jobs()).slice(0, 20);
  await driver.get(`moz-extension://${ADDON_UUID}/popup/popup.html`);
  await driver.executeAsyncScript(
    `const done = arguments[arguments.length - 1];
     browser.storage.local.set({ settings: JSON.stringify({ api_base: arguments[0] }) }).then(() => done());`,
    `${emulator.origin}/api`,
  );
  await driver.navigate().refresh();
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

async function textOf(feature: string, css: string): Promise<string> {
  return driver.executeScript(
    `return document.querySelector('[data-job-actions="${feature}"]')?.shadowRoot?.querySelector(arguments[0])?.textContent ?? null`,
    css,
  ) as Promise<string>;
}

test('Firefox: cancel with a reason, then the page shows the cancellation', async () => {
  const job = await emulator.createJob('Firefox cancel', 'matching');
  await driver.get(`${emulator.origin}/jobs/${job.id}`);
  await (await inOverlay('detail-actions', '[data-testid="cancel-job"]')).click();
  const reason = await inOverlay('dialog', 'textarea[name="reason"]');
  await reason.sendKeys('from Firefox');
  await (await inOverlay('dialog', '[data-testid="dialog-confirm"]')).click();
  await driver.wait(async () => (await textOf('toasts', '[data-testid="toast"]'))?.includes('Job cancelled successfully'), 10_000);
  await driver.wait(async () => (await textOf('phase-badge', '.badge')) === 'Cancelled', 10_000);
  expect(await textOf('cancellation-info', '[data-field="Notes"]')).toBe('from Firefox');
  const server = await emulator.api<{ phase: string; cancellation_notes: string }>('GET', `/api/jobs/${job.id}`);
  expect([server.phase, server.cancellation_notes]).toEqual(['cancelled', 'from Firefox']);
});

test('Firefox: delete through 409 and Force Delete, then the list shows the carried toast', async () => {
  const job = await emulator.createJob('Firefox delete', 'evidence');
  await driver.get(`${emulator.origin}/jobs/${job.id}`);
  await (await inOverlay('detail-actions', '[data-testid="delete-job"]')).click();
  await (await inOverlay('dialog', '[data-testid="dialog-confirm"]')).click();
  await driver.wait(
    async () => (await textOf('dialog', '[data-testid="dialog-confirm"]')) === 'Force Delete',
    10_000,
    'no Force Delete dialog',
  );
  await (await inOverlay('dialog', '[data-testid="dialog-confirm"]')).click();
  await driver.wait(until.urlIs(`${emulator.origin}/jobs`), 10_000, 'no redirect to the list');
  await driver.wait(
    async () => (await textOf('toasts', '[data-testid="toast"]'))?.includes('Job deleted successfully'),
    10_000,
    'no carried toast on the list',
  );
  expect(await driver.findElements(By.css(`[data-job-id="${job.id}"]`))).toHaveLength(0);
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
  await (await inRow(job.id, 'row-menu', 'button')).click();
  await (await inOverlay('menu', '[data-testid="menu-item-cancel"]')).click();
  await (await inOverlay('dialog', 'textarea[name="reason"]')).sendKeys('row reason');
  await (await inOverlay('dialog', '[data-testid="dialog-confirm"]')).click();
  await driver.wait(async () => {
    const badge = await driver.executeScript(
      `return document.querySelector('tr[data-job-id="${job.id}"] [data-job-actions="phase-badge"]')?.shadowRoot?.querySelector('.badge')?.textContent`,
    );
    return badge === 'Cancelled';
  }, 10_000, 'the row badge did not turn Cancelled');
  const server = await emulator.api<{ phase: string; cancellation_notes: string }>('GET', `/api/jobs/${job.id}`);
  expect([server.phase, server.cancellation_notes]).toEqual(['cancelled', 'row reason']);
  await (await inRow(job.id, 'row-menu', 'button')).click();
  await (await inOverlay('menu', '[data-testid="menu-item-delete"]')).click();
  await (await inOverlay('dialog', '[data-testid="dialog-confirm"]')).click();
  await driver.wait(async () => !(await driver.findElement(By.css(`tr[data-job-id="${job.id}"]`)).isDisplayed()), 10_000, 'the row stayed visible');
  const gone = await fetch(`${emulator.origin}/api/jobs/${job.id}`);
  expect(gone.status).toBe(404);
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
  await emulator.api('POST', '/_emulator/faults', { method: 'POST', path: `/api/jobs/${job.id}/cancel`, drop: true, times: 1 });
  const since = await lastSeq(emulator);
  await (await inOverlay('dialog', '[data-testid="dialog-confirm"]')).click();
  await driver.wait(
    async () => (await textOf('dialog', '[data-testid="dialog-error"]')) === 'Failed to cancel job: Could not reach the server. Check your connection, then retry.',
    10_000,
    'no network error in the dialog',
  );
  const kept = await reasonValue();
  expect(await textOf('dialog', '[data-testid="dialog-confirm"]')).toBe('Retry');
  await (await inOverlay('dialog', '[data-testid="dialog-confirm"]')).click();
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
  await emulator.api('POST', '/_emulator/faults', { method: 'POST', path: `/api/jobs/${job.id}/cancel`, status: 403, detail: 'Forbidden', times: 1 });
  const since = await lastSeq(emulator);
  await (await inOverlay('dialog', '[data-testid="dialog-confirm"]')).click();
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
  await (await inRow(id, 'row-menu', 'button')).click();
  await (await inOverlay('menu', '[data-testid="menu-item-cancel"]')).click();
  expect(await textOf('dialog', '[data-testid="dialog-job-title"]')).toBe(title);
  await emulator.api('POST', '/_emulator/faults', { method: 'POST', path: `/api/jobs/${encodeURIComponent(id)}/cancel`, status: 502, body: '<html><script>window.__pwned=1</script><h1>Bad Gateway</h1></html>', times: 1 });
  const since = await lastSeq(emulator);
  await (await inOverlay('dialog', '[data-testid="dialog-confirm"]')).click();
  await driver.wait(
    async () => (await textOf('dialog', '[data-testid="dialog-error"]')) === 'Failed to cancel job: The server had a problem (HTTP 502). Try again in a moment.',
    10_000,
    'no generic 5xx message',
  );
  await (await inOverlay('dialog', '[data-testid="dialog-confirm"]')).click();
  await driver.wait(async () => (await emulator.api<{ phase: string }>('GET', `/api/jobs/${encodeURIComponent(id)}`)).phase === 'cancelled', 10_000, 'not cancelled');
  const executions = (await driver.executeScript('return window.__pwned ?? 0')) as number;
  const sent = await cancelPosts(since, encodeURIComponent(id));
  recordMatrix({ script_executions: executions, destructive_sent_twice: sent.length - 2 });
  expect(executions).toBe(0);
  expect(sent.map((entry) => entry.status)).toEqual([502, 200]);
});
