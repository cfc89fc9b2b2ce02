// The emulator's second host (issue #8): a small client-side-routed single-page app that looks
// nothing like the server-rendered /jobs pages — cards instead of table rows, the job id only in
// each card link's href, a different header, and cards it re-renders on its own timer. It knows
// nothing of the extension; a site profile is what makes the overlay work here.
(() => {
  'use strict';
  const root = document.getElementById('app');
  const LIST = '/spa/runs';
  const DETAIL = /^\/spa\/runs\/([^/]+)\/overview\/?$/;
  const RERENDER_MS = 2000;
  let timer = null;
  let generation = 0;

  const el = (tag, props = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(props)) {
      if (name === 'text') node.textContent = value;
      else node.setAttribute(name, value);
    }
    node.append(...children);
    return node;
  };
  const label = (phase) => phase.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
  const detailHref = (id) => `/spa/runs/${encodeURIComponent(id)}/overview`;

  async function api(path) {
    const response = await fetch(path, { headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.json();
  }

  // The list as any of the API's shapes (`--list-shape`): [...], or {jobs|items|data|results: [...]}.
  const jobsOf = (body) => {
    if (Array.isArray(body)) return body;
    const list = ['jobs', 'items', 'data', 'results'].map((key) => body?.[key]).find(Array.isArray);
    if (!list) throw new Error('unexpected list shape');
    return list;
  };

  async function renderList(mine) {
    const jobs = jobsOf(await api('/api/jobs?limit=100'));
    if (mine !== generation) return;
    // Every render builds new elements, as a framework re-rendering from state does.
    const cards = jobs.map((job) =>
      el('article', { class: 'card' },
        el('a', { class: 'card-link', href: detailHref(job.id) }, el('h3', { text: job.title || job.id })),
        el('p', { class: 'status', text: label(job.phase) })));
    root.replaceChildren(
      el('header', { class: 'toolbar' }, el('h1', { text: 'Runs' }), el('span', { class: 'count', text: `${jobs.length} runs` })),
      el('section', { class: 'cards' }, ...cards));
  }

  async function renderDetail(mine, id) {
    let job;
    try {
      job = await api(`/api/jobs/${encodeURIComponent(id)}`);
    } catch {
      if (mine !== generation) return;
      root.replaceChildren(el('p', { class: 'missing', text: 'This run no longer exists.' }), el('a', { href: LIST, text: 'All runs' }));
      return;
    }
    if (mine !== generation) return;
    root.replaceChildren(
      el('header', { class: 'run-head' },
        el('nav', { class: 'crumbs' }, el('a', { href: LIST, text: 'Runs' })),
        el('h2', { class: 'run-name', text: job.title || job.id }),
        el('span', { class: 'pill', text: label(job.phase) })),
      el('dl', { class: 'facts' }, el('dt', { text: 'Started' }), el('dd', { text: job.created_at ?? '—' })));
  }

  function route() {
    const mine = ++generation;
    clearInterval(timer);
    const path = location.pathname;
    const detail = DETAIL.exec(path);
    const render = detail ? () => renderDetail(mine, decodeURIComponent(detail[1])) : () => renderList(mine);
    if (!detail && path !== LIST) {
      history.replaceState(null, '', LIST);
    }
    render().catch((error) => root.replaceChildren(el('p', { class: 'error', text: `Could not load: ${error.message}` })));
    timer = setInterval(() => render().catch(() => {}), RERENDER_MS);
  }

  // Client-side navigation: same-app links change the route without a reload.
  document.addEventListener('click', (event) => {
    const link = event.target.closest?.('a[href^="/spa/"]');
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    history.pushState(null, '', link.getAttribute('href'));
    route();
  });
  window.addEventListener('popstate', route);
  route();
})();
