// Action latency (issue #22 item 3), in the three places a user acts: a job's page, the list's row
// menu and the popup. For cancel and delete, from the trusted click on the dialog's confirm:
// - the acknowledgement: the confirm button busy (`aria-busy="true"`), and whether it was in the
//   click's own frame (set before the first frame after the click had run its rendering step);
// - the final, server-confirmed state: "Cancelled" on the badge, the row gone, or (a job's page
//   after a delete) the navigation to the list;
// next to raw `fetch` round trips of the same endpoint from the same document, interleaved with
// the samples. And the first cancel in a fresh browser, whose renderer has shown no time yet (the
// samples above exclude each page's first use). Figures only; nothing here asserts a duration.
import { Emulator, launchChromiumWithExtension, openPopup, requestsSince, type LoggedRequest } from '../e2e/fixtures';
import { expect, test, type Page } from '@playwright/test';
import { median } from './stats';
import { measuredBuilds } from './builds';

const SAMPLES = 15;
/** Fresh browsers per build for the first cancel. */
const FRESH = 5;

interface Times {
  origin?: number;
  click?: number;
  frameEnd?: number;
  ack?: number;
  final?: number;
}

interface Sample {
  ack: number;
  inFrame: boolean;
  final: number;
  raw: number;
  /** The same raw round trip while a spinner turns. */
  rawSpin: number;
  /** From the server's request log (ms since the epoch, whole ms): click → the request arrived,
   * the server's own time, its answer written → the final state; the raw fetch's the same. */
  toServer: number;
  server: number;
  fromServer: number;
  /** From the browser's network log (CDP): click → `fetch` called, the answer's headers in the
   * renderer → the final state. */
  toFetch: number;
  headersToFinal: number;
  rawToServer: number;
  rawFromServer: number;
}

interface Raw {
  ms: number;
  /** Its start and end, ms since the epoch, and the path it asked. */
  start: number;
  end: number;
  path: string;
}

/** Arms the page: the next trusted click, the end of the first frame after it, and the first
 * moments `ack` and `final` (JS expressions) hold. Mutation observers on the document and on every
 * open shadow root of the overlay give the exact moment; a frame loop catches roots made later. A
 * navigation (a job's page leaving after a delete) is a final too, kept in sessionStorage. */
async function arm(page: Page, probe: { ack: string; final: string | 'navigate' }): Promise<void> {
  await page.evaluate((probe) => {
    const t: Times = { origin: performance.timeOrigin };
    (window as unknown as { __t: Times }).__t = t;
    sessionStorage.removeItem('__bench_t');
    const ack = new Function(`return (${probe.ack})`) as () => boolean;
    const final = probe.final === 'navigate' ? () => false : (new Function(`return (${probe.final})`) as () => boolean);
    const check = () => {
      if (t.click === undefined) return;
      if (t.ack === undefined && ack()) t.ack = performance.now();
      if (t.final === undefined && final()) t.final = performance.now();
    };
    window.addEventListener(
      'click',
      (event) => {
        if (!event.isTrusted) return;
        t.click = event.timeStamp;
        requestAnimationFrame(() => {
          // Runs just after this frame's rendering step, before any later task of the page's.
          const channel = new MessageChannel();
          channel.port1.onmessage = () => (t.frameEnd = performance.now());
          channel.port2.postMessage(0);
        });
      },
      { capture: true, once: true },
    );
    if (probe.final === 'navigate') {
      (window as unknown as { navigation: EventTarget }).navigation.addEventListener('navigate', () => {
        t.final = performance.now();
        sessionStorage.setItem('__bench_t', JSON.stringify(t));
      });
    }
    const observer = new MutationObserver(check);
    const options = { subtree: true, childList: true, attributes: true, characterData: true };
    observer.observe(document, options);
    for (const host of document.querySelectorAll('[data-job-actions]')) if (host.shadowRoot) observer.observe(host.shadowRoot, options);
    const tick = () => {
      check();
      if (t.final === undefined) requestAnimationFrame(tick);
    };
    tick();
  }, probe);
}

