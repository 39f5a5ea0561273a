// Says why the calculators do not start on a page opened from disk (file://).
//
// A browser refuses module scripts and workers on a page opened from a file, so
// calculators.js never runs there and the answers computed at build time would stay on
// screen with no word of why. This classic script (classic scripts still load from
// disk) comes after the page's calculators in its content; it writes the reason into
// each one's status line. Over http(s) it does nothing.
import { CLASS } from "./markup.js";

(() => {
  if (location.protocol !== "file:") return;
  const message =
    "This calculator needs the page to come from a web server: a browser does not run it on a page " +
    "opened from a file. Run 'mkdocs serve' (or 'zensical serve') and open the address it prints, " +
    "or read the published site. The answer shown is for the example values.";
  for (const status of document.querySelectorAll(`.${CSS.escape(CLASS.root)} .${CSS.escape(CLASS.status)}`)) {
    if (!status.textContent) status.textContent = message;
  }
})();
