// Shared fixtures: an emulator per test file (fresh in-memory database on a free port) and a
// headless Chromium with the built extension loaded.
import { test as base, chromium, expect, type BrowserContext, type CDPSession, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const CHROME_EXTENSION = process.env.JOB_ACTIONS_CHROME_DIR ?? join(ROOT, 'dist', 'chrome');
export const FIREFOX_EXTENSION = process.env.JOB_ACTIONS_FIREFOX_DIR ?? join(ROOT, 'dist', 'firefox');
export const EMULATOR_BIN = process.env.JOB_ACTIONS_EMULATOR ?? join(ROOT, 'target', 'debug', 'emulator');

export interface Job {
  id: string;
  title: string;
  phase: string;
  cancelled_at?: string;
}

/** A running emulator and helpers to drive it. */
export class Emulator {
  constructor(
    readonly origin: string,
    private readonly child: ChildProcess,
  ) {}

  static async start(flags: string[] = []): Promise<Emulator> {
    const child = spawn(EMULATOR_BIN, ['--addr', '127.0.0.1:0', '--paused', ...flags], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout! });
    const origin = await new Promise<string>((resolveOrigin, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`emulator exited early (${code})`)));
      lines.once('line', (line) => {
        const match = /^emulator listening on (http:\/\/\S+)$/.exec(line);
        if (match) resolveOrigin(match[1]);
        else reject(new Error(`unexpected emulator output: ${line}`));
      });
    });
    lines.on('line', () => {});
    return new Emulator(origin, child);
  }

  async stop(): Promise<void> {
    // Already gone (an exit code, or killed by a signal: then exitCode stays null).
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((done) => this.child.once('exit', done));
    this.child.kill('SIGTERM');
    await exited;
  }

  /** Calls the emulator directly (as the test, not the extension); `token` for one started with `--token`. */
  async api<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
    const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await fetch(`${this.origin}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** The jobs, newest first (up to the API's maximum page of 1000). */
  async jobs(): Promise<Job[]> {
    return (await this.api<{ jobs: Job[] }>('GET', '/api/jobs?limit=1000')).jobs;
  }

  async createJob(title: string, phase = 'collection'): Promise<Job> {
    return this.api<Job>('POST', '/api/jobs', { title, phase });
  }

  async jobInPhase(phase: string): Promise<Job> {
    const job = (await this.jobs()).find((candidate) => candidate.phase === phase);
    if (!job) throw new Error(`no seeded job in phase ${phase}`);
    return job;
  }
}

/** Chromium's extension id for a manifest `key`: sha256 of the key, first 32 hex digits as a-p. */
export function extensionIdFromKey(keyBase64: string): string {
  const digest = createHash('sha256').update(Buffer.from(keyBase64, 'base64')).digest('hex');
  return [...digest.slice(0, 32)].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}

/**
 * Launches headless Debian Chromium with dist/chrome loaded.
 *
 * `grantedOrigins`: host patterns the user granted this extension earlier, recorded in the new
 * browser profile's own Preferences (`extensions.settings.<id>.runtime_granted_permissions`), as
 * Chromium keeps them after a grant. Headless Chromium cannot show or click the
 * `permissions.request` prompt; with the grant on record, Chromium's permissions API resolves the
 * extension's real `permissions.request` call with `true` without prompting (it never prompts for
 * permissions granted before). The product's code path is unchanged; only the prompt is skipped.
 */
export async function launchChromiumWithExtension(
  baseURL?: string,
  { grantedOrigins = [] as string[], extension = CHROME_EXTENSION, profile: kept = undefined as string | undefined } = {},
): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  // `profile`: a browser profile the caller keeps (a restart reopens it); otherwise a fresh one,
  // removed on close.
  const profile = kept ?? mkdtempSync(join(tmpdir(), 'job-actions-chromium-'));
  if (grantedOrigins.length > 0) {
    mkdirSync(join(profile, 'Default'));
    const granted = { api: [], explicit_host: grantedOrigins, manifest_permissions: [], scriptable_host: [] };
    const preferences = { extensions: { settings: { [chromeExtensionId()]: { runtime_granted_permissions: granted } } } };
    writeFileSync(join(profile, 'Default', 'Preferences'), JSON.stringify(preferences));
  }
  const context = await chromium.launchPersistentContext(profile, {
    baseURL,
    headless: true,
    executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium',
    args: [`--disable-extensions-except=${extension}`, `--load-extension=${extension}`, ...CHROMIUM_ARGS],
  });
  return {
    context,
    close: async () => {
      await context.close();
      if (!kept) rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Every test browser's flags but the extension's. */
const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The same Chromium, with the same flags, without the extension: the benches' "without". */
export async function launchChromiumWithoutExtension(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  return { context: await browser.newContext(), close: () => browser.close() };
}

export function chromeExtensionId(): string {
  const manifest = JSON.parse(readFileSync(join(CHROME_EXTENSION, 'manifest.json'), 'utf8'));
  return extensionIdFromKey(manifest.key);
}

/** The popup page's URL (opened as a tab in tests). */
export function popupUrl(): string {
  return `chrome-extension://${chromeExtensionId()}/popup/popup.html`;
}

