// The extension's background (a service worker in Chrome, an event page in Firefox), bundled with
// the background crate's wasm glue into one classic script (`background.js` in the package).
// Listeners are registered synchronously, as a service worker must, and wait for the wasm to start.
// 1. Job state (issue #9): each job tab connects a `job-actions:jobs` port; the Rust crate keeps one
//    source of job state per API base, polls it once for all tabs and passes actions on.
// 2. Typed cancel reasons in session storage for the content script (issue #10: a reason survives
//    a failed request and a page reload until the cancel succeeds). Content scripts cannot use
//    storage.session in Firefox at all, and should not see all of it anywhere: they may only read
//    and write `reason:` keys, through the messages below.
//    Both are bound to the sender's page (issue #20: a compromised renderer can send whatever our
//    content script could): a tab reaches only the API base of the site profile that covers its
//    own URL — that base's feed and that base's reasons —; the extension's own pages (the popup,
//    the site-profiles page) reach any. The Rust crate decides (`job_actions::scope`) from
//    `sender.url`, which the browser sets (for a frame, the frame's own URL).
// 3. The wasm2js build of the content script, injected into a frame whose page CSP refuses
//    WebAssembly (the loader asks; content scripts cannot inject scripts themselves), and the
//    content script's actions build, injected on the first use of a control (`first_use.rs` asks).
// 4. Site profiles (issue #8): the content script is registered (`scripting.registerContentScripts`)
//    for every page origin of the user's profiles that the user granted, and unregistered when
//    the profile or the grant goes. The Rust crate decides what changes; this file makes the calls.
// 5. Activity (issue #23): the log of this browser's cancels and deletes, which every view writes
//    through the `job-actions:activity` message. A job's page that leaves after a delete hands its
//    deletion check over (`job-actions:check-deletion`), and the toast it carries to the list asks
//    for its entry's receipt as kept (`job-actions:receipt`).
import init, { connected, received, disconnected, reason_refusal, activity_refusal, claim_refusal, record_activities, check_deletion, confirmation_of, registration_plan, set_built_in, managed_book, join_books } from './pkg/background.js';

const api = globalThis.browser ?? globalThis.chrome;

/** The `storage.local` key of the user's site profiles (`profiles::STORAGE_KEY`). */
const PROFILES_KEY = 'profiles';
/**
 * The extension's own root URL (`chrome-extension://<id>/`, `moz-extension://<uuid>/`): a sender
 * whose URL starts with it is one of the extension's pages, with full access.
 */
const EXTENSION_BASE = api.runtime.getURL('');

/** The `storage.local` key of the organisation's validated profiles (`managed::MANAGED_KEY`). */
const MANAGED_KEY = 'managed_profiles';

/**
 * The site profiles as stored (JSON text), read afresh for each sender: the organisation's
 * first (validated from managed storage by `syncManaged`), then the user's.
 */
async function readBook() {
  const items = await api.storage.local.get([PROFILES_KEY, MANAGED_KEY]);
  const user = typeof items[PROFILES_KEY] === 'string' ? items[PROFILES_KEY] : '[]';
  const managed = typeof items[MANAGED_KEY] === 'string' ? items[MANAGED_KEY] : '';
  if (!managed) return user;
  await started;
  return join_books(managed, user);
}

/**
 * Profiles an enterprise policy sets (`storage.managed` `profiles`): validated by the Rust side
 * and kept in `storage.local` for every context; none (no policy, or a browser without managed
 * storage) removes them.
 */
async function syncManaged() {
  let policy = '';
  try {
    const { profiles } = await api.storage.managed.get('profiles');
    if (profiles !== undefined) policy = typeof profiles === 'string' ? profiles : JSON.stringify(profiles);
  } catch {
    // No managed storage here (Firefox without a policy says so with an error): no profiles.
  }
  const book = managed_book(policy);
  if (book) await api.storage.local.set({ [MANAGED_KEY]: book });
  else await api.storage.local.remove(MANAGED_KEY);
}

const JS_ENGINE_FILE = 'content/js/content.js';
/** The actions build for each engine of the page-wide build that asks for it. */
const ACTIONS_FILES = { wasm: 'content/actions.js', js: 'content/js/actions.js' };

/** Runs one of the package's scripts in the frame a message came from. */
const inject = (sender, file) =>
  api.scripting.executeScript({
    target: { tabId: sender.tab.id, frameIds: [sender.frameId ?? 0] },
    files: [file],
  });
