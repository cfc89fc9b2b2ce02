// Live sync (issue #9): API requests per minute with 1, 5 and 20 open job tabs (and all hidden),
// with 1, 5 and 20 job pages of distinct jobs and no list (issue #22), and the time from an
// action in one tab to the change in another tab and in the popup (an action's own latency is
// `actions.bench.ts`). Figures only; nothing here asserts a duration.
import { test, Emulator, launchChromiumWithExtension, watchContentWorld, requestsSince, lastSeq, openPopup } from '../e2e/fixtures';
import { expect, type BrowserContext, type Page } from '@playwright/test';
import { median } from './stats';

const MINUTE_MS = 60_000;
const SAMPLES = 20;

const ms = (value: number) => `${value.toFixed(1)} ms`;

async function getsDuring(emulator: Emulator, duration: number): Promise<number> {
  const since = await lastSeq(emulator);
  await new Promise((resolve) => setTimeout(resolve, duration));
  return (await requestsSince(emulator, since)).filter((r) => r.method === 'GET' && r.path.startsWith('/api/')).length;
}

/** Records, in the page, when the next trusted click happens and when `selector`'s badge (in an
 * open shadow root) or the row itself changes to what `done` accepts. */
async function armTimer(page: Page, probe: string): Promise<void> {
  await page.evaluate((probe) => {
    const w = window as unknown as { __clickAt?: number; __doneAt?: number };
    w.__clickAt = undefined;
    w.__doneAt = undefined;
    window.addEventListener('click', (event) => { if (event.isTrusted && w.__clickAt === undefined) w.__clickAt = performance.timeOrigin + performance.now(); }, { capture: true, once: true });
    const check = new Function(`return (${probe})`) as () => boolean;
    const tick = () => {
      if (check()) w.__doneAt = performance.timeOrigin + performance.now();
      else requestAnimationFrame(tick);
    };
    // rAF alone stalls in a background tab; a mutation observer catches the change there.
    new MutationObserver(() => { if (w.__doneAt === undefined && check()) w.__doneAt = performance.timeOrigin + performance.now(); })
      .observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
    tick();
  }, probe);
}

const clickAt = (page: Page) => page.evaluate(() => (window as unknown as { __clickAt?: number }).__clickAt);
const doneAt = (page: Page) => page.waitForFunction(() => (window as unknown as { __doneAt?: number }).__doneAt).then((handle) => handle.jsonValue() as Promise<number>);

const badgeIs = (jobId: string | null, text: string) =>
  `(document.querySelector('${jobId ? `tr[data-job-id="${jobId}"] ` : '.job-header '}[data-job-actions="phase-badge"]')?.shadowRoot?.querySelector('.badge')?.textContent === ${JSON.stringify(text)})`;

test('requests per minute with 1, 5 and 20 job tabs', async () => {
  test.setTimeout(900_000);
  const emulator = await Emulator.start(['--no-seed']);
  await emulator.api('POST', '/_emulator/jobs/bulk', { count: 30, phase: 'matching' });
  const ids = (await emulator.jobs()).map((job) => job.id);
  const { context, close } = await launchChromiumWithExtension(emulator.origin);
  const rows: string[] = [];
  const pages: Page[] = [];
  const worlds: Awaited<ReturnType<typeof watchContentWorld>>[] = [];
  for (const count of [1, 5, 20]) {
    while (pages.length < count) {
      // Every third tab a list, the others job pages (active jobs).
      const page = await context.newPage();
      worlds.push(await watchContentWorld(context, page));
      await page.goto(pages.length % 3 === 0 ? '/jobs' : `/jobs/${ids[pages.length]}`);
      await expect(page.locator('[data-job-actions="phase-badge"][data-source="api"]').first()).toBeVisible();
      pages.push(page);
    }
    rows.push(`| ${count} visible | ${await getsDuring(emulator, MINUTE_MS)} |`);
  }
  for (const world of worlds) await world.setHidden(true);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  rows.push(`| 20, all hidden | ${await getsDuring(emulator, MINUTE_MS)} |`);
  await close();
  await emulator.stop();
  console.log('\nAPI GET requests in one minute, job tabs open (a third of them lists, the rest active jobs\' pages)');
  console.log('| tabs | requests / min |');
  console.log('|---|---:|');
  for (const row of rows) console.log(row);
});