/** The site-profiles page's URL (the extension's options page; the popup's "Sites" opens it). */
export function optionsUrl(): string {
  return `chrome-extension://${chromeExtensionId()}/options/options.html`;
}

/** Opens the popup as a page, pointed at the app and API at `origin` through extension storage. */
export async function openPopup(context: BrowserContext, origin: string): Promise<Page> {
  const popup = await context.newPage();
  await popup.goto(popupUrl());
  await popup.evaluate(async (settings) => {
    await chrome.storage.local.set({ settings: JSON.stringify(settings) });
  }, { app_url: origin, api_base: `${origin}/api` });
  await popup.reload();
  // Mounted, and past the last known list (it is read-only): what the tests act on is live.
  await popup.waitForFunction(() => performance.getEntriesByName('job-actions:popup-ready').length > 0);
  await expect(popup.getByTestId('poll-status')).not.toHaveText(/^Last known/);
  return popup;
}

/** Adds a rule to the emulator's fault switch (POST /_emulator/faults). */
export async function fault(emulator: Emulator, rule: Record<string, unknown>): Promise<void> {
  await emulator.api('POST', '/_emulator/faults', rule);
}

/**
 * The card app's site profile (the emulator's second host, `/spa`) as typed in the Sites view's
 * editor: test id → value, in form order. Its rows' ids are in their links (select `link` in
 * `profile-row-id-kind` before typing the row-id fields).
 */
export function cardAppProfile(name: string, origin: string): [string, string][] {
  return [
    ['profile-name', name],
    ['profile-origins', origin],
    ['profile-list-page', '/spa/runs'],
    ['profile-detail-page', '/spa/runs/:id/overview'],
    ['profile-row', 'article.card'],
    ['profile-row-id-value', 'a.card-link'],
    ['profile-row-id-pattern', '/spa/runs/:id/overview'],
    ['profile-detail-anchor', '.run-head .run-name'],
  ];
}

/**
 * A site profile as an organisation's policy sets it (issue #19): the third host (`/ops/`) at
 * `origin`, in the flat form Chrome's managed schema describes.
 */
export function managedProfile(origin: string): Record<string, unknown> {
  return {
    name: 'Ops (organisation)',
    origins: [origin],
    list_page: '/ops/jobs',
    detail_page: '/ops/jobs/:id',
    row: 'tr[data-id]',
    row_id: 'attribute',
    row_id_value: 'data-id',
    detail_anchor: 'header h1',
    phase_element: 'header .pill',
  };
}

/**
 * Where a README screenshot goes: docs/screenshots with UPDATE_SCREENSHOTS=1 (then commit them),
 * otherwise the run's test-results folder, so a plain test run leaves the tree clean.
 */
export function screenshotPath(name: string): string {
  const dir = process.env.UPDATE_SCREENSHOTS === '1' ? join(ROOT, 'docs', 'screenshots') : join(ROOT, 'tests', 'test-results', 'screenshots');
  return join(dir, name);
}

/** The extension's console lines on `page` (those with its `[job-actions]` prefix), as they come. */
export function consoleLines(page: Page): string[] {
  const lines: string[] = [];
  page.on('console', (message) => {
    if (message.text().includes('[job-actions]')) lines.push(message.text());
  });
  return lines;
}

/** Resolves after the page's next two frames: what a change made is laid out and painted. */
export async function nextFrames(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
}

/** A Chromium trace event, as the layout guards read them. */
export interface TraceEvent {
  name: string;
  ph: string;
  args?: {
    beginData?: { dirtyObjects: number; frame: string };
    data?: { frame?: string; nodeId?: number; nodeName?: string };
  };
}