/**
 * Refuses a reason key or prefix outside the sender's scope (a tab: `reason:{its API base}#`; an
 * extension page: `reason:`): the Rust crate says why on the console, and the message is answered
 * `{ ok: false, error }`.
 */
async function checkReasonKey(sender, key, isPrefix) {
  const book = await readBook();
  await started;
  const refusal = reason_refusal(book, sender.url ?? '', EXTENSION_BASE, key, isPrefix);
  if (refusal !== undefined) throw new Error(refusal);
}

/** The `storage.local` key of the Activity log (`activity::STORAGE_KEY`). */
const ACTIVITY_KEY = 'activity';
/** Allowed Activity entries waiting for the next write, each with its sender's answer. */
const activityQueue = [];
let activityWriting = false;
/**
 * The least time between two writes of the log: each is a read and a write of up to 500 entries
 * (about 300 KB), so a bulk run's answers, a few milliseconds apart, are gathered meanwhile.
 */
const ACTIVITY_WRITE_EVERY_MS = 1000;
/**
 * How long the first entry waits for others before a write: a request's entry as it leaves and
 * the same entry answered, a few milliseconds later, are one write, and that write (a read and a
 * write of the whole log, and its change event in every extension context) comes after the
 * answer is on screen, not while the request is in flight (issue #22).
 */
const ACTIVITY_GATHER_MS = 250;

/**
 * Writes the waiting Activity entries, all that arrived meanwhile in one read and one write of
 * the log, one write at a time, the first `ACTIVITY_GATHER_MS` after its entry came and the
 * next at most one per `ACTIVITY_WRITE_EVERY_MS`: an action's two entries are one write, a bulk
 * run's a few, not two per job.
 */
async function writeActivity() {
  if (activityWriting) return;
  activityWriting = true;
  try {
    let last = 0;
    await new Promise((resume) => setTimeout(resume, ACTIVITY_GATHER_MS));
    while (activityQueue.length > 0) {
      const wait = last + ACTIVITY_WRITE_EVERY_MS - Date.now();
      if (last > 0 && wait > 0) await new Promise((resume) => setTimeout(resume, wait));
      last = Date.now();
      const batch = activityQueue.splice(0);
      try {
        const kept = (await api.storage.local.get(ACTIVITY_KEY))[ACTIVITY_KEY];
        const log = record_activities(typeof kept === 'string' ? kept : '', batch.map((item) => item.entry));
        await api.storage.local.set({ [ACTIVITY_KEY]: log });
        for (const item of batch) item.done();
      } catch (error) {
        for (const item of batch) item.failed(error);
      }
    }
  } finally {
    activityWriting = false;
  }
}
/** Keeps allowed Activity entries (each its JSON): settles once they are written. */
function keepActivity(list) {
  return Promise.all(list.map((one) => new Promise((done, failed) => {
    activityQueue.push({ entry: one, done, failed });
    writeActivity();
  })));
}

/**
 * The deletion checks leaving tabs handed over (issue #22), by Activity entry id: the tab, and
 * the check, which gives the confirmed entry (its JSON) or nothing to keep. Each stays a while
 * after it ended, for the receipt of the toast its tab carried to the next page.
 */
const deletionChecks = new Map();
/** The most checks kept at once: a page cannot make the background ask its API without end. */
const DELETION_CHECKS_MAX = 100;
/** How long an ended check stays (the content script's `CARRY_MAX_AGE_S`). */
const DELETION_CHECK_KEPT_MS = 30_000;
/**
 * Each check is also in `storage.session` under this prefix and its entry's id — `{ entry, tab,
 * url, since }`, and `checked` (the confirmed entry's JSON, or null) with `ended` once its result
 * is kept — because the browser may stop the worker while a check runs (Chrome stops one idle
 * for 30 s, and a job still there is asked about for a minute): the next start resumes it
 * (`resumeDeletionChecks`). Content scripts cannot read `storage.session`.
 */
const DELETION_CHECK_PREFIX = 'deletion-check:';

/**
 * Runs (or resumes) the check `record` describes as `id`'s, for its remaining time: its result
 * goes to Activity, then into its record, which goes with the check `DELETION_CHECK_KEPT_MS`
 * later.
 */
