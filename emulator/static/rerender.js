// The app's own "re-render": like a React list that remounts its rows from its data, it replaces
// the table body with fresh rows every `data-interval` ms. It knows nothing of the extension; it
// exists so tests can prove the overlay survives host re-renders. Each render is counted on
// <body data-renders>; none happens while <body data-rerender-held> is set.
(() => {
  const script = document.currentScript;
  const interval = Number(script?.dataset.interval) || 500;
  const tbody = document.querySelector('table.jobs tbody');
  if (!tbody) return;
  // The rows as the server rendered them, before anything decorated them.
  const pristine = Array.from(tbody.children, (row) => row.cloneNode(true));
  let renders = 0;
  const render = () => {
    tbody.replaceChildren(...pristine.map((row) => row.cloneNode(true)));
    renders += 1;
    document.body.dataset.renders = String(renders);
  };
  setInterval(() => {
    // A test holds the renders while it clicks (`<body data-rerender-held>`): an element
    // replaced every few milliseconds gives a driver no stable moment to click it.
    if (document.body.dataset.rerenderHeld !== undefined) return;
    render();
  }, interval);
  // One render now, held or not: a test places it exactly (between a press and its release).
  document.addEventListener('emulator:render', render);
})();