async function times(page: Page, navigated: boolean): Promise<Times> {
  if (navigated) {
    const handle = await page.waitForFunction(() => sessionStorage.getItem('__bench_t'));
    return JSON.parse((await handle.jsonValue()) as string) as Times;
  }
  const handle = await page.waitForFunction(() => {
    const t = (window as unknown as { __t: Times }).__t;
    return t.final !== undefined && t.frameEnd !== undefined && t.ack !== undefined ? t : null;
  });
  return (await handle.jsonValue()) as Times;
}

/** The browser's own record of a document's API writes (CDP Network): when each was handed to
 * the network and when its answer's headers reached the renderer, ms since the epoch. */
class NetLog {
  readonly sent = new Map<string, number>();
  readonly headers = new Map<string, number>();
  static async of(page: Page): Promise<NetLog> {
    const log = new NetLog();
    const cdp = await page.context().newCDPSession(page);
    const wall = new Map<string, [number, number]>();
    const key = (method: string, url: string) => `${method} ${new URL(url).pathname}`;
    const urls = new Map<string, string>();
    cdp.on('Network.requestWillBeSent', (e: { requestId: string; timestamp: number; wallTime: number; request: { method: string; url: string } }) => {
      if (e.request.method === 'GET') return;
      const k = key(e.request.method, e.request.url);
      urls.set(e.requestId, k);
      wall.set(e.requestId, [e.wallTime * 1000, e.timestamp * 1000]);
      log.sent.set(k, e.wallTime * 1000);
    });
    cdp.on('Network.responseReceived', (e: { requestId: string; timestamp: number }) => {
      const k = urls.get(e.requestId);
      const base = wall.get(e.requestId);
      if (k && base) log.headers.set(k, base[0] + (e.timestamp * 1000 - base[1]));
    });
    await cdp.send('Network.enable');
    return log;
  }
}

/** The request of `method` to `path` (a path, no query) in the server's log. */
function logged(log: LoggedRequest[], method: string, path: string): LoggedRequest {
  const found = log.filter((r) => r.method === method && r.path === path);
  if (found.length !== 1) throw new Error(`${found.length} ${method} ${path} in the server's log`);
  return found[0];
}

async function sample(emulator: Emulator, net: NetLog, t: Times, method: string, jobId: string, [raw, spun]: [Raw, Raw]): Promise<Sample> {
  const path = method === 'POST' ? `/api/jobs/${jobId}/cancel` : `/api/jobs/${jobId}`;
  const log = await requestsSince(emulator, 0);
  const ours = logged(log, method, path);
  const theirs = logged(log, method, raw.path);
  const epoch = (at: number) => t.origin! + at;
  return {
    ack: t.ack! - t.click!,
    // A page that left before the click's frame ended (a job's page after a fast delete) had
    // acknowledged within it.
    inFrame: t.ack !== undefined && (t.frameEnd === undefined || t.ack <= t.frameEnd),
    final: t.final! - t.click!,
    raw: raw.ms,
    rawSpin: spun.ms,
    toServer: ours.at_ms - epoch(t.click!),
    server: ours.done_ms - ours.at_ms,
    fromServer: epoch(t.final!) - ours.done_ms,
    rawToServer: theirs.at_ms - raw.start,
    rawFromServer: raw.end - theirs.done_ms,
    toFetch: net.sent.get(`${method} ${path}`)! - epoch(t.click!),
    headersToFinal: epoch(t.final!) - net.headers.get(`${method} ${path}`)!,
  };
}

/** One raw round trip of `method` to job `jobId`'s endpoint from the page's own document, body
 * read; with `spin`, while a 12 px spinner turns on the page, as any busy state's does (on this
 * machine the browser draws every frame on the CPU, which the request shares). */