function runDeletionCheck(id, record) {
  const key = DELETION_CHECK_PREFIX + id;
  const waited = Math.min(Math.max(Date.now() - record.since, 0), 2 ** 31);
  const checking = check_deletion(record.entry, waited);
  const check = { tab: record.tab, checking };
  deletionChecks.set(id, check);
  checking
    .then(async (checked) => {
      if (checked !== undefined) await keepActivity([checked]);
      await api.storage.session.set({ [key]: { ...record, checked: checked ?? null, ended: Date.now() } });
    })
    .catch((error) => console.error('[job-actions] a deletion check failed', error))
    .finally(() => forgetDeletionCheck(id, check, DELETION_CHECK_KEPT_MS));
}

/** Forgets `id`'s `check` and its record `after` ms from now (unless another took its place). */
function forgetDeletionCheck(id, check, after) {
  setTimeout(() => {
    if (deletionChecks.get(id) !== check) return;
    deletionChecks.delete(id);
    api.storage.session.remove(DELETION_CHECK_PREFIX + id).catch(() => {});
  }, after);
}

/**
 * The checks a stopped worker left (their records): each still running goes on for what is left
 * of its minute, if the tab's profile still allows it; each ended one is kept for the rest of
 * its time, for the receipt.
 */
async function resumeDeletionChecks() {
  const items = await api.storage.session.get(null);
  // The profiles are read only for a check to resume: the worker starts often, and has none.
  let book;
  for (const [key, record] of Object.entries(items)) {
    if (!key.startsWith(DELETION_CHECK_PREFIX) || typeof record?.entry !== 'string') continue;
    const id = key.slice(DELETION_CHECK_PREFIX.length);
    if (deletionChecks.has(id)) continue;
    if (typeof record.ended === 'number') {
      const left = record.ended + DELETION_CHECK_KEPT_MS - Date.now();
      const check = { tab: record.tab, checking: Promise.resolve(record.checked ?? undefined) };
      deletionChecks.set(id, check);
      forgetDeletionCheck(id, check, Math.max(left, 0));
    } else if (activity_refusal(book ??= await readBook(), record.url ?? '', EXTENSION_BASE, [record.entry]) === undefined) {
      runDeletionCheck(id, record);
    } else {
      await api.storage.session.remove(key);
    }
  }
}

/**
 * The check of the answered delete `entry` a message names, if its sender may write that entry
 * (a tab: its own API base): its entry's id, and its record as `runDeletionCheck` reads it.
 */
async function checkRecord(entry, sender) {
  if (typeof entry !== 'string') throw new Error('not an Activity entry');
  const book = await readBook();
  await started;
  const refusal = activity_refusal(book, sender.url ?? '', EXTENSION_BASE, [entry]);
  if (refusal !== undefined) throw new Error(refusal);
  const { id } = JSON.parse(entry);
  if (typeof id !== 'string') throw new Error('not an Activity entry');
  return { id, record: { entry, tab: sender.tab?.id, url: sender.url ?? '', since: Date.now() } };
}

/** Starts `id`'s check as a leaving view hands it over (`record`: its entry, tab, URL, start). */
async function handOverCheck(id, record) {
  runDeletionCheck(id, record);
  await api.storage.session.set({ [DELETION_CHECK_PREFIX + id]: record });
}

/**
 * The checks views run themselves that outlasted their first read (`job-actions:watch-deletion`),
 * by entry id: the view (`holderOf`) and the record a hand-over would start. The view's Activity
 * entry with its confirmation ends the watch; the view's port closing first (a popup closes when
 * the user clicks elsewhere, a tab goes to another page) hands the check over (`takeOverChecks`).
 */
const watchedChecks = new Map();

/** Hands over the checks the view `holder` watched, as its port closed. */
function takeOverChecks(holder) {
  for (const [id, watch] of watchedChecks) {
    if (watch.holder !== holder) continue;
    watchedChecks.delete(id);
    resumed.then(() => handOverCheck(id, watch.record))
      .catch((error) => console.error('[job-actions] a deletion check could not be taken over', error));
  }
}

/** The messages the extension's own pages (the popup) may send too; the rest are a tab's. */
const FROM_EXTENSION_PAGES = new Set(['job-actions:activity', 'job-actions:claim', 'job-actions:watch-deletion']);

/** The most Activity entries one message may carry. */
const ACTIVITY_BATCH_MAX = 200;

/** A batch of Activity entries (a JSON array of entry objects), each as its own JSON text. */
function activityBatch(text) {
  const parsed = JSON.parse(text);
  if (!Array.isArray(parsed) || parsed.length > ACTIVITY_BATCH_MAX) throw new Error('not a list of Activity entries');
  return parsed.map((one) => JSON.stringify(one));
}