/**
 * Chromium's own record (trace `categories`) of what `page` did while `during` ran and in the two
 * frames after it; `frame` is the page's main frame (its events name it), and `cdp` the session,
 * still open to look up the nodes the events name. Chromium only.
 */
export async function traceOf(
  page: Page,
  categories: string,
  during: () => Promise<void>,
): Promise<{ events: TraceEvent[]; frame: string; cdp: CDPSession }> {
  const cdp = await page.context().newCDPSession(page);
  const { frameTree } = await cdp.send('Page.getFrameTree');
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (batch: { value: TraceEvent[] }) => { events.push(...batch.value); });
  const complete = new Promise((done) => cdp.on('Tracing.tracingComplete', done));
  await cdp.send('Tracing.start', { categories, transferMode: 'ReportEvents' });
  await during();
  await nextFrames(page);
  await cdp.send('Tracing.end');
  await complete;
  return { events, frame: frameTree.frame.id, cdp };
}

/** Collects page errors and the extension's console errors so a test can assert there were none. */
export function watchForErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && message.text().includes('[job-actions]')) errors.push(message.text());
  });
  return errors;
}

type WorkerFixtures = { emulator: Emulator; extensionContext: BrowserContext };

/**
 * Makes the page look hidden (or visible again) to the extension, as a background tab does:
 * headless Chromium keeps every tab visible, so `document.hidden`/`visibilityState` are
 * overridden in the content script's own isolated world (through CDP) and `visibilitychange`
 * is fired there. Nothing in the product changes; the page's own world is untouched.
 * Call `watchContentWorld` before the page navigates.
 */
export async function watchContentWorld(context: BrowserContext, page: Page) {
  const cdp = await context.newCDPSession(page);
  let worldId: number | undefined;
  cdp.on('Runtime.executionContextCreated', (event) => {
    if (event.context.name === 'Job Actions' && event.context.auxData?.type === 'isolated') worldId = event.context.id;
  });
  await cdp.send('Runtime.enable');
  return {
    async setHidden(hidden: boolean) {
      if (worldId === undefined) throw new Error('the content script world has not appeared');
      await cdp.send('Runtime.evaluate', {
        contextId: worldId,
        expression: `Object.defineProperty(document, 'hidden', { configurable: true, get: () => ${hidden} });
          Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => '${hidden ? 'hidden' : 'visible'}' });
          document.dispatchEvent(new Event('visibilitychange'));`,
      });
    },
  };
}

/**
 * Runs `expression` as a compromised content script would (issue #20): in the extension's own
 * isolated world of `page`'s main frame (Chromium only, through CDP), where `chrome.runtime`
 * talks to the background exactly as the content script does — `sender.url` is the page's URL.
 * The content script must have started on the page. A promise is awaited; the value comes back
 * by value (JSON only).
 */
