// Issue #24: a 500-job bulk delete from the app's list page, next to the same 500 DELETEs sent by
// the page itself with raw `fetch` at the same concurrency (4). Both are timed on the server, from
// its request log (the first DELETE's arrival to the last answer written), so the figure is the
// pacing of the requests, not of a driver polling the screen; and the page's longest task while
// the extension's run went (its long tasks: the page has no script of its own).
import { test, Emulator, launchChromiumWithExtension, requestsSince, lastSeq, type LoggedRequest } from '../e2e/fixtures';
import { expect, type Page } from '@playwright/test';
import { median } from './stats';
import { measuredBuilds } from './builds';

const JOBS = 500;
const RUNS = 5;
const CONCURRENCY = 4;

/** From the first DELETE's arrival to the last one's answer, on the server's clock. */
function span(requests: LoggedRequest[]): number {
  const deletes = requests.filter((request) => request.method === 'DELETE');
  expect(deletes).toHaveLength(JOBS);
  return Math.max(...deletes.map((r) => r.done_ms)) - Math.min(...deletes.map((r) => r.at_ms));
}

function mostInFlight(requests: LoggedRequest[]): number {
  const deletes = requests.filter((request) => request.method === 'DELETE');
  return Math.max(...deletes.map((one) => deletes.filter((other) => other.at_ms <= one.at_ms && other.done_ms > one.at_ms).length));
}

async function rawDeletes(page: Page, ids: string[]): Promise<void> {
  await page.evaluate(async ({ ids, concurrency }) => {
    let next = 0;
    const worker = async () => {
      while (next < ids.length) {
        const id = ids[next++];
        await fetch(`/api/jobs/${encodeURIComponent(id)}?force=false`, { method: 'DELETE' });
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }, { ids, concurrency: CONCURRENCY });
}

test(`bulk delete of ${JOBS} jobs from the list page, next to ${JOBS} raw fetches at the same concurrency`, async () => {
  const emulator = await Emulator.start(['--no-seed']);
  const extension = await launchChromiumWithExtension();
  const raw: number[] = [];
  const bulk: number[] = [];
  const clickToFirst: number[] = [];
  const longest: number[] = [];
  const most: number[] = [];
  const passCounts: number[] = [];
  const serverMs: number[] = [];
  const others: number[] = [];
  const passTimes: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const page = await extension.context.newPage();
    await page.addInitScript(() => {
      const w = window as unknown as { __tasks: [number, number][]; __passes: [number, number][] };
      w.__tasks = [];
      w.__passes = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) w.__tasks.push([entry.startTime, entry.duration]);
      }).observe({ type: 'longtask', buffered: true });
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          if (entry.name === 'job-actions:decorate') w.__passes.push([entry.startTime, entry.duration]);
        }
      }).observe({ entryTypes: ['measure'] });
    });
    // The baseline: the page's own fetches, on jobs the overlay never shows.
    const baseline = (await emulator.api<{ ids: string[] }>('POST', '/_emulator/jobs/bulk', { count: JOBS, phase: 'completed' })).ids;
    await page.goto(`${emulator.origin}/jobs`);
    let since = await lastSeq(emulator);
    await rawDeletes(page, baseline);
    raw.push(span(await requestsSince(emulator, since)));

    await emulator.api('POST', '/_emulator/jobs/bulk', { count: JOBS, phase: 'completed' });
    await page.reload();
    await expect(page.getByTestId('row-select')).toHaveCount(JOBS, { timeout: 60_000 });
    await page.getByTestId('select-all').click();
    await expect(page.getByTestId('bulk-delete')).toHaveText(`Delete ${JOBS}`);
    await page.getByTestId('bulk-delete').click();
    const confirm = page.getByTestId('bulk-dialog').getByTestId('dialog-confirm');
    await expect(confirm).toBeEnabled();
    since = await lastSeq(emulator);
    const startedAt = await page.evaluate(() => performance.now());
    const clickedAt = Date.now();
    await confirm.click();
    // Polled cheaply: a Playwright `expect` that keeps failing builds an accessibility snapshot of
    // the whole page on each try, on the main thread the run needs (measured: 0.6 s of a 3 s run).
    await page.waitForFunction(
      (text) => document.querySelector('[data-job-actions="bulk-bar"]')?.shadowRoot?.querySelector('[data-testid="bulk-summary"]')?.textContent === text,
      `${JOBS} deleted`,
      { polling: 100, timeout: 120_000 },
    );
    const requests = await requestsSince(emulator, since);
    bulk.push(span(requests));
    most.push(mostInFlight(requests));
    const deletes = requests.filter((r) => r.method === 'DELETE');
    serverMs.push(median(deletes.map((r) => r.done_ms - r.at_ms)));
    others.push(requests.length - deletes.length);
    clickToFirst.push(Math.min(...requests.filter((r) => r.method === 'DELETE').map((r) => r.at_ms)) - clickedAt);
    const { tasks, passes } = await page.evaluate(() => window as unknown as { tasks: [number, number][]; passes: [number, number][] } && {
      tasks: (window as unknown as { __tasks: [number, number][] }).__tasks,
      passes: (window as unknown as { __passes: [number, number][] }).__passes,
    });
    longest.push(Math.max(0, ...tasks.filter(([start]) => start >= startedAt).map(([, duration]) => duration)));
    const during = passes.filter(([start]) => start >= startedAt);
    passCounts.push(during.length);
    passTimes.push(during.reduce((total, [, duration]) => total + duration, 0));
    await page.close();
  }
  await extension.close();
  await emulator.stop();
  const ratio = median(bulk) / median(raw);
  console.log(`\nBulk delete of ${JOBS} jobs, medians of ${RUNS} runs (headless Chromium, this machine; server-side times)`);
  console.log('| figure | extension (list page) | raw fetch, same concurrency |');
  console.log('|---|---:|---:|');
  console.log(`| first DELETE arrives → last answer written | ${median(bulk).toFixed(0)} ms | ${median(raw).toFixed(0)} ms |`);
  console.log(`| ratio (goal ≤ 1.2) | ${ratio.toFixed(2)} | 1 |`);
  console.log(`| most DELETEs in flight at once (server log) | ${Math.max(...most)} | ${CONCURRENCY} |`);
  console.log(`| server time per DELETE (median) | ${median(serverMs).toFixed(1)} ms | — |`);
  console.log(`| other requests to the server during the run | ${median(others)} | — |`);
  console.log(`| confirm click → first DELETE arrives | ${median(clickToFirst).toFixed(0)} ms | — |`);
  console.log(`| decoration passes during the run, and their time together | ${median(passCounts)}, ${median(passTimes).toFixed(0)} ms | — |`);
  console.log(`| longest task on the page during the run (goal: none over 50 ms) | ${median(longest).toFixed(0)} ms | — |`);
});