/**
 * The jobs bulk runs are acting on (issue #24), by API base, job id and action: who holds each
 * claim (a tab's frame, or an extension page) and until when. A failed request releases its
 * claim; any other lapses after `CLAIM_MS`.
 */
const claims = new Map();
const CLAIM_MS = 60_000;
/** The most jobs one claim message names (a run asks for 32 at a time: `bulk_claims::AHEAD`). */
const CLAIM_BATCH_MAX = 200;
const CLAIMS_SWEPT_ABOVE = 2_000;

function holderOf(sender) {
  return sender.tab ? `tab ${sender.tab.id} frame ${sender.frameId ?? 0}` : `page ${sender.url ?? ''}`;
}

/** The answers to the content script's messages, by `message.kind`. */
const handlers = {
  async 'job-actions:start-js-engine'(message, sender) {
    await inject(sender, JS_ENGINE_FILE);
    return {};
  },
  async 'job-actions:load-actions'({ engine }, sender) {
    if (!Object.hasOwn(ACTIONS_FILES, engine)) throw new Error(`no actions build for the engine "${engine}"`);
    await inject(sender, ACTIONS_FILES[engine]);
    return {};
  },
  async 'job-actions:reasons'({ prefix }, sender) {
    if (typeof prefix !== 'string') throw new Error('not a reason prefix');
    await checkReasonKey(sender, prefix, true);
    const items = await api.storage.session.get(null);
    const entries = {};
    for (const [key, value] of Object.entries(items)) {
      if (key.startsWith(prefix) && typeof value === 'string') entries[key.slice(prefix.length)] = value;
    }
    return { entries };
  },
  // A bulk run claims its jobs for its action before their requests, a batch per message
  // (`jobs`, a JSON array of at most CLAIM_BATCH_MAX ids: `bulk_claims::jobs_text`): a job the
  // popup and a tab (or two tabs) both run a bulk delete (or cancel) on gets one request. The
  // answer says, a character per job, whether the sender holds it now (`bulk_claims::granted`). A failed request, or a run stopped before sending, gives its claims back (`release`);
  // a done one keeps it until it lapses (nothing to send again). A tab claims its own API base's
  // jobs only (`claim_refusal`).
  async 'job-actions:claim'({ api: apiBase, jobs: list, action, release }, sender) {
    if (typeof apiBase !== 'string' || typeof list !== 'string' || !['cancel', 'delete'].includes(action)) throw new Error('not a claim');
    const jobs = JSON.parse(list);
    if (!Array.isArray(jobs) || jobs.length > CLAIM_BATCH_MAX || !jobs.every((job) => typeof job === 'string')) {
      throw new Error(`not a list of at most ${CLAIM_BATCH_MAX} job ids`);
    }
    const holder = holderOf(sender);
    const keyOf = (job) => JSON.stringify([apiBase, job, action]);
    // A release lets go of the sender's own claims only: nothing to check.
    if (release) {
      for (const job of jobs) {
        const key = keyOf(job);
        if (claims.get(key)?.holder === holder) claims.delete(key);
      }
      return { granted: '1'.repeat(jobs.length) };
    }
    const book = await readBook();
    await started;
    const refusal = claim_refusal(book, sender.url ?? '', EXTENSION_BASE, apiBase);
    if (refusal !== undefined) throw new Error(refusal);
    // Read after the awaits: another view may have claimed some meanwhile.
    const now = Date.now();
    // Lapsed claims go once there are many (a service worker that lives long, many runs).
    if (claims.size > CLAIMS_SWEPT_ABOVE) {
      for (const [key, claim] of claims) if (claim.until <= now) claims.delete(key);
    }
    // One character per job, in order: "1" the sender holds it now, "0" another view does.
    const granted = jobs.map((job) => {
      const key = keyOf(job);
      const current = claims.get(key);
      if (current && current.holder !== holder && current.until > now) return '0';
      claims.set(key, { holder, until: now + CLAIM_MS });
      return '1';
    });
    return { granted: granted.join('') };
  },
  // Activity: each message is a whole entry, kept in `storage.local` (the newest 500); the Rust
  // crate checks the sender may write it (a tab: its own API base), then it waits for the next
  // write (`writeActivity`). The answer comes once it is kept.
  // A tab sends its entries in batches (`entries`, a JSON array: a bulk run's), the popup one
  // at a time (`entry`); a batch with one entry it may not write is refused whole.
  async 'job-actions:activity'({ entry, entries }, sender) {
    const list = typeof entries === 'string' ? activityBatch(entries) : [entry];
    if (!list.every((one) => typeof one === 'string')) throw new Error('not an Activity entry');
    const book = await readBook();
    await started;
    const refusal = activity_refusal(book, sender.url ?? '', EXTENSION_BASE, list);
    if (refusal !== undefined) throw new Error(refusal);
    await keepActivity(list);
    // A view that confirmed its deletion check needs no one to carry it on.
    if (watchedChecks.size > 0) {
      for (const one of list) {
        const { id, confirmed_at: confirmed } = JSON.parse(one);
        if (confirmed) watchedChecks.delete(id);
      }
    }
    return {};
  },
  // A job's page leaves as soon as its delete is answered (issue #22) and hands over the check
  // that the job is gone (`entry`: the answered delete, an entry the tab may write): the Rust
  // crate asks the API as the page would have, and the confirmation goes to Activity. The answer
  // comes at once: the page is leaving.
  async 'job-actions:check-deletion'({ entry }, sender) {
    const { id, record } = await checkRecord(entry, sender);
    await resumed;
    if (deletionChecks.size >= DELETION_CHECKS_MAX) throw new Error(`refused a deletion check: ${DELETION_CHECKS_MAX} are kept`);
    watchedChecks.delete(id);
    await handOverCheck(id, record);
    return {};
  },
  // A view's own check of a deletion outlasted its first read (`entry`: the answered delete, an
  // entry the sender may write): kept until the view confirms it in Activity, and run here if
  // the view's port closes first.
  async 'job-actions:watch-deletion'({ entry }, sender) {
    const { id, record } = await checkRecord(entry, sender);
    if (watchedChecks.size >= DELETION_CHECKS_MAX) throw new Error(`refused to watch a deletion check: ${DELETION_CHECKS_MAX} are watched`);
    watchedChecks.set(id, { holder: holderOf(sender), record });
    return {};
  },
  // What the check of a deletion found (`id`: its Activity entry), once it ended: the toast a
  // job's page carried to the list adds it to its receipt. Only to the tab that handed it over.
  async 'job-actions:receipt'({ id }, sender) {
    if (typeof id !== 'string') throw new Error('not an Activity entry id');
    await resumed;
    const check = deletionChecks.get(id);
    const checked = check?.tab === sender.tab?.id ? await check?.checking.catch(() => undefined) : undefined;
    return { confirmed: checked === undefined ? null : confirmation_of(checked) ?? null };
  },
  async 'job-actions:reason'({ key, value }, sender) {
    if (typeof key !== 'string') throw new Error('not a reason key');
    await checkReasonKey(sender, key, false);
    if (typeof value !== 'string' || value === '') await api.storage.session.remove(key);
    else await api.storage.session.set({ [key]: value });
    return {};
  },
};

