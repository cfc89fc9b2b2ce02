// The phase-badge feature in Chromium: on a job's page, on every list row, on strict-CSP pages
// (through the wasm2js fallback), and through host re-renders.
import { test, expect, watchForErrors, screenshotPath, nextFrames, traceOf, Emulator, type Job } from './fixtures';

/** Runs `run` against an emulator of its own, with no seeded jobs (the test adds what it needs),
 * and stops it afterwards, whatever happened. */
async function withOwnEmulator(run: (big: Emulator) => Promise<void>): Promise<void> {
  const big = await Emulator.start(['--no-seed']);
  try {
    await run(big);
  } finally {
    await big.stop();
  }
}

const LABELS: Record<string, string> = {
  collection: 'Collection',
  feature_extraction: 'Feature extraction',
  matching: 'Matching',
  evidence: 'Evidence',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

// The grey of the cancelled badge (PRD §6.3): #eaeef2.
const CANCELLED_GREY = 'rgb(234, 238, 242)';

for (const csp of ['default', 'strict'] as const) {
  const query = csp === 'strict' ? '?csp=strict' : '';
  const engine = csp === 'strict' ? 'js' : 'wasm';

  test(`detail page shows the phase badge next to the title (${csp} CSP, ${engine} engine)`, async ({ extensionContext, emulator }) => {
    const cancelled = await emulator.jobInPhase('cancelled');
    const page = await extensionContext.newPage();
    const errors = watchForErrors(page);
    const response = await page.goto(`${emulator.origin}/jobs/${cancelled.id}${query}`);
    if (csp === 'strict') expect(response?.headers()['content-security-policy']).toBe("default-src 'self'");
    await expect(page.locator('html')).toHaveAttribute('data-job-actions-engine', engine);
    const badge = page.locator('.job-header [data-testid="phase-badge"]');
    await expect(badge).toHaveText('Cancelled');
    await expect(badge).toHaveAttribute('data-variant', 'cancelled');
    // The badge sits right after the title, and its own styles apply even under a strict CSP.
    await expect(page.locator('.job-header .job-title + [data-job-actions="phase-badge"]')).toHaveCount(1);
    await expect(badge).toHaveCSS('background-color', CANCELLED_GREY);
    await expect(page.locator('[data-testid="phase-badge"]')).toHaveCount(1);
    if (csp === 'default') {
      await page.screenshot({ path: screenshotPath('detail-badge.png') });
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  test(`every list row gets exactly one badge with its phase (${csp} CSP)`, async ({ extensionContext, emulator }) => {
    const jobs: Job[] = await emulator.jobs();
    expect(new Set(jobs.map((job) => job.phase)).size).toBe(7);
    const page = await extensionContext.newPage();
    const errors = watchForErrors(page);
    await page.goto(`${emulator.origin}/jobs${query}`);
    await expect(page.locator('html')).toHaveAttribute('data-job-actions-engine', engine);
    await expect(page.locator('[data-job-id]')).toHaveCount(jobs.length);
    for (const job of jobs) {
      const badge = page.locator(`[data-job-id="${job.id}"] [data-testid="phase-badge"]`);
      await expect(badge).toHaveText(LABELS[job.phase]);
      await expect(badge).toHaveAttribute('data-phase', job.phase);
    }
    await expect(page.locator('[data-testid="phase-badge"]')).toHaveCount(jobs.length);
    if (csp === 'default') {
      await page.screenshot({ path: screenshotPath('list-badges.png') });
    }
    expect(errors).toEqual([]);
    await page.close();
  });
}

test('the badge follows the API, not the host page, once the API answers', async ({ extensionContext, emulator }) => {
  const job = await emulator.createJob('Phase drift check', 'matching');
  const page = await extensionContext.newPage();
  // The host page is rendered first; the job is cancelled on the server before the overlay asks.
  await page.route(`**/api/jobs/${job.id}`, async (route) => {
    await emulator.api('POST', `/api/jobs/${job.id}/cancel`, {});
    await route.continue();
  });
  await page.goto(`${emulator.origin}/jobs/${job.id}`);
  await expect(page.locator('.job-header .job-phase')).toHaveText('matching');
  await expect(page.locator('.job-header [data-testid="phase-badge"]')).toHaveText('Cancelled');
  await expect(page.locator('[data-job-actions="phase-badge"]')).toHaveAttribute('data-source', 'api');
  await page.close();
});

test('on a slow machine a job page still gets one badge, and it follows the job', async ({ extensionContext, emulator }) => {
  // A decoration pass that runs out of time leaves the rest to the next one, and the hosts it
  // made wait to go onto the page together. Slowed 20×, every pass here runs out of time; a
  // waiting host must be found again by the next pass, not made a second time.
  const job = await emulator.createJob('Slow machine', 'collection');
  const page = await extensionContext.newPage();
  const cdp = await extensionContext.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 20 });
  await page.goto(`${emulator.origin}/jobs/${job.id}`);
  await expect(page.getByRole('button', { name: 'Cancel Job' })).toBeVisible({ timeout: 30_000 });
  await emulator.api('POST', `/api/jobs/${job.id}/cancel`, {});
  await expect(page.locator('.job-header [data-testid="phase-badge"]')).toHaveText('Cancelled', { timeout: 30_000 });
  const hosts = await page.evaluate(() => [...document.querySelectorAll('[data-job-actions]')].map((host) => host.getAttribute('data-job-actions')));
  expect(hosts.filter((feature) => feature === 'phase-badge')).toEqual(['phase-badge']);
  expect(new Set(hosts).size).toBe(hosts.length);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  await page.close();
});

test('a row the page reuses for another job while a 1,000-row list is still being decorated gets that job\'s menu', async ({ extensionContext }) => {
  // The passes that go on creating a long list's hosts keep the rows the first one read, while
  // the page does not change. Here it does, between two of them: its first and last rows swap
  // jobs in place (a virtualised list), and both must end with their new job's menu.
  await withOwnEmulator(async (big) => {
    await big.api('POST', '/_emulator/jobs/bulk', { count: 1000, phase: 'completed' });
    const page = await extensionContext.newPage();
    const errors = watchForErrors(page);
    const cdp = await extensionContext.newCDPSession(page);
    // Slowed 4×, the hosts take many more passes than the list's answer takes to arrive.
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await page.addInitScript(() => {
      type Swap = { ids: string[]; titles: string[]; passes: number; bursts: number };
      const w = window as unknown as { __passes: number; __bursts: number; __swap?: Swap; __atBurst?: string[][] };
      w.__passes = 0;
      w.__bursts = 0;
      new MutationObserver((records) => {
        if (records.some((record) => [...record.addedNodes].some((node) => node instanceof Element && node.getAttribute('data-job-actions') === 'row-menu'))) {
          w.__bursts += 1;
          // What the first and last rows' menus say the moment they go onto the page (before
          // the browser can paint them): [the row's job, the menu's job].
          if (w.__bursts === 1) {
            const rows = [...document.querySelectorAll('tr[data-job-id]')];
            w.__atBurst = [rows[0], rows[rows.length - 1]].map((row) => [
              row.getAttribute('data-job-id')!,
              row.querySelector('[data-job-actions="row-menu"]')?.shadowRoot?.querySelector('[data-testid="row-menu-button"]')?.getAttribute('data-ja-job') ?? 'none',
            ]);
          }
        }
      }).observe(document, { subtree: true, childList: true });
      new PerformanceObserver((list) => {
        w.__passes += list.getEntriesByName('job-actions:decorate').length;
        if (w.__swap || w.__passes < 4) return;
        const rows = [...document.querySelectorAll('tr[data-job-id]')];
        const [first, last] = [rows[0], rows[rows.length - 1]];
        const ids = [first.getAttribute('data-job-id')!, last.getAttribute('data-job-id')!];
        const titles = [first, last].map((row) => row.querySelector('.job-title')!.firstChild!.nodeValue!);
        first.setAttribute('data-job-id', ids[1]);
        last.setAttribute('data-job-id', ids[0]);
        first.querySelector('.job-title')!.firstChild!.nodeValue = titles[1];
        last.querySelector('.job-title')!.firstChild!.nodeValue = titles[0];
        w.__swap = { ids, titles, passes: w.__passes, bursts: w.__bursts };
      }).observe({ entryTypes: ['measure'] });
    });
    await page.goto(`${big.origin}/jobs`);
    await expect(page.locator('[data-job-actions="row-menu"]')).toHaveCount(1000, { timeout: 60_000 });
    await expect(page.locator('[data-job-actions="phase-badge"][data-source="api"]')).toHaveCount(1000, { timeout: 60_000 });
    const { swap, atBurst } = await page.evaluate(() => {
      const w = window as unknown as { __swap?: { ids: string[]; titles: string[]; passes: number; bursts: number }; __atBurst?: string[][] };
      return { swap: w.__swap, atBurst: w.__atBurst };
    });
    // The swap came between two passes that were still creating the hosts (none on the page yet).
    expect(swap?.bursts).toBe(0);
    // The menus went onto the page already for the rows' new jobs: no frame shows another's.
    expect(atBurst).toEqual([[swap!.ids[1], swap!.ids[1]], [swap!.ids[0], swap!.ids[0]]]);
    const [firstId, lastId] = swap!.ids;
    const [firstTitle, lastTitle] = swap!.titles;
    const rows = page.locator('tr[data-job-id]');
    // The first row now shows the last job, and the other way round.
    for (const [at, id, title] of [[0, lastId, lastTitle], [999, firstId, firstTitle]] as const) {
      const button = rows.nth(at).getByTestId('row-menu-button');
      await expect(button).toHaveAccessibleName(`Actions for ${title}`, { timeout: 10_000 });
      await expect(button).toHaveAttribute('data-ja-job', id);
    }
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    expect(errors).toEqual([]);
    await page.close();
  });
});

test('the hosts a pass puts onto the page bring no pass of their own; a host the page takes away comes back', async ({ extensionContext, emulator }) => {
  // The overlay follows the page's changes, not its own: drawing a host is what the pass that
  // inserts it did, and another pass over every row would only repeat it.
  await emulator.api('POST', '/_emulator/jobs/bulk', { count: 40, phase: 'completed' });
  const page = await extensionContext.newPage();
  await page.addInitScript(() => {
    const w = window as unknown as { __passes: number };
    w.__passes = 0;
    // The overlay clears its entries once observers have them: observe, do not look them up.
    new PerformanceObserver((list) => {
      w.__passes += list.getEntriesByName('job-actions:decorate').length;
    }).observe({ entryTypes: ['measure'] });
  });
  const passes = () => page.evaluate(() => (window as unknown as { __passes: number }).__passes);
  await page.goto(`${emulator.origin}/jobs`);
  const badges = page.locator('[data-job-actions="phase-badge"]');
  await expect(page.locator('[data-job-actions="phase-badge"][data-source="api"]').first()).toBeVisible();
  await page.waitForTimeout(1_500);
  const before = await badges.count();
  const settled = await passes();
  // The page takes a badge's host away: a change of the page's, so one pass draws it again and
  // puts it back; putting it back is no change to follow (without that rule: two passes).
  await page.evaluate(() => document.querySelector('[data-job-actions="phase-badge"]')!.remove());
  await expect(badges).toHaveCount(before);
  await page.waitForTimeout(1_000);
  expect(await passes()).toBe(settled + 1);
  await page.close();
});

test('an unknown phase gets a neutral badge and nothing breaks', async ({ extensionContext, emulator }) => {
  const job = await emulator.createJob('From a newer backend', 'archiving');
  const page = await extensionContext.newPage();
  const errors = watchForErrors(page);
  await page.goto(`${emulator.origin}/jobs/${job.id}`);
  const badge = page.locator('.job-header [data-testid="phase-badge"]');
  await expect(badge).toHaveText('Unknown');
  await expect(badge).toHaveAttribute('data-variant', 'unknown');
  expect(errors).toEqual([]);
  await page.close();
});

test('a hostile title stays text next to the badge', async ({ extensionContext, emulator }) => {
  const job = await emulator.createJob('<img src=x onerror="window.__pwned=1">', 'evidence');
  const page = await extensionContext.newPage();
  await page.goto(`${emulator.origin}/jobs`);
  const row = page.locator(`[data-job-id="${job.id}"]`);
  await expect(row.locator('[data-testid="phase-badge"]')).toHaveText('Evidence');
  await expect(row.locator('.job-title')).toContainText('<img src=x onerror="window.__pwned=1">');
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await page.close();
});

for (const csp of ['default', 'strict'] as const) {
  test(`badges survive 50 host re-renders with exactly one per row (${csp} CSP)`, async ({ extensionContext, emulator }) => {
    const n_rows = (await emulator.jobs()).length;
    const page = await extensionContext.newPage();
    const errors = watchForErrors(page);
    const query = csp === 'strict' ? '&csp=strict' : '';
    await page.goto(`${emulator.origin}/jobs?rerender=40${query}`);
    await expect(page.locator('[data-testid="phase-badge"]')).toHaveCount(n_rows);
    await page.waitForFunction(() => Number(document.body.dataset.renders ?? 0) >= 50, null, { timeout: 20_000 });
    // Between renders every row must carry its one badge again.
    await expect(async () => {
      const counts = await page.locator('[data-job-id]').evaluateAll((rows) =>
        rows.map((row) => row.querySelectorAll('[data-job-actions="phase-badge"]').length),
      );
      expect(counts).toEqual(new Array(n_rows).fill(1));
    }).toPass();
    expect(errors).toEqual([]);
    await page.close();
  });
}

test('a large list on a strict-CSP page: the wasm2js build survives memory growth', async ({ extensionContext }) => {
  // ~1.3 MB of JSON: reading it grows the module's memory mid-call, which the unpatched wasm2js
  // glue gets wrong (it keeps writing into the old buffer). Every row must still get its badge.
  await withOwnEmulator(async (big) => {
    const phases = ['matching', 'completed', 'cancelled'];
    for (const phase of phases) {
      await big.api('POST', '/_emulator/jobs/bulk', { count: 200, phase, title_chars: 2000 });
    }
    const page = await extensionContext.newPage();
    const errors = watchForErrors(page);
    await page.goto(`${big.origin}/jobs?csp=strict`);
    await expect(page.locator('html')).toHaveAttribute('data-job-actions-engine', 'js');
    await expect(page.locator('[data-testid="phase-badge"]')).toHaveCount(600);
    const jobs = await big.jobs();
    // Every badge must come from the API's answer, not from the page's own phase text.
    await expect(page.locator('[data-job-actions="phase-badge"][data-source="api"]')).toHaveCount(600);
    const shown = await page.locator('[data-job-id]').evaluateAll((rows) =>
      rows.map((row) => {
        const badge = row.querySelector('[data-job-actions="phase-badge"]')?.shadowRoot?.querySelector('.badge');
        return [row.getAttribute('data-job-id'), badge?.getAttribute('data-phase')];
      }),
    );
    expect(shown).toEqual(jobs.map((job) => [job.id, job.phase]));
    expect(errors).toEqual([]);
    await page.close();
  });
});

test('a 1,000-row list gets its rows\' badges and menus in one insertion, so its table is laid out once', async ({ extensionContext }) => {
  // Each insertion into a long table makes the browser lay all of it out again (30–100 ms for
  // 1,000 rows). The overlay creates the rows' hosts over several short passes, off the page, and
  // puts them on it together: the page sees one burst of them, not one per pass.
  await withOwnEmulator(async (big) => {
    await big.api('POST', '/_emulator/jobs/bulk', { count: 1000, phase: 'matching' });
    const page = await extensionContext.newPage();
    const errors = watchForErrors(page);
    await page.addInitScript(() => {
      const w = window as unknown as { __bursts: number[]; __passes: number };
      w.__bursts = [];
      w.__passes = 0;
      new PerformanceObserver((list) => {
        w.__passes += list.getEntriesByName('job-actions:decorate').length;
      }).observe({ entryTypes: ['measure'] });
      new MutationObserver((records) => {
        let hosts = 0;
        for (const record of records) {
          for (const node of record.addedNodes) {
            const feature = node instanceof Element ? node.getAttribute('data-job-actions') : null;
            if (feature === 'phase-badge' || feature === 'row-menu') hosts += 1;
          }
        }
        if (hosts > 0) w.__bursts.push(hosts);
      }).observe(document, { subtree: true, childList: true });
    });
    await page.goto(`${big.origin}/jobs`);
    await expect(page.locator('[data-job-actions="row-menu"]')).toHaveCount(1000, { timeout: 30_000 });
    await expect(page.locator('[data-job-actions="phase-badge"][data-source="api"]')).toHaveCount(1000, { timeout: 30_000 });
    const { bursts, passes } = await page.evaluate(() => {
      const w = window as unknown as { __bursts: number[]; __passes: number };
      return { bursts: w.__bursts, passes: w.__passes };
    });
    // They were created over several passes (no task long enough to freeze the page)…
    expect(passes).toBeGreaterThan(1);
    // …and went onto the page in one burst: mutation observers run after the task that changed
    // the page, so two bursts would mean two tasks, and two layouts of the table.
    expect(bursts).toEqual([2000]);
    expect(errors).toEqual([]);
    await page.close();
  });
});

test('when a list\'s data arrives after its controls are drawn, none of its rows is laid out again', async ({ extensionContext }) => {
  // The data changes where each badge's phase came from and ends each menu button's busy state.
  // A busy look made with opacity made the browser lay out every row again as it ended (95 ms for
  // 1,000 rows, in rendering that no long task shows): it is a colour now. Counted in Chromium's
  // own layout events (how many layout objects each layout had to do), not in time.
  const ROWS = 300;
  await withOwnEmulator(async (big) => {
    await big.api('POST', '/_emulator/jobs/bulk', { count: ROWS, phase: 'matching' });
    await big.api('POST', '/_emulator/faults', { method: 'GET', path: '/api/jobs', hold_response_ms: 4_000, times: 1 });
    const page = await extensionContext.newPage();
    const errors = watchForErrors(page);
    await page.goto(`${big.origin}/jobs`);
    const busy = page.locator('[data-job-actions="row-menu"]').getByTestId('row-menu-button').and(page.locator('[aria-busy="true"]'));
    await expect(busy).toHaveCount(ROWS);
    await expect(page.locator('[data-job-actions="phase-badge"][data-source="page"]')).toHaveCount(ROWS);
    await nextFrames(page);
    const { events, frame } = await traceOf(page, 'devtools.timeline', async () => {
      await expect(page.locator('[data-job-actions="phase-badge"][data-source="api"]')).toHaveCount(ROWS, { timeout: 10_000 });
      await expect(busy).toHaveCount(0);
    });
    const layouts = events
      .filter((event) => event.name === 'Layout' && event.ph === 'X' && event.args?.beginData?.frame === frame)
      .map((event) => event.args!.beginData!.dirtyObjects);
    // Fewer than one layout object per row: no row was laid out again.
    expect(Math.max(0, ...layouts), `layouts after the data: ${JSON.stringify(layouts)}`).toBeLessThan(ROWS);
    expect(errors).toEqual([]);
    await page.close();
  });
});