const RUNNING = 20;
const STOP_MS = 2_000;

/** The same work by the page's own fetches: every cancel (4 at a time), the list read every
 * 250 ms until every job stopped, then every delete (4 at a time). */
async function rawCancelThenDelete(page: Page, ids: string[]): Promise<number> {
  return page.evaluate(async ({ ids, concurrency }) => {
    const start = performance.now();
    const each = async (send: (id: string) => Promise<Response>) => {
      let next = 0;
      const worker = async () => {
        while (next < ids.length) await send(ids[next++]);
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
    };
    await each((id) => fetch(`/api/jobs/${encodeURIComponent(id)}/cancel`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }));
    const terminal = new Set(['completed', 'failed', 'cancelled']);
    for (;;) {
      const answer = await (await fetch('/api/jobs')).json();
      const jobs: { id: string; phase: string }[] = Array.isArray(answer) ? answer : answer.jobs;
      if (ids.every((id) => terminal.has(jobs.find((job) => job.id === id)?.phase ?? 'completed'))) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await each((id) => fetch(`/api/jobs/${encodeURIComponent(id)}?force=false`, { method: 'DELETE' }));
    return performance.now() - start;
  }, { ids, concurrency: CONCURRENCY });
}

test(`bulk delete of ${RUNNING} running jobs, cancelled first (their workers stop ${STOP_MS / 1000} s after the cancel), next to the same by raw fetches`, async () => {
  test.setTimeout(300_000);
  const emulator = await Emulator.start(['--no-seed']);
  await emulator.api('POST', '/_emulator/worker', { cancel_delay_ms: STOP_MS });
  const rows: string[] = [];
  for (const build of measuredBuilds()) {
    const extension = await launchChromiumWithExtension(undefined, build.dir ? { extension: build.dir } : {});
    const times: number[] = [];
    const raws: number[] = [];
    const counts: number[] = [];
    const jobReads: number[] = [];
    for (let run = 0; run < 3; run++) {
      const page = await extension.context.newPage();
      const baseline = (await emulator.api<{ ids: string[] }>('POST', '/_emulator/jobs/bulk', { count: RUNNING, phase: 'matching' })).ids;
      await page.goto(`${emulator.origin}/jobs`);
      raws.push(await rawCancelThenDelete(page, baseline));
      const ids = (await emulator.api<{ ids: string[] }>('POST', '/_emulator/jobs/bulk', { count: RUNNING, phase: 'matching' })).ids;
      await page.reload();
      await expect(page.getByTestId('row-select')).toHaveCount(RUNNING);
      await page.getByTestId('select-all').click();
      await page.getByTestId('bulk-delete').click();
      const confirm = page.getByTestId('bulk-dialog').getByTestId('dialog-confirm');
      await expect(confirm).toBeEnabled();
      const since = await lastSeq(emulator);
      const clickedAt = Date.now();
      await confirm.click();
      await page.waitForFunction(
        (text) => document.querySelector('[data-job-actions="bulk-bar"]')?.shadowRoot?.querySelector('[data-testid="bulk-summary"]')?.textContent === text,
        `${RUNNING} deleted`,
        { polling: 50, timeout: 120_000 },
      );
      times.push(Date.now() - clickedAt);
      const requests = await requestsSince(emulator, since);
      counts.push(requests.length);
      jobReads.push(requests.filter((r) => r.method === 'GET' && ids.some((id) => r.path === `/api/jobs/${id}`)).length);
      await page.close();
    }
    await extension.close();
    rows.push(`| ${build.name} | ${median(times).toFixed(0)} ms | ${median(raws).toFixed(0)} ms | ${median(counts)} | ${median(jobReads)} |`);
  }
  await emulator.stop();
  console.log(`\nBulk delete of ${RUNNING} running jobs with "cancel first", medians of 3 (workers stop ${STOP_MS} ms after each cancel)`);
  console.log('| build | confirm → "N deleted" on screen | raw fetch: cancels, list read every 250 ms, deletes | requests to the server | reads of one job |');
  console.log('|---|---:|---:|---:|---:|');
  for (const row of rows) console.log(row);
});
