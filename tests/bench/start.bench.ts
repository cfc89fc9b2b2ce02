// What the shipped size costs: the content script's loader measures (its first line to the build
// ready — fetched, compiled, instantiated — and to the engine started) on a job page, for the wasm
// build (default CSP) and the wasm2js build (strict CSP: refused WebAssembly, the background
// injects the JS build); the first use of a control, which loads the actions build; and the
// popup's start each time it opens: mounted, the last known list on screen, the live list (issue
// #22). Medians of several loads, each in a fresh tab.
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

test('popup start: the app mounted, the first row (the last known list), the live list', async () => {
  const emulator = await Emulator.start([]);
  const extension = await launchChromiumWithExtension();
  // Points the popup at this emulator (extension storage), and is the first, cold, open: it has
  // no last known list yet.
  const cold = await openPopup(extension.context, emulator.origin);
  await expect(cold.getByTestId('job-row').first()).toBeVisible();
  await cold.close();
  const samples: { mounted: number; row: number; live: number; inFirstFrame: boolean }[] = [];
  for (let run = 0; run < RUNS; run++) {
    const page = await extension.context.newPage();
    // When the first row and the live list show (mutation observer), and the app's first frame:
    // the first animation frame after it mounted.
    await page.addInitScript(() => {
      const w = window as unknown as { __t: { row?: number; live?: number; frame?: number } };
      w.__t = {};
      const check = () => {
        const now = performance.now();
        if (w.__t.row === undefined && document.querySelector('[data-testid="job-row"]')) w.__t.row = now;
        const status = document.querySelector('[data-testid="poll-status"]')?.textContent ?? '';
        if (w.__t.live === undefined && w.__t.row !== undefined && status && !status.startsWith('Last known') && !status.startsWith('Loading')) w.__t.live = now;
      };
      new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true });
      new PerformanceObserver((list) => {
        if (list.getEntriesByName('job-actions:popup-ready').length) requestAnimationFrame(() => (w.__t.frame ??= performance.now()));
      }).observe({ entryTypes: ['measure'] });
    });
    await page.goto(popupUrl());
    const handle = await page.waitForFunction(() => {
      const t = (window as unknown as { __t: { row?: number; live?: number; frame?: number } }).__t;
      const [mounted] = performance.getEntriesByName('job-actions:popup-ready');
      return mounted && t.row !== undefined && t.live !== undefined && t.frame !== undefined
        ? { mounted: mounted.duration, row: t.row, live: t.live, inFirstFrame: t.row <= t.frame }
        : null;
    });
    samples.push((await handle.jsonValue()) as { mounted: number; row: number; live: number; inFirstFrame: boolean });
    await page.close();
  }
  await extension.close();
  await emulator.stop();
  const column = (pick: (s: (typeof samples)[number]) => number) => {
    const values = samples.map(pick);
    return `${median(values).toFixed(1)} ms | ${max(values).toFixed(1)} ms`;
  };
  console.log(`\npopup start, from the page's start, ${RUNS} opens after the first (headless Chromium, this machine)`);
  console.log('| figure | median | slowest |');
  console.log('|---|---:|---:|');
  console.log(`| wasm instantiated, app mounted | ${column((s) => s.mounted)} |`);
  console.log(`| first job row on screen (the last known list) | ${column((s) => s.row)} |`);
  console.log(`| the live list on screen (the background's answer) | ${column((s) => s.live)} |`);
  console.log(`| the first row in the app's first frame | ${samples.filter((s) => s.inFirstFrame).length}/${samples.length} | |`);
});
