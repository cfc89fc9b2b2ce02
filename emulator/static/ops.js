// The emulator's third host (issue #19): an ops console routed on the client, built on other
// conventions than /jobs and /spa/ — a table keyed by a generic data-id, the status in a
// span.status, a page header with an <h1> and a .pill drawn only once the API has answered. It
// knows nothing of the extension. Its list is re-fetched every 5 s and patched in place by id, as
// a keyed framework does: a row whose job did not change keeps its <tr> (and whatever else is in
// it), a changed one keeps its <tr> and gets new text. Everything is built with DOM calls; job data
// only ever becomes text.
(() => {
  'use strict';
  const view = document.getElementById('view');
  const LIST = '/ops/jobs';
  const DETAIL = /^\/ops\/jobs\/([^/]+)\/?$/;
  const REFRESH_MS = 5000;
  let timer = null;
  let timeouts = [];
  let generation = 0;
  // The list on screen: its <tbody>, its "no jobs" line and its rows by job id.
  let table = null;

  const el = (tag, props = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(props)) {
      if (name === 'text') node.textContent = value;
      else node.setAttribute(name, value);
    }
    node.append(...children);
    return node;
  };
  const detailHref = (id) => `/ops/jobs/${encodeURIComponent(id)}`;
  const text = (value) => (value === null || value === undefined ? '' : String(value));

  // The list as any of the API's shapes: [...], or {jobs|items|data|results: [...]}.
  const jobsOf = (body) => {
    if (Array.isArray(body)) return body;
    const list = ['jobs', 'items', 'data', 'results'].map((key) => body?.[key]).find(Array.isArray);
    if (!list) throw new Error('unexpected list shape');
    return list;
  };

  async function api(path) {
    const response = await fetch(path, { headers: { accept: 'application/json' } });
    if (!response.ok) {
      const error = new Error(`HTTP ${response.status}`);
      error.status = response.status;
      throw error;
    }
    return response.json();
  }

  // ---- the list: /ops/jobs ----

  function newRow(id) {
    const link = el('a');
    const status = el('span', { class: 'status' });
    const created = el('td', { class: 'created' });
    const tr = el('tr', { 'data-id': id },
      el('td', {}, link),
      el('td', {}, status),
      created,
      el('td', { class: 'row-actions' }));
    return { tr, link, status, created, shown: {} };
  }

  // Writes only what changed since the last render, so an unchanged row is not touched at all.
  function patchRow(row, job) {
    const next = {
      href: detailHref(job.id),
      title: text(job.title) || text(job.id),
      phase: text(job.phase),
      created: text(job.created_at),
    };
    const shown = row.shown;
    if (next.href !== shown.href) row.link.setAttribute('href', next.href);
    if (next.title !== shown.title) row.link.textContent = next.title;
    if (next.phase !== shown.phase) row.status.textContent = next.phase;
    if (next.created !== shown.created) row.created.textContent = next.created;
    row.shown = next;
  }

  function drawTable() {
    const tbody = el('tbody');
    const empty = el('p', { class: 'empty', text: 'No jobs yet.' });
    view.replaceChildren(
      el('h1', { text: 'Jobs' }),
      el('table', { class: 'grid' },
        el('thead', {}, el('tr', {},
          el('th', { text: 'Name' }), el('th', { text: 'Status' }), el('th', { text: 'Created' }), el('th'))),
        tbody),
      empty);
    return { tbody, empty, rows: new Map() };
  }

  async function renderList(mine) {
    const jobs = jobsOf(await api('/api/jobs'));
    if (mine !== generation) return;
    if (!table) table = drawTable();
    const { tbody, rows } = table;
    const wanted = new Map();
    for (const job of jobs) {
      const id = text(job?.id);
      if (id && !wanted.has(id)) wanted.set(id, job);
    }
    for (const [id, row] of rows) {
      if (!wanted.has(id)) {
        row.tr.remove();
        rows.delete(id);
      }
    }
    // Walk the rows in the new order; nodes that are not ours (anything else put in the table)
    // are stepped over, and a row already in place is not moved.
    const ours = new Set(Array.from(rows.values(), (row) => row.tr));
    const skipForeign = (node) => {
      while (node && !ours.has(node)) node = node.nextSibling;
      return node;
    };
    let anchor = skipForeign(tbody.firstChild);
    for (const [id, job] of wanted) {
      let row = rows.get(id);
      if (!row) {
        row = newRow(id);
        rows.set(id, row);
      }
      patchRow(row, job);
      if (row.tr === anchor) {
        anchor = skipForeign(anchor.nextSibling);
      } else {
        tbody.insertBefore(row.tr, anchor);
      }
    }
    table.empty.hidden = wanted.size > 0;
  }

  // ---- a job: /ops/jobs/{id} ----

  function fact(label, value) {
    return [el('dt', { text: label }), el('dd', { text: text(value) || '\u2014' })];
  }

  async function renderDetail(mine, id) {
    let job;
    try {
      job = await api(`/api/jobs/${encodeURIComponent(id)}`);
    } catch (error) {
      if (mine !== generation) return;
      const message = error.status === 404 ? 'Job not found' : `Could not load this job: ${error.message}`;
      view.replaceChildren(
        el('p', { class: error.status === 404 ? 'not-found' : 'error', text: message }),
        el('p', { class: 'back' }, el('a', { href: LIST, text: '\u2190 All jobs' })));
      return;
    }
    if (mine !== generation) return;
    const params = new URLSearchParams(location.search);
    const title = text(job.title) || text(job.id);
    document.title = `${title} \u00b7 Ops console`;
    const heading = params.get('title') === 'div'
      ? el('div', { class: 'heading', text: title })
      : el('h1', { text: title });
    const header = el('header', { class: 'page-header' }, heading, el('span', { class: 'pill', text: text(job.phase) }));
    const facts = el('section', { class: 'facts' },
      el('dl', {}, ...fact('ID', job.id), ...fact('Created', job.created_at), ...fact('Updated', job.updated_at)));
    const back = el('p', { class: 'back' }, el('a', { href: LIST, text: '\u2190 All jobs' }));
    const delay = Number(params.get('title_after_ms'));
    if (delay > 0) {
      // The rest of the page first, the heading later: as an app whose header waits on more data.
      view.replaceChildren(facts, back);
      timeouts.push(setTimeout(() => {
        if (mine === generation) view.prepend(header);
      }, delay));
    } else {
      view.replaceChildren(header, facts, back);
    }
  }

  // ---- routing ----

  function route() {
    const mine = ++generation;
    clearInterval(timer);
    timeouts.forEach(clearTimeout);
    timeouts = [];
    table = null;
    const path = location.pathname;
    const detail = DETAIL.exec(path);
    view.replaceChildren(el('p', { class: 'loading', text: 'Loading\u2026' }));
    if (detail) {
      let id;
      try {
        id = decodeURIComponent(detail[1]);
      } catch {
        id = detail[1];
      }
      document.title = 'Ops console';
      renderDetail(mine, id).catch((error) => showError(mine, error));
      return;
    }
    if (path !== LIST && path !== `${LIST}/`) history.replaceState(null, '', LIST);
    document.title = 'Jobs \u00b7 Ops console';
    renderList(mine).catch((error) => showError(mine, error));
    timer = setInterval(() => renderList(mine).catch(() => {}), REFRESH_MS);
  }

  function showError(mine, error) {
    if (mine !== generation || table) return;
    view.replaceChildren(el('p', { class: 'error', text: `Could not load: ${error.message}` }));
  }

  // Client-side navigation: in-app links change the route without a reload.
  document.addEventListener('click', (event) => {
    const link = event.target.closest?.('a[href^="/ops/"]');
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    if (link.target && link.target !== '_self') return;
    event.preventDefault();
    history.pushState(null, '', link.getAttribute('href'));
    route();
  });
  window.addEventListener('popstate', route);
  route();
})();