test('requests per minute with 1, 5 and 20 job pages of distinct active jobs (no list tab)', async () => {
  // Support staff keep many job pages open and no list (issue #22). Each count starts in a fresh
  // browser, so every figure is the first minute after the tabs opened. Beside it: N × the
  // 1-page figure, what N pages cost when every job is read on its own (the rule before #22).
  test.setTimeout(900_000);
  const emulator = await Emulator.start(['--no-seed']);
  await emulator.api('POST', '/_emulator/jobs/bulk', { count: 30, phase: 'matching' });
  const ids = (await emulator.jobs()).map((job) => job.id);
  const figures: [number, number][] = [];
  for (const count of [1, 5, 20]) {
    const { context, close } = await launchChromiumWithExtension(emulator.origin);
    for (const id of ids.slice(0, count)) {
      const page = await context.newPage();
      await page.goto(`/jobs/${id}`);
      await expect(page.locator('[data-job-actions="phase-badge"][data-source="api"]').first()).toBeVisible();
    }
    figures.push([count, await getsDuring(emulator, MINUTE_MS)]);
    await close();
  }
  await emulator.stop();
  const one = figures[0][1];
  console.log('\nAPI GET requests in the first minute, N job pages of N different active jobs, no list tab');
  console.log('| job pages | requests / min | N × 1 page (one read per job) | vs 1 page |');
  console.log('|---|---:|---:|---:|');
  for (const [count, all] of figures) console.log(`| ${count} | ${all} | ${count * one} | ${(all / Math.max(one, 1)).toFixed(2)}× |`);
});

test('propagation of an action to another tab and the popup', async () => {
  test.setTimeout(900_000);
  const emulator = await Emulator.start(['--no-seed']);
  const { context, close } = await launchChromiumWithExtension(emulator.origin);
  const make = async (title: string, phase: string) => (await emulator.createJob(title, phase)).id;

  const page = await context.newPage();
  // Propagation: cancel in tab A (a job page) → tab B (the list) and the popup show it. The jobs
  // exist before the list is rendered (the emulator's list page is server-rendered) and are the
  // 20 newest (the popup's).
  const propagated: string[] = [];
  for (let i = 0; i < SAMPLES; i++) propagated.push(await make(`propagate ${i}`, 'matching'));
  const list = await context.newPage();
  await list.goto('/jobs');
  const popup: Page = await openPopup(context, emulator.origin);
  const toList: number[] = [];
  const toPopup: number[] = [];
  for (const id of propagated) {
    await page.goto(`/jobs/${id}`);
    await expect(list.locator(`tr[data-job-id="${id}"] [data-job-actions="phase-badge"]`)).toHaveAttribute('data-source', 'api', { timeout: 30_000 });
    await expect(popup.locator(`[data-job-id="${id}"]`)).toHaveCount(1, { timeout: 30_000 });
    await page.getByRole('button', { name: 'Cancel Job' }).click();
    await armTimer(page, 'false');
    await armTimer(list, badgeIs(id, 'Cancelled'));
    await armTimer(popup, `(document.querySelector('[data-job-id="${id}"] [data-testid="phase-badge"]')?.textContent === 'Cancelled')`);
    await page.getByRole('alertdialog').getByTestId('dialog-confirm').click();
    const clicked = (await clickAt(page))!;
    toList.push((await doneAt(list)) - clicked);
    toPopup.push((await doneAt(popup)) - clicked);
  }
  await close();
  await emulator.stop();

  const row = (name: string, values: number[]) => `| ${name} | ${ms(median(values))} |`;
  console.log(`\nMedians of ${SAMPLES} (headless Chromium, the emulator on this machine)`);
  console.log('| from the confirm click to | median |');
  console.log('|---|---:|');
  console.log(row('cancel in tab A: tab B (the list) shows it', toList));
  console.log(row('cancel in tab A: the popup shows it', toPopup));
});
