// What each page pays (issue #22 item 4), with the extension and without it, on a job page and on
// a 1,000-row list, for each content build: wasm (the default CSP) and wasm2js (a strict CSP that
// refuses WebAssembly, `?csp=strict`). Per load, in a fresh tab:
// - content-script start: from navigation start to the first control on the page (a job page's
//   "Cancel Job" enabled; the list's first row menu), and to the loader's own marks;
// - main-thread time of the page's renderer over the load and the 3 s after it (the first load
//   and the first poll): CDP `Performance.getMetrics` TaskDuration and ScriptDuration;
// - memory of the tab after a garbage collection: the JS heap, the DOM's (embedder) heap and the
//   array buffers' backing store (the wasm memory is one), CDP `Runtime.getHeapUsage` — the
//   whole isolate, the content script's world included. `measureUserAgentSpecificMemory` needs a
//   cross-origin-isolated page, which a user's app is not.
// Figures only; nothing here asserts a duration.
import { Emulator, launchChromiumWithExtension, launchChromiumWithoutExtension } from '../e2e/fixtures';
import { test, type BrowserContext } from '@playwright/test';
import { median } from './stats';

const RUNS = 5;
const ROWS = 1000;
const SETTLE_MS = 3_000;

interface Cost {
  controls: number;
  loaderReady: number;
  taskMs: number;
  scriptMs: number;
  jsHeap: number;
  domHeap: number;
  buffers: number;
  /** The content script's WebAssembly memories (its world's `WebAssembly.Memory` objects): not
   * in the isolate's heap figures. */
  wasmMemory: number;
}

type Cdp = Awaited<ReturnType<BrowserContext['newCDPSession']>>;

/** The bytes of every `WebAssembly.Memory` of the extension's isolated worlds in the page. */
async function wasmMemoryOf(cdp: Cdp, worlds: number[]): Promise<number> {
  let bytes = 0;
  for (const contextId of worlds) {
    const proto = await cdp.send('Runtime.evaluate', { expression: 'WebAssembly.Memory.prototype', contextId }).catch(() => null);
    if (!proto?.result.objectId) continue;
    const { objects } = await cdp.send('Runtime.queryObjects', { prototypeObjectId: proto.result.objectId });
    const sum = await cdp.send('Runtime.callFunctionOn', {
      objectId: objects.objectId!,
      functionDeclaration: 'function () { return this.reduce((all, memory) => all + memory.buffer.byteLength, 0); }',
      returnByValue: true,
    });
    bytes += sum.result.value as number;
  }
  return bytes;
}

/** A page's control, as a JS expression over `document` (shadow roots are open). */
const CONTROL = {
  job: `(() => { const b = document.querySelector('[data-job-actions="detail-actions"]')?.shadowRoot?.querySelector('button'); return !!b && !b.disabled && b.textContent.includes('Cancel Job'); })()`,
  list: `!!document.querySelector('[data-job-actions="row-menu"]')?.shadowRoot?.querySelector('button')`,
};

async function load(context: BrowserContext, url: string, control: string | null): Promise<Cost> {
  const page = await context.newPage();
  await page.addInitScript((control) => {
    const w = window as unknown as { __controls?: number };
    if (!control) return;
    const seen = new Function(`return ${control}`) as () => boolean;
    const check = () => {
      if (w.__controls === undefined && document.documentElement && seen()) w.__controls = performance.now();
      return w.__controls !== undefined;
    };
    const tick = () => { if (!check()) requestAnimationFrame(tick); };
    new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
    tick();
  }, control);
  const cdp = await context.newCDPSession(page);
  const worlds: number[] = [];
  cdp.on('Runtime.executionContextCreated', ({ context: created }) => {
    if ((created.auxData as { type?: string } | undefined)?.type === 'isolated') worlds.push(created.id);
  });
  await cdp.send('Runtime.enable');
  await cdp.send('Performance.enable');
  await page.goto(url);
  if (control) await page.waitForFunction(() => (window as unknown as { __controls?: number }).__controls !== undefined, null, { timeout: 60_000 });
  await page.waitForTimeout(SETTLE_MS);
  const { metrics } = await cdp.send('Performance.getMetrics');
  const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? NaN;
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const wasmMemory = await wasmMemoryOf(cdp, worlds);
  const marks = await page.evaluate(() => {
    const [ready] = performance.getEntriesByName('job-actions:load');
    return { controls: (window as unknown as { __controls?: number }).__controls ?? NaN, loaderReady: ready ? ready.startTime + ready.duration : NaN };
  });
  await cdp.detach();
  await page.close();
  return {
    ...marks,
    taskMs: metric('TaskDuration') * 1000,
    scriptMs: metric('ScriptDuration') * 1000,
    jsHeap: heap.usedSize,
    domHeap: heap.embedderHeapUsedSize,
    buffers: heap.backingStorageSize,
    wasmMemory,
  };
}

