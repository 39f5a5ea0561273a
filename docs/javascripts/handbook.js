// The handbook's own additions to the theme's pages, for keyboard and screen reader users.
// Runs on every page, and again on each page instant navigation swaps in (document$).
//
// - A wide table scrolls sideways in its own box (the theme wraps every table in one):
//   when it does, the box joins the tab order as a named region, so a keyboard can
//   scroll it too (WCAG 2.1.1).
// - The search dialog gets a name a screen reader can say.

(() => {
  const SCROLLING = ".md-typeset__scrollwrap";

  const label = (/** @type {Element} */ box) => {
    const caption = box.querySelector("caption")?.textContent?.trim();
    return caption ? `${caption} (table, scrolls sideways)` : "Table (scrolls sideways)";
  };

  // A table's box is measured again whenever its size changes: on a phone, after a
  // rotation, and when a box the browser skipped while off screen is laid out.
  const resized = new ResizeObserver((entries) => {
    for (const { target } of entries) reachTable(target.closest(SCROLLING));
  });

  const reachTables = () => {
    for (const box of document.querySelectorAll(SCROLLING)) {
      reachTable(box);
      resized.observe(box);
      const table = box.querySelector("table");
      if (table) resized.observe(table);
    }
  };

  const reachTable = (/** @type {Element | null} */ box) => {
    if (!(box instanceof HTMLElement)) return;
    if (box.scrollWidth > box.clientWidth) {
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", label(box));
    } else if (box.hasAttribute("tabindex")) {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  };

  const nameSearch = () => {
    const dialog = document.querySelector('.md-search[role="dialog"]');
    if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "Search the handbook");
  };

  const onPage = () => {
    reachTables();
    nameSearch();
  };

  const theme = /** @type {Window & { document$?: { subscribe(next: () => void): unknown } }} */ (window);
  if (theme.document$) theme.document$.subscribe(onPage);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", onPage);
  else onPage();
})();