async function raw(page: Page, origin: string, method: 'POST' | 'DELETE', jobId: string, spin = false): Promise<Raw> {
  const path = method === 'POST' ? `/api/jobs/${jobId}/cancel` : `/api/jobs/${jobId}`;
  const url = `${origin}${path}${method === 'DELETE' ? '?force=false' : ''}`;
  const [ms, start, end] = await page.evaluate(async ({ method, url, spin }) => {
    let spinner: HTMLElement | undefined;
    if (spin) {
      spinner = document.createElement('span');
      spinner.style.cssText = 'position:fixed;top:8px;left:8px;width:12px;height:12px;border:2px solid;border-right-color:transparent;border-radius:50%;';
      document.body.append(spinner);
      spinner.animate([{ transform: 'rotate(0)' }, { transform: 'rotate(1turn)' }], { duration: 800, iterations: Infinity });
    }
    const started = performance.now();
    const response = await fetch(url, { method, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? '{}' : undefined });
    await response.text();
    const ended = performance.now();
    spinner?.remove();
    return [ended - started, performance.timeOrigin + started, performance.timeOrigin + ended];
  }, { method, url, spin });
  return { ms, start, end, path };
}

const busy = (root: string) =>
  `(${root}?.querySelector('[data-testid="dialog-confirm"]')?.getAttribute('aria-busy') === 'true')`;
const pageDialog = `document.querySelector('[data-job-actions="dialog"]')?.shadowRoot`;
const badgeIs = (jobId: string | null, text: string) =>
  `(document.querySelector('${jobId ? `tr[data-job-id="${jobId}"] ` : '.job-header '}[data-job-actions="phase-badge"]')?.shadowRoot?.querySelector('.badge')?.textContent === ${JSON.stringify(text)})`;

/** Every action's samples with one build (its `dist/chrome`; this checkout's when none), each
 * beside the raw round trips of the same run. */
