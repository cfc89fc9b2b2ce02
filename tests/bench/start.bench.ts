// What the shipped size costs a page: the loader's `job-actions:start` measure (its first line to
// the engine's `start` returning — fetching, compiling and instantiating the build) on a job page,
// for the wasm build (default CSP) and the wasm2js build (strict CSP: refused WebAssembly, the
// background injects the JS build). Medians of several loads, each in a fresh tab.
import { Emulator, launchChromiumWithExtension } from '../e2e/fixtures';
import { expect, test, type BrowserContext } from '@playwright/test';

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

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const max = (values: number[]) => Math.max(...values);

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