// Ports by id; the Rust side posts through this map (`js.rs`).
const ports = new Map();
globalThis.__jobActionsPorts = ports;
let nextPortId = 1;

/** The `storage.local` key of a baked-in profile (`profiles::BUILT_IN_KEY`). */
const BUILT_IN_KEY = 'built_in_profile';
/**
 * A package built with `cargo xtask dist --profile FILE` carries that profile as its built-in one
 * (`profiles::BUILT_IN_FILE`); others have no such file. Read once per start, handed to the Rust
 * side before anything is bound, and kept in storage for the content script and the popup.
 */
async function bakedProfile() {
  try {
    const response = await fetch(api.runtime.getURL('built-in-profile.json'));
    return response.ok ? await response.text() : '';
  } catch {
    return '';
  }
}

/** The valid baked-in profile of this package ('' without one), once `started`. */
let builtIn = '';

const started = Promise.all([
  init({ module_or_path: api.runtime.getURL('background/background_bg.wasm') }),
  bakedProfile(),
]).then(([, baked]) => {
  const refused = set_built_in(baked);
  if (refused !== undefined) console.error('[job-actions] the package\'s built-in profile is refused:', refused);
  builtIn = refused === undefined ? baked : '';
}).catch((error) => {
  console.error('[job-actions] the background could not start', error);
  throw error;
});

/** The deletion checks a stopped worker left, resumed (or kept for their receipts). */
const resumed = started.then(resumeDeletionChecks).catch((error) => console.error('[job-actions] could not resume the deletion checks', error));

