// How decorating a 1,000-row job list loads the page: the extension's decoration passes (its
// `job-actions:decorate` performance measures) and the page's long tasks with and without the
// extension, medians of several loads.
import { test, Emulator, launchChromiumWithExtension } from '../e2e/fixtures';
import { chromium, expect, type BrowserContext } from '@playwright/test';
import { median } from './stats';

const ROWS = 1000;
const RUNS = 5;

interface Sample {
  ready_ms: number;
  passes: number;
  longest_pass_ms: number;
  total_pass_ms: number;
  longest_task_ms: number;
}

async function load(context: BrowserContext, origin: string, decorated: boolean): Promise<Sample> {
  const page = await context.newPage();
  await page.addInitScript(() => {
    const w = window as unknown as { __passes: number[]; __tasks: number[] };
    w.__passes = [];
    w.__tasks = [];
    new PerformanceObserver((list) => {
      // The loader's measures are not passes (`start.bench.ts` reports them).
      for (const entry of list.getEntries()) if (entry.name === 'job-actions:decorate') w.__passes.push(entry.duration);
    }).observe({ type: 'measure' });
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.__tasks.push(entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  const started = Date.now();
  await page.goto(`${origin}/jobs`);
  if (decorated) {
    await expect(page.locator('[data-job-actions="row-menu"]')).toHaveCount(ROWS, { timeout: 60_000 });
    await expect(page.locator('[data-job-actions="phase-badge"][data-source="api"]')).toHaveCount(ROWS, { timeout: 60_000 });
  }
  const ready_ms = Date.now() - started;
  await page.waitForTimeout(1_000);
  const { passes, tasks } = await page.evaluate(() => {
    const w = window as unknown as { __passes: number[]; __tasks: number[] };
    return { passes: w.__passes, tasks: w.__tasks };
  });
  await page.close();
  return {
    ready_ms,
    passes: passes.length,
    longest_pass_ms: Math.max(0, ...passes),
    total_pass_ms: passes.reduce((a, b) => a + b, 0),
    longest_task_ms: Math.max(0, ...tasks),
  };
}


test(`decorating a ${ROWS}-row list`, async () => {
  const emulator = await Emulator.start(['--no-seed']);
  await emulator.api('POST', '/_emulator/jobs/bulk', { count: ROWS, phase: 'matching' });
  const extension = await launchChromiumWithExtension();
  const plain = await chromium.launch({ executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium', args: ['--no-sandbox', '--headless=new'] });
  const plainContext = await plain.newContext();
  const samples: Sample[] = [];
  const baseline: Sample[] = [];
  for (let run = 0; run < RUNS; run++) {
    baseline.push(await load(plainContext, emulator.origin, false));
    samples.push(await load(extension.context, emulator.origin, true));
  }
  await plain.close();
  await extension.close();
  await emulator.stop();
  const row = (name: string, pick: (s: Sample) => number, unit = 'ms') =>
    console.log(`| ${name} | ${median(samples.map(pick)).toFixed(1)} ${unit} | ${median(baseline.map(pick)).toFixed(1)} ${unit} |`);
  console.log(`\n${ROWS}-row list, medians of ${RUNS} loads (headless Chromium, this machine)`);
  console.log('| figure | with the extension | without |');
  console.log('|---|---:|---:|');
  row('page ready (all rows decorated with API data)', (s) => s.ready_ms);
  row('decoration passes', (s) => s.passes, '');
  row('longest decoration pass', (s) => s.longest_pass_ms);
  row('all decoration passes together', (s) => s.total_pass_ms);
  row('longest long task on the page', (s) => s.longest_task_ms);
});
