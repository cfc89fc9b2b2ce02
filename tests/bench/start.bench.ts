// What the shipped size costs: the content script's loader measures (its first line to the build
// ready — fetched, compiled, instantiated — and to the engine started) on a job page, for the wasm
// build (default CSP) and the wasm2js build (strict CSP: refused WebAssembly, the background
// injects the JS build); the first use of a control, which loads the actions build; and the
// popup's start each time it opens. Medians of several loads, each
// in a fresh tab.
import { Emulator, launchChromiumWithExtension, openPopup, popupUrl } from '../e2e/fixtures';
import { expect, test, type BrowserContext } from '@playwright/test';
import { max, median } from './stats';

const RUNS = 15;

interface Sample {
  load: number;
  start: number;
}

async function startMs(context: BrowserContext, url: string, engine: 'wasm' | 'js'): Promise<Sample> {
  const page = await context.newPage();
  await page.goto(url);
  await expect(page.locator('html')).toHaveAttribute('data-job-actions-engine', engine);
  const handle = await page.waitForFunction(() => {
    const [load] = performance.getEntriesByName('job-actions:load');
    const [start] = performance.getEntriesByName('job-actions:start');
    return load && start ? { load: load.duration, start: start.duration } : null;
  });
  const sample = (await handle.jsonValue()) as Sample;
  await page.close();
  return sample;
}


test('content script start on a job page, per build', async () => {
  const emulator = await Emulator.start([]);
  const job = await emulator.jobInPhase('matching');
  const extension = await launchChromiumWithExtension();
  const figures: Record<string, Sample[]> = { wasm: [], js: [] };
  // One load of each first: the first compile of a session is not what every page pays.
  await startMs(extension.context, `${emulator.origin}/jobs/${job.id}`, 'wasm');
  await startMs(extension.context, `${emulator.origin}/jobs/${job.id}?csp=strict`, 'js');
  for (let run = 0; run < RUNS; run++) {
    figures.wasm.push(await startMs(extension.context, `${emulator.origin}/jobs/${job.id}`, 'wasm'));
    figures.js.push(await startMs(extension.context, `${emulator.origin}/jobs/${job.id}?csp=strict`, 'js'));
  }
  await extension.close();
  await emulator.stop();
  console.log(`\ncontent script start, from the loader's first line, ${RUNS} loads each (headless Chromium, this machine)`);
  console.log('| build | build ready (fetch, compile, instantiate): median | slowest | engine started: median | slowest |');
  console.log('|---|---:|---:|---:|---:|');
  for (const [build, samples] of [['wasm (default CSP)', figures.wasm], ['wasm2js (strict CSP)', figures.js]] as const) {
    const load = samples.map((s) => s.load);
    const start = samples.map((s) => s.start);
    console.log(`| ${build} | ${median(load).toFixed(1)} ms | ${max(load).toFixed(1)} ms | ${median(start).toFixed(1)} ms | ${max(start).toFixed(1)} ms |`);
  }
});

/** From a trusted click on the page's "Cancel Job" to the dialog's host in the DOM, in ms. */
async function clickToDialogMs(page: import('@playwright/test').Page): Promise<number> {
  await page.evaluate(() => {
    const w = window as unknown as { __clickToDialog?: Promise<number> };
    w.__clickToDialog = new Promise((resolve) => {
      document.addEventListener(
        'click',
        (event) => {
          const clickedAt = event.timeStamp;
          const check = () =>
            document.querySelector('[data-job-actions="dialog"]')
              ? resolve(performance.now() - clickedAt)
              : requestAnimationFrame(check);
          check();
        },
        { capture: true, once: true },
      );
    });
  });
  await page.getByRole('button', { name: 'Cancel Job' }).click();
  return page.evaluate(() => (window as unknown as { __clickToDialog: Promise<number> }).__clickToDialog);
}

test('first use: the click that loads the actions build, against a click once it runs', async () => {
  const emulator = await Emulator.start([]);
  const job = await emulator.jobInPhase('matching');
  const extension = await launchChromiumWithExtension();
  const figures: Record<string, { first: number[]; later: number[] }> = {
    wasm: { first: [], later: [] },
    js: { first: [], later: [] },
  };
  for (let run = 0; run <= RUNS; run++) {
    for (const engine of ['wasm', 'js'] as const) {
      const page = await extension.context.newPage();
      await page.goto(`${emulator.origin}/jobs/${job.id}${engine === 'js' ? '?csp=strict' : ''}`);
      await expect(page.locator('html')).toHaveAttribute('data-job-actions-engine', engine);
      await expect(page.getByRole('button', { name: 'Cancel Job' })).toBeVisible();
      const first = await clickToDialogMs(page);
      await expect(page.locator('html')).toHaveAttribute('data-job-actions-actions', engine);
      await page.keyboard.press('Escape');
      await expect(page.getByRole('alertdialog')).toHaveCount(0);
      const later = await clickToDialogMs(page);
      // The first round warms the browser's caches up; it is not what a page pays.
      if (run > 0) {
        figures[engine].first.push(first);
        figures[engine].later.push(later);
      }
      await page.close();
    }
  }
  await extension.close();
  await emulator.stop();
  console.log(`
first use, click on "Cancel Job" to the dialog in the DOM, ${RUNS} pages each (headless Chromium, this machine)`);
  console.log('| engine | first click (loads the actions build): median | slowest | a later click: median | slowest |');
  console.log('|---|---:|---:|---:|---:|');
  for (const engine of ['wasm', 'js'] as const) {
    const { first, later } = figures[engine];
    console.log(`| ${engine} | ${median(first).toFixed(1)} ms | ${max(first).toFixed(1)} ms | ${median(later).toFixed(1)} ms | ${max(later).toFixed(1)} ms |`);
  }
});

test('popup start, from opening it to the app mounted and to the first job row', async () => {
  const emulator = await Emulator.start([]);
  const extension = await launchChromiumWithExtension();
  // Points the popup at this emulator (extension storage), and is the first, cold, open.
  await (await openPopup(extension.context, emulator.origin)).close();
  const ready: number[] = [];
  const firstRow: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const page = await extension.context.newPage();
    await page.goto(popupUrl());
    const handle = await page.waitForFunction(
      () => {
        const [mounted] = performance.getEntriesByName('job-actions:popup-ready');
        const row = document.querySelector('[data-testid="job-row"]');
        return mounted && row ? { mounted: mounted.duration, row: performance.now() } : null;
      },
      null,
      { polling: 'raf' },
    );
    const sample = (await handle.jsonValue()) as { mounted: number; row: number };
    ready.push(sample.mounted);
    firstRow.push(sample.row);
    await page.close();
  }
  await extension.close();
  await emulator.stop();
  console.log(`\npopup start, from the page's start, ${RUNS} opens (headless Chromium, this machine)`);
  console.log('| figure | median | slowest |');
  console.log('|---|---:|---:|');
  console.log(`| wasm instantiated, app mounted | ${median(ready).toFixed(1)} ms | ${max(ready).toFixed(1)} ms |`);
  console.log(`| first job row on screen (API answer included) | ${median(firstRow).toFixed(1)} ms | ${max(firstRow).toFixed(1)} ms |`);
});