/**
 * Keeps what the content script and the pages read beside the user's profiles: the package's
 * baked-in profile and the organisation's. Both change only with an install or update, a browser
 * start, or a policy change (each has its event), not with every wake of the worker, whose ports
 * wait on `started` alone.
 */
async function publishProfiles() {
  await started;
  if (builtIn) await api.storage.local.set({ [BUILT_IN_KEY]: builtIn });
  else await api.storage.local.remove(BUILT_IN_KEY);
  await syncManaged();
}
/**
 * A port's queue: each step runs once the wasm runs and the step before it has finished, so the
 * port's sender is bound (an awaited storage read) before any of its messages, which stay in order.
 */
function portSteps() {
  let last = Promise.resolve();
  return (step) => {
    last = last.then(() => started).then(step).catch((error) => console.error('[job-actions] background', error));
  };
}

api.runtime.onConnect.addListener((port) => {
  if (port.name !== 'job-actions:jobs' || port.sender?.id !== api.runtime.id) return;
  const id = nextPortId++;
  ports.set(id, port);
  const step = portSteps();
  let refused = false;
  step(async () => {
    let allowed = false;
    try {
      allowed = connected(id, await readBook(), port.sender.url ?? '', EXTENSION_BASE);
    } finally {
      // Refused (the console says why), or its sender could not be placed: it gets nothing.
      if (!allowed) {
        refused = true;
        ports.delete(id);
        try { port.disconnect(); } catch { /* the tab left already */ }
      }
    }
  });
  port.onMessage.addListener((text) => {
    if (typeof text === 'string') step(() => refused || received(id, text));
  });
  port.onDisconnect.addListener(() => {
    ports.delete(id);
    takeOverChecks(holderOf(port.sender));
    step(() => disconnected(id));
  });
});

api.runtime.onMessage.addListener((message, sender, sendResponse) => {
  // Only our own content scripts, in a tab (and our own pages, for what they may send).
  const handler = Object.hasOwn(handlers, message?.kind) ? handlers[message.kind] : undefined;
  const fromExtensionPage = !sender.tab && FROM_EXTENSION_PAGES.has(message.kind) && (sender.url ?? '').startsWith(EXTENSION_BASE);
  if (!handler || sender.id !== api.runtime.id || !(sender.tab || fromExtensionPage)) return false;
  handler(message, sender).then(
    (answer) => sendResponse({ ok: true, ...answer }),
    (error) => sendResponse({ ok: false, error: String(error?.message ?? error) }),
  );
  return true; // the answer comes asynchronously
});

const CONTENT_SCRIPT = 'content/loader.js';
/** The origins the manifest's own content script already covers. */
const MANIFEST_PATTERNS = (api.runtime.getManifest().content_scripts ?? []).flatMap((script) => script.matches ?? []);

/** Makes the registered content scripts match the profiles and grants; runs one at a time. */
let registrations = Promise.resolve();
function syncRegistrations() {
  registrations = registrations.then(async () => {
    await started;
    const book = await readBook();
    const registered = (await api.scripting.getRegisteredContentScripts()).map((script) => script.id);
    const granted = (await api.permissions.getAll()).origins ?? [];
    const plan = JSON.parse(registration_plan(book, registered, granted, MANIFEST_PATTERNS));
    if (plan.unregister.length > 0) await api.scripting.unregisterContentScripts({ ids: plan.unregister });
    if (plan.register.length > 0) {
      await api.scripting.registerContentScripts(plan.register.map(({ id, pattern }) => ({
        id,
        matches: [pattern],
        js: [CONTENT_SCRIPT],
        runAt: 'document_idle',
        persistAcrossSessions: true,
      })));
    }
  }).catch((error) => console.error('[job-actions] could not update the content-script registrations', error));
  return registrations;
}

api.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' && (Object.hasOwn(changes, PROFILES_KEY) || Object.hasOwn(changes, MANAGED_KEY))) syncRegistrations();
  // A policy changed while the browser runs.
  if (area === 'managed') started.then(syncManaged).catch((error) => console.error('[job-actions] managed profiles', error));
});
api.permissions.onAdded.addListener(() => syncRegistrations());
api.permissions.onRemoved.addListener(() => syncRegistrations());
const published = () => publishProfiles()
  .catch((error) => console.error('[job-actions] could not publish the profiles', error))
  .then(syncRegistrations);
api.runtime.onInstalled.addListener(published);
api.runtime.onStartup.addListener(published);