test('what each page pays: start, main-thread time and memory, with and without the extension, per build', async () => {
  test.setTimeout(900_000);
  const emulator = await Emulator.start(['--no-seed']);
  await emulator.api('POST', '/_emulator/jobs/bulk', { count: ROWS - 1, phase: 'completed' });
  const job = await emulator.createJob('the job page\'s job', 'matching');
  const extension = await launchChromiumWithExtension();
  const plain = await launchChromiumWithoutExtension();
  const pages = [
    ['job page', `/jobs/${job.id}`, CONTROL.job],
    [`${ROWS}-row list`, '/jobs', CONTROL.list],
  ] as const;
  const builds = [['wasm', ''], ['wasm2js', 'csp=strict']] as const;
  const figures = new Map<string, { with: Cost[]; without: Cost[] }>();
  // One load of each first: the first compile of a session is not what every page pays.
  for (const [, path, control] of pages) {
    for (const [, query] of builds) {
      const url = `${emulator.origin}${path}${query ? `?${query}` : ''}`;
      await load(extension.context, url, control);
      await load(plain.context, url, null);
    }
  }
  for (let run = 0; run < RUNS; run++) {
    for (const [name, path, control] of pages) {
      for (const [build, query] of builds) {
        const url = `${emulator.origin}${path}${query ? `?${query}` : ''}`;
        const key = `${name}, ${build}`;
        if (!figures.has(key)) figures.set(key, { with: [], without: [] });
        figures.get(key)!.with.push(await load(extension.context, url, control));
        figures.get(key)!.without.push(await load(plain.context, url, null));
      }
    }
  }
  await plain.close();
  await extension.close();
  await emulator.stop();

  const ms = (v: number) => (Number.isFinite(v) ? `${v.toFixed(0)} ms` : '—');
  const mb = (v: number) => `${(v / 1024 / 1024).toFixed(2)} MB`;
  const m = (costs: Cost[], pick: (c: Cost) => number) => median(costs.map(pick));
  console.log(`\nwhat a page pays, medians of ${RUNS} loads each in a fresh tab (headless Chromium, this machine); main-thread time over the load and the ${SETTLE_MS / 1000} s after it`);
  console.log('| page, content build | navigation → first control | → content build ready | main thread: with | without | added | of it script: with | without | memory (JS + DOM + buffers + wasm): with | without | added |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const [key, { with: w, without: wo }] of figures) {
    const total = (c: Cost) => c.jsHeap + c.domHeap + c.buffers + c.wasmMemory;
    console.log(
      `| ${key} | ${ms(m(w, (c) => c.controls))} | ${ms(m(w, (c) => c.loaderReady))} | ${ms(m(w, (c) => c.taskMs))} | ${ms(m(wo, (c) => c.taskMs))} | ${ms(m(w, (c) => c.taskMs) - m(wo, (c) => c.taskMs))} | ${ms(m(w, (c) => c.scriptMs))} | ${ms(m(wo, (c) => c.scriptMs))} | ${mb(m(w, total))} | ${mb(m(wo, total))} | ${mb(m(w, total) - m(wo, total))} |`,
    );
  }
  console.log('\nmemory added by the extension, by kind (medians, with − without)');
  console.log('| page, content build | JS heap | DOM (embedder) heap | array buffers (wasm2js\'s memory is one) | WebAssembly memory |');
  console.log('|---|---:|---:|---:|---:|');
  for (const [key, { with: w, without: wo }] of figures) {
    console.log(`| ${key} | ${mb(m(w, (c) => c.jsHeap) - m(wo, (c) => c.jsHeap))} | ${mb(m(w, (c) => c.domHeap) - m(wo, (c) => c.domHeap))} | ${mb(m(w, (c) => c.buffers) - m(wo, (c) => c.buffers))} | ${mb(m(w, (c) => c.wasmMemory))} |`);
  }
});