async function measure(extension?: string): Promise<Record<string, Sample[]>> {
  const emulator = await Emulator.start(['--no-seed']);
  const { context, close } = await launchChromiumWithExtension(emulator.origin, extension ? { extension } : {});
  const make = async (title: string, phase: string) => (await emulator.createJob(title, phase)).id;
  /** The raw round trips of a sample, each to a job of its own: plain, then with a spinner. */
  const raws = async (page: Page, method: 'POST' | 'DELETE', phase: string, ids?: string[]): Promise<[Raw, Raw]> => [
    await raw(page, emulator.origin, method, ids?.pop() ?? (await make('raw', phase))),
    await raw(page, emulator.origin, method, ids?.pop() ?? (await make('raw, spinner', phase)), true),
  ];
  const figures: Record<string, Sample[]> = {};
  const add = (name: string, value: Sample) => (figures[name] ??= []).push(value);
  const page = await context.newPage();
  const pageNet = await NetLog.of(page);
  // One of each first: the first use of a page loads the actions build (see start.bench.ts).
  for (let i = 0; i <= SAMPLES; i++) {
    const keep = (name: string, value: Sample) => i > 0 && add(name, value);
    // A job's page.
    let id = await make(`page cancel ${i}`, 'matching');
    await page.goto(`/jobs/${id}`);
    await page.getByRole('button', { name: 'Cancel Job' }).click();
    await arm(page, { ack: busy(pageDialog), final: badgeIs(null, 'Cancelled') });
    await page.getByRole('alertdialog').getByTestId('dialog-confirm').click();
    keep('job page: cancel', await sample(emulator, pageNet, await times(page, false), 'POST', id, await raws(page, 'POST', 'matching')));

    id = await make(`page delete ${i}`, 'completed');
    await page.goto(`/jobs/${id}`);
    await page.getByRole('button', { name: 'Delete Job' }).click();
    await arm(page, { ack: busy(pageDialog), final: 'navigate' });
    await page.getByRole('alertdialog').getByTestId('dialog-confirm').click();
    await page.waitForURL(/\/jobs$/);
    keep('job page: delete (leaves for the list)', await sample(emulator, pageNet, await times(page, true), 'DELETE', id, await raws(page, 'DELETE', 'completed')));

    // The list's row menu.
    const cancelId = await make(`list cancel ${i}`, 'matching');
    const deleteId = await make(`list delete ${i}`, 'completed');
    await page.goto('/jobs');
    const menu = async (jobId: string, item: string) => {
      await page.locator(`tr[data-job-id="${jobId}"]`).getByTestId('row-menu-button').click();
      await page.getByRole('menuitem', { name: item }).click();
    };
    await menu(cancelId, 'Cancel Job');
    await arm(page, { ack: busy(pageDialog), final: badgeIs(cancelId, 'Cancelled') });
    await page.getByRole('alertdialog').getByTestId('dialog-confirm').click();
    keep('list: cancel', await sample(emulator, pageNet, await times(page, false), 'POST', cancelId, await raws(page, 'POST', 'matching')));
    await expect(page.getByRole('alertdialog')).toHaveCount(0);
    await menu(deleteId, 'Delete Job');
    await arm(page, { ack: busy(pageDialog), final: `(getComputedStyle(document.querySelector('tr[data-job-id="${deleteId}"]')).display === 'none')` });
    await page.getByRole('alertdialog').getByTestId('dialog-confirm').click();
    keep('list: delete', await sample(emulator, pageNet, await times(page, false), 'DELETE', deleteId, await raws(page, 'DELETE', 'completed')));
  }

  // The popup: its rows are the 20 newest jobs, so each action's jobs, and before them those the
  // raw requests use, are made before it opens.
  for (const [action, phase, label] of [['cancel', 'matching', 'Cancel Job'], ['delete', 'completed', 'Delete Job']] as const) {
    const rawIds: string[] = [];
    for (let i = 0; i <= 2 * SAMPLES + 1; i++) rawIds.push(await make(`raw popup ${action} ${i}`, phase));
    const ids: string[] = [];
    for (let i = 0; i <= SAMPLES; i++) ids.push(await make(`popup ${action} ${i}`, phase));
    const popup = await openPopup(context, emulator.origin);
    const popupNet = await NetLog.of(popup);
    for (const [i, id] of ids.entries()) {
      const row = popup.locator(`[data-testid="job-row"][data-job-id="${id}"]`);
      await row.getByRole('button', { name: new RegExp(`^${label}`) }).click();
      await arm(popup, {
        ack: busy('document'),
        final: action === 'cancel'
          ? `(document.querySelector('[data-job-id="${id}"] [data-testid="phase-badge"]')?.textContent === 'Cancelled')`
          : `(document.querySelector('[data-testid="job-row"][data-job-id="${id}"]') === null)`,
      });
      await popup.getByRole('alertdialog').getByTestId('dialog-confirm').click();
      const t = await times(popup, false);
      const method = action === 'cancel' ? 'POST' : 'DELETE';
      const rawTrips = await raws(popup, method, phase, rawIds);
      if (i > 0) add(`popup: ${action}`, await sample(emulator, popupNet, t, method, id, rawTrips));
      await expect(popup.getByRole('alertdialog')).toHaveCount(0);
    }
    await popup.close();
  }
  await close();
  await emulator.stop();
  return figures;
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const finalOverRaw = (samples: Sample[]) => median(samples.map((s) => s.final)) - median(samples.map((s) => s.raw));

test('action latency: acknowledgement and final state, job page, list and popup, next to raw round trips', async () => {
  test.setTimeout(1_800_000);
  // JOB_ACTIONS_BASELINE_CHROME_DIR names another build (a dist/chrome of another commit) to
  // measure after this one, each with raw round trips of its own run.
  const results: [string, Record<string, Sample[]>][] = [];
  for (const { name, dir } of measuredBuilds()) results.push([name, await measure(dir)]);
  for (const [build, figures] of results) report(results.length > 1 ? ` — ${build}` : '', figures);
  if (results.length > 1) {
    console.log('\nfinal − raw round trip, medians (goal ≤ 16.7 ms, one frame)');
    console.log(`| where: action | ${results.map(([name]) => name).join(' | ')} |`);
    console.log(`|---|${results.map(() => '---:').join('|')}|`);
    for (const name of Object.keys(results[0][1])) {
      console.log(`| ${name} | ${results.map(([, figures]) => ms(finalOverRaw(figures[name]))).join(' | ')} |`);
    }
  }
});

test('the first cancel on a job page in a fresh browser, whose renderer has shown no time yet', async () => {
  test.setTimeout(600_000);
  const emulator = await Emulator.start(['--no-seed']);
  const finals: Record<string, number[]> = {};
  // Interleaved, a fresh browser each: its first formatting of a time loads V8's locale data.
  for (let round = 0; round < FRESH; round++) {
    for (const { name, dir } of measuredBuilds()) {
      const { context, close } = await launchChromiumWithExtension(emulator.origin, dir ? { extension: dir } : {});
      const page = await context.newPage();
      const id = (await emulator.createJob(`first cancel ${round}`, 'matching')).id;
      await page.goto(`/jobs/${id}`);
      await page.getByRole('button', { name: 'Cancel Job' }).click();
      await arm(page, { ack: busy(pageDialog), final: badgeIs(null, 'Cancelled') });
      await page.getByRole('alertdialog').getByTestId('dialog-confirm').click();
      const t = await times(page, false);
      (finals[name] ??= []).push(t.final! - t.click!);
      await close();
    }
  }
  await emulator.stop();
  console.log(`\nthe first cancel on a job page in a fresh browser: confirm → "Cancelled" on screen, median of ${FRESH} (each)`);
  console.log('| build | final, server-confirmed | each |');
  console.log('|---|---:|---|');
  for (const [name, values] of Object.entries(finals)) {
    console.log(`| ${name} | ${ms(median(values))} | ${values.map((value) => value.toFixed(1)).join(', ')} |`);
  }
});

function report(build: string, figures: Record<string, Sample[]>) {
  console.log(`\naction latency from the confirm click${build}, medians of ${SAMPLES} (headless Chromium, the emulator on this machine)`);
  console.log('| where: action | acknowledged (button busy) | in the click\'s frame | final, server-confirmed | raw round trip | final − raw | final / raw | raw, a spinner turning |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const [name, samples] of Object.entries(figures)) {
    const final = median(samples.map((s) => s.final));
    const rawMs = median(samples.map((s) => s.raw));
    console.log(
      `| ${name} | ${ms(median(samples.map((s) => s.ack)))} | ${samples.filter((s) => s.inFrame).length}/${samples.length} | ${ms(final)} | ${ms(rawMs)} | ${ms(final - rawMs)} | ${(final / rawMs).toFixed(2)}× | ${ms(median(samples.map((s) => s.rawSpin)))} |`,
    );
  }
  console.log(`\nwhere the time goes${build}, from the server's request log (whole ms), medians`);
  console.log('| where: action | click → `fetch` called | click → request arrives | server | answer written → final state | its headers in the page → final state | raw: start → arrives | raw: answer written → read |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const [name, samples] of Object.entries(figures)) {
    const m = (pick: (s: Sample) => number) => ms(median(samples.map(pick)));
    console.log(`| ${name} | ${m((s) => s.toFetch)} | ${m((s) => s.toServer)} | ${m((s) => s.server)} | ${m((s) => s.fromServer)} | ${m((s) => s.headersToFinal)} | ${m((s) => s.rawToServer)} | ${m((s) => s.rawFromServer)} |`);
  }
}