export async function inContentScriptWorld<T>(page: Page, expression: string, { timeout = 10_000 } = {}): Promise<T> {
  const cdp = await page.context().newCDPSession(page);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const { frameTree } = await cdp.send('Page.getFrameTree');
    const world = new Promise<number>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error("the extension's isolated world never appeared on this page")), timeout);
      cdp.on('Runtime.executionContextCreated', ({ context }) => {
        if (context.name === 'Job Actions' && context.auxData?.type === 'isolated' && context.auxData?.frameId === frameTree.frame.id) resolve(context.id);
      });
    });
    await cdp.send('Runtime.enable'); // reports every existing context at once
    const contextId = await world;
    const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', { expression, contextId, awaitPromise: true, returnByValue: true });
    if (exceptionDetails) throw new Error(`in the content script's world: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
    return result.value as T;
  } finally {
    clearTimeout(timer);
    await cdp.detach().catch(() => {});
  }
}

/** Holds the background's next injection (the actions build) until the returned function runs. */
export async function holdActionsBuild(extensionContext: BrowserContext): Promise<() => Promise<void>> {
  const [worker] = extensionContext.serviceWorkers();
  await worker.evaluate(() => {
    const scope = globalThis as unknown as { chrome: any; __releaseInjection?: () => void };
    const scripting = scope.chrome.scripting;
    const inject = scripting.executeScript;
    const held = new Promise<void>((resolve) => (scope.__releaseInjection = resolve));
    scripting.executeScript = (...args: unknown[]) => {
      scripting.executeScript = inject;
      return held.then(() => inject.apply(scripting, args));
    };
  });
  return async () => {
    await worker.evaluate(() => (globalThis as unknown as { __releaseInjection: () => void }).__releaseInjection());
  };
}

/** One entry of the emulator's request log. */
export interface LoggedRequest {
  seq: number;
  /** When the request arrived and when its answer was written, in ms since the epoch. */
  at_ms: number;
  done_ms: number;
  method: string;
  path: string;
  query: string | null;
  body: string | null;
  status: number;
  fault: string | null;
  /** Whether it carried an Authorization header (the emulator never logs the value). */
  authorization: boolean;
}

export async function requestsSince(emulator: Emulator, seq: number): Promise<LoggedRequest[]> {
  return (await emulator.api<{ requests: LoggedRequest[] }>('GET', `/_emulator/requests?since=${seq}`)).requests;
}

/** The requests since `seq` that change job `jobId` (anything but GET under /api/jobs/{jobId}). */
export async function writesTo(emulator: Emulator, seq: number, jobId: string): Promise<LoggedRequest[]> {
  return (await requestsSince(emulator, seq)).filter(
    (request) => request.method !== 'GET' && request.path.startsWith(`/api/jobs/${jobId}`),
  );
}

export async function lastSeq(emulator: Emulator): Promise<number> {
  const all = await requestsSince(emulator, 0);
  return all.length ? all[all.length - 1].seq : 0;
}

/**
 * The worker's Chromium with the extension. Relative URLs (`page.goto('/jobs/…')`,
 * `toHaveURL('/jobs')`) resolve against the emulator. A spec that overrides `extensionContext` with
 * this same function gets a browser of its own (Playwright gives it its own worker).
 */
export async function extensionBrowser(
  { emulator }: { emulator: Emulator },
  use: (context: BrowserContext) => Promise<void>,
): Promise<void> {
  const { context, close } = await launchChromiumWithExtension(emulator.origin);
  await use(context);
  await close();
}

export const test = base.extend<{}, WorkerFixtures>({
  emulator: [
    async ({}, use) => {
      const emulator = await Emulator.start();
      await use(emulator);
      await emulator.stop();
    },
    { scope: 'worker' },
  ],
  extensionContext: [extensionBrowser, { scope: 'worker' }],
});

/**
 * The same, plus `page` opened in the extension's browser (whose base URL is the emulator), so
 * tests can be written as the PRD writes them (`page.goto('/jobs/…')`).
 */
export const appTest = test.extend<{}>({
  page: async ({ extensionContext }, use) => {
    const page = await extensionContext.newPage();
    await use(page);
    await page.close();
  },
});

/** Starts recording every text the badge inside `hostSelector` shows, to catch brief flips. */
export async function recordBadgeTexts(page: Page, hostSelector: string): Promise<() => Promise<string[]>> {
  await page.evaluate((selector) => {
    const badge = document.querySelector(selector)!.shadowRoot!.querySelector('.badge')!;
    const seen: string[] = [];
    (window as unknown as { __badgeTexts: string[] }).__badgeTexts = seen;
    new MutationObserver(() => seen.push(badge.textContent ?? '')).observe(badge, {
      childList: true,
      characterData: true,
      subtree: true,
    });
  }, hostSelector);
  return () => page.evaluate(() => (window as unknown as { __badgeTexts: string[] }).__badgeTexts);
}

/** What a failure-matrix scenario (a test tagged @matrix) measured; see matrix-reporter.ts. */
export interface MatrixFigures {
  /** Destructive requests (cancel POSTs, DELETEs) beyond the ones the user's actions asked for. */
  destructive_sent_twice?: number;
  /** Typed reasons that were gone when the user came back for them. */
  reasons_lost?: number;
  /** Times hostile text ran as script (`window.__pwned`). */
  script_executions?: number;
  axe_violations?: number;
  /** Attacks a page script made on the extension (hostile-page.spec.ts)… */
  attacks_tried?: number;
  /** …and those refused: nothing sent, nothing leaked, a console line said so. */
  attacks_refused?: number;
}

export function recordMatrix(figures: MatrixFigures): void {
  for (const [name, value] of Object.entries(figures)) {
    // Fewer requests than the user asked for is a measuring mistake (or a lost request), never a credit.
    if (!Number.isInteger(value) || value < 0) throw new Error(`matrix figure ${name} must be a whole number ≥ 0, got ${value}`);
  }
  base.info().annotations.push({ type: 'matrix', description: JSON.stringify(figures) });
}

export { expect } from '@playwright/test';
