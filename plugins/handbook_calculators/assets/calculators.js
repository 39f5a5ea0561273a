// Live calculators for the sales handbook.
//
// The page already shows each calculator's answer for its example values (rendered
// at build time). This module makes the form live: a worker (one for all the site's
// tabs, see connect()) runs the same Python package in Pyodide and recomputes on every
// input. If the runtime cannot start, the static answer stays and the reader is told so.
//
// Material's instant navigation swaps pages without reloading, and a module is only
// evaluated once per URL, so everything that must outlive a page (the runtime) lives
// on `window`, and calculators on swapped pages are picked up through `document$`.

// The stall window: a start that sends no sign of progress (bytes arriving, see worker.js)
// for this long has stalled, and the reader is told so. A slow link that keeps delivering
// is waited for, however long the whole download takes.
const DEFAULT_TIMEOUT_MS = 10000;
// A start still going after this long shows how much has arrived (most first visits on a
// fast link answer sooner, and a bar flashing up for a moment would only distract).
const PROGRESS_DELAY_MS = 1000;
// User Timing mark at the runtime's start (the benchmark times long tasks from it).
const START_MARK = "handbook-calculators:start";
// Once booted, an answer takes milliseconds; this long without one means the worker died.
const WATCHDOG_MS = 5000;
// Only an answer this late greys out (aria-busy). A live answer takes a few ms; marking
// every keystroke busy started a 200 ms fade, and the frames it keeps producing hold up
// the reply (Chromium runs no page task between a key press and its next frame).
const BUSY_DELAY_MS = 150;
// The address bar follows the form once typing pauses: history.replaceState() on every
// keystroke makes Chromium treat each one as a navigation (it even refetches the favicon).
const LINK_DELAY_MS = 400;
const FAILED_TO_START =
  "The live calculator could not start, so the answer shown is the one for the " +
  "page's example values. Check your connection and try again.";
const STOPPED =
  "The live calculator stopped, so the answer shown may not match what you typed. " +
  "Try again, or reload the page.";

// Shared by every copy of this module in the window (a redeploy changes its URL).
const shared = (window.__handbookCalculators ??= { runtime: null, seen: new WeakSet() });

// ---------------------------------------------------------------------------
// Runtime: one worker, its boot timeout, and the requests in flight.

function runtimeFor(root) {
  const url = new URL(root.dataset.worker, document.baseURI).href;
  let rt = shared.runtime;
  if (rt && rt.url !== url) {
    rt.worker?.terminate(); // a newer deploy: its worker may speak a newer protocol
    rt = null;
  }
  if (!rt) {
    rt = shared.runtime = {
      url,
      // Relative data-* paths are relative to *this* page; the worker needs absolute ones.
      indexURL: new URL(root.dataset.pyodide, document.baseURI).href,
      packageURL: new URL(root.dataset.package, document.baseURI).href,
      snapshotURL: root.dataset.snapshot ? new URL(root.dataset.snapshot, document.baseURI).href : null,
      // The decoder of the big files' .zst siblings (worker.js, download()), if the site has them.
      zstdURL: root.dataset.zstd ? new URL(root.dataset.zstd, document.baseURI).href : null,
      bytes: Number(root.dataset.downloadBytes) || null, // what the start downloads, for the progress bar
      timeoutMs: Number(root.dataset.timeoutMs) || DEFAULT_TIMEOUT_MS,
      calcs: new Set(),
      pending: new Map(), // request id -> calc
      asks: new Map(), // request id -> resolve, for one-off requests (see ask())
      guessing: new Map(), // request id -> calc, for answers asked ahead (see guessNext())
      nextId: 0,
    };
    start(rt);
  }
  return rt;
}

function start(rt) {
  rt.state = "booting";
  rt.pending.clear();
  rt.worker = null;
  rt.progress = null; // {loaded, total} from the worker, once it reports
  rt.outbox = []; // messages for a worker not created yet (see post())
  afterPageStartup(() => {
    // Once per start: a retry since then has made its own worker (or this one failed).
    if (rt.state === "booting" && !rt.worker) createWorker(rt);
  });
}

// The worker is created once the page's own start-up is over: after DOMContentLoaded and
// the theme's handlers for it, in a task of its own. Starting it sooner (from a script
// right after the theme's bundle) brought the first answer no sooner: a worker's start
// needs the main thread, which the theme holds until then, and the two competed for the
// machine's two cores; and the theme's start-up task, 50-70 ms on a slow load, fell
// inside Python's boot (docs/performance.md). Arriving by instant navigation, or on a
// retry, that is long past: at once.
function afterPageStartup(then) {
  const [navigation] = performance.getEntriesByType("navigation");
  if (!navigation || navigation.domContentLoadedEventEnd > 0) {
    then();
    return;
  }
  document.addEventListener(
    "DOMContentLoaded",
    () => {
      // A posted message runs as a task of its own, after the theme's handlers
      // (registered before this one), and without a timer's delay.
      const channel = new MessageChannel();
      channel.port1.onmessage = () => then();
      channel.port2.postMessage(null);
    },
    { once: true },
  );
}

function createWorker(rt) {
  // loadPyodide() never settles when the wasm is blocked, so a timer is the only reliable
  // signal that the runtime is not coming: it runs until the worker's next sign of life.
  stallWatch(rt);
  // Counted from navigation: on a slow link the page's own start-up may take longer than
  // that, and a reader who has waited that long should see the bar at once.
  const sinceNavigation = rt.progressFrom ?? performance.now();
  rt.progressTimer = setTimeout(() => showProgress(rt), Math.max(0, PROGRESS_DELAY_MS - sinceNavigation));
  rt.progressFrom = 0; // a retry starts its own second
  performance.mark(START_MARK);
  let worker;
  try {
    worker = connect(rt);
  } catch (err) {
    fail(rt, err);
    return;
  }
  const { indexURL, packageURL, snapshotURL, zstdURL, bytes } = rt;
  worker.postMessage({ type: "init", indexURL, packageURL, snapshotURL, zstdURL, bytes });
  rt.worker = worker;
  for (const message of rt.outbox.splice(0)) worker.postMessage(message);
}

// The runtime is a SharedWorker: every tab of one deploy talks to one Python, and with
// extendedLifetime it outlives its last page for a while (minutes in Chromium), so a page
// loaded again, or opened in another tab, finds Python running and answers at once
// (docs/performance.md). Where SharedWorker is missing or refuses, a dedicated Worker of
// this window runs the same script. Returns what the rest of this module talks to:
// postMessage() and terminate().
function connect(rt) {
  let shared = null;
  if (typeof SharedWorker === "function") {
    try {
      shared = new SharedWorker(rt.url, { type: "module", name: runtimeName(rt), extendedLifetime: true });
    } catch (err) {
      console.warn("[calculators] no shared runtime, starting one for this page:", err);
    }
  }
  const worker = shared ?? new Worker(rt.url, { type: "module" });
  const port = shared ? shared.port : worker; // what messages come through
  worker.onerror = (event) => {
    event.preventDefault(); // otherwise a worker error is re-reported as an uncaught page error
    fail(rt, event.message || "worker script failed to load");
  };
  port.onmessage = ({ data }) => onMessage(rt, data);
  port.onmessageerror = () => fail(rt, "unreadable message from worker");
  if (!shared) return worker;
  return {
    postMessage: (message) => port.postMessage(message),
    // Other tabs may be using it: a runtime that is up is only left; one still starting
    // is stopped (it would keep every other page waiting too).
    terminate: () => {
      if (rt.state !== "ready") port.postMessage({ type: "close" });
      port.close();
    },
  };
}

// Pages find their runtime by name: one per deploy (the package, snapshot and runtime
// URLs carry content hashes) and generation. A page that saw the runtime fail starts a
// new generation (fail()), so neither its retry nor any other page connects to the
// failed one again; the generation lives in localStorage, shared by the site's tabs.
const GENERATION_KEY = "handbook-calculators:runtime";

function runtimeName(rt) {
  let generation = "0";
  try {
    generation = localStorage.getItem(GENERATION_KEY) || generation;
  } catch {} // storage is blocked: every page uses generation 0
  return ["handbook-calculators", generation, rt.indexURL, rt.packageURL, rt.snapshotURL].join(" ");
}

function newGeneration() {
  try {
    localStorage.setItem(GENERATION_KEY, `${Date.now()}-${Math.random().toString(36).slice(2)}`);
  } catch {} // blocked: the retry may meet the failed runtime again, and fail again
}

// To the worker, or into the queue it gets once it exists: runs sent while the page
// starts up are answered first thing.
function post(rt, message) {
  if (rt.worker) rt.worker.postMessage(message);
  else rt.outbox.push(message);
}

// While the runtime starts, each message from it (progress, above all) restarts the stall
// window; one that long without any means the start has stalled.
function stallWatch(rt) {
  clearTimeout(rt.timer);
  rt.timer = setTimeout(() => fail(rt, `no progress for ${rt.timeoutMs / 1000} s`), rt.timeoutMs);
}

function fail(rt, why) {
  if (rt.state === "failed") return;
  console.warn("[calculators] live runtime unavailable:", why);
  clearTimeout(rt.timer);
  hideProgress(rt);
  clearTimeout(rt.watchdog);
  rt.worker?.terminate();
  rt.worker = null;
  newGeneration();
  rt.state = "failed";
  shared.releaseSearch?.(); // nothing to wait for (search_hold.js)
  rt.pending.clear();
  for (const resolve of rt.asks.values()) resolve({}); // one-off requests get no answer
  rt.asks.clear();
  rt.guessing.clear();
  for (const calc of rt.calcs) if (calc.root.isConnected) showFailure(calc, rt);
}

function retry(rt) {
  if (rt.state !== "failed") return;
  const calcs = [...rt.calcs].filter((calc) => calc.root.isConnected);
  for (const calc of calcs) {
    calc.status.replaceChildren();
    calc.sent = null; // resend even though the inputs did not change
  }
  start(rt);
  for (const calc of calcs) compute(calc);
}

function onMessage(rt, msg) {
  if (rt.state === "booting") stallWatch(rt); // a sign of life
  if (msg.type === "progress") {
    rt.progress = { loaded: msg.loaded, total: msg.total };
    updateProgress(rt);
  } else if (msg.type === "ready") {
    clearTimeout(rt.timer);
    hideProgress(rt);
    rt.state = "ready";
    rt.fromSnapshot = msg.snapshot; // for the tests: which start-up path ran
    rt.reused = msg.reused; // ... and whether Python was up before this page asked
  } else if (msg.type === "failed") {
    fail(rt, msg.error);
  } else if (msg.type === "here?") {
    rt.worker?.postMessage({ type: "here" }); // still in use: another deploy's runtime started (worker.js)
  } else if (msg.type === "guesses") {
    const calc = rt.guessing.get(msg.id);
    rt.guessing.delete(msg.id);
    if (calc?.asked?.id === msg.id) {
      calc.guesses = new Map(calc.asked.keys.map((key, i) => [key, msg.responses[i]]).filter(([, r]) => r));
    }
  } else if (msg.type === "result" && rt.asks.has(msg.id)) {
    rt.asks.get(msg.id)(msg);
    rt.asks.delete(msg.id);
  } else if (msg.type === "result") {
    const calc = rt.pending.get(msg.id);
    rt.pending.delete(msg.id);
    // Ignore answers to superseded requests: the latest inputs win.
    if (calc && msg.id === calc.latest) show(calc, msg);
    shared.releaseSearch?.(); // the first answer is out: the theme may build its search index (search_hold.js)
  }
  watch(rt);
}

// ---------------------------------------------------------------------------
// One calculator on the page.

function attach(root) {
  const calc = {
    root,
    form: root.querySelector(".calc__form"),
    output: root.querySelector(".calc__output"),
    status: root.querySelector(".calc__status"),
    latest: 0, // id of the newest request sent
    sent: null, // its request JSON, to skip the change event that repeats an input event
    live: false, // has shown at least one live answer
  };
  if (!calc.form || !calc.output || !calc.status) return;
  calc.rt = runtimeFor(root);
  calc.rt.calcs.add(calc);
  calc.linkNotes = applyLink(calc);
  if (calc.linkNotes.length) calc.status.textContent = calc.linkNotes.join(" ");
  setUpActions(calc);
  const edited = () => {
    calc.linkNotes = []; // the reader has taken over from the link
    compute(calc);
  };
  calc.form.addEventListener("input", edited);
  calc.form.addEventListener("change", edited);
  calc.form.addEventListener("submit", (event) => event.preventDefault()); // Enter must not reload
  // Into a field, or the caret moved within it: have the answers for its next key ready.
  for (const event of ["focusin", "click", "keyup"]) calc.form.addEventListener(event, () => guessNext(calc));
  if (calc.rt.state === "failed") {
    showFailure(calc, calc.rt);
  } else {
    if (calc.rt.progressShown) addProgress(calc);
    // Compute at once: the browser may have restored earlier inputs (back button).
    // Not "busy": the answer on screen is right for the example values.
    compute(calc, false);
  }
}

function compute(calc, busy = true) {
  const { rt, root } = calc;
  if (rt.state === "failed") return; // keep what the reader typed; Try again resends it
  const inputs = readInputs(calc.form);
  const key = JSON.stringify(inputs);
  if (key === calc.sent) return;
  calc.sent = key;
  syncLinkSoon(calc);
  const guess = calc.guesses?.get(key);
  if (guess) show(calc, { response: guess }, true); // asked for before the key was pressed
  const page = pageInfo(root, false, linkURL(calc).href);
  const request = JSON.stringify({ calculator: root.dataset.calculator, inputs, page });
  calc.lastRequest = { calculator: root.dataset.calculator, inputs };
  calc.latest = ++rt.nextId;
  rt.pending.set(calc.latest, calc);
  if (root.dataset.state !== "ready") root.dataset.state = "loading";
  if (busy && !guess && !calc.busyTimer) {
    calc.busyTimer = setTimeout(() => calc.output.setAttribute("aria-busy", "true"), BUSY_DELAY_MS);
  }
  // For the key after this one: asked now, answered before it comes. Ahead of this key's
  // request when its answer is on screen already (the request then only brings the summary).
  if (guess) guessNext(calc);
  post(rt, { type: "run", id: calc.latest, request });
  watch(rt);
  if (!guess) guessNext(calc);
}

// A running worker answers in milliseconds. If it goes silent (it crashed, or the tab
// ran out of memory) nothing else would tell us, so time each request once booted.
function watch(rt) {
  clearTimeout(rt.watchdog);
  if (rt.state === "ready" && rt.pending.size) {
    rt.watchdog = setTimeout(() => fail(rt, "no answer from the runtime"), WATCHDOG_MS);
  }
}

// The form's inputs; `instead` ({name, value}) reads one text field as if it held value.
function readInputs(form, instead = null) {
  const inputs = {};
  for (const el of form.elements) {
    if (!el.name || el.disabled) continue;
    const value = el.name === instead?.name ? instead.value : el.value;
    if (el.type === "checkbox") inputs[el.name] = el.checked;
    else if (el.type === "radio") { if (el.checked) inputs[el.name] = el.value; }
    else if (value !== "") inputs[el.name] = value; // empty means "not given"
  }
  return inputs;
}

function notBusy(calc) {
  clearTimeout(calc.busyTimer);
  calc.busyTimer = null;
  calc.output.removeAttribute("aria-busy");
}

// `guessed`: an answer asked for ahead of the key press (see guessNext()). It shows at
// once; the actions (summary, calendar) wait for the request's own answer, a frame later.
function show(calc, msg, guessed = false) {
  const { root, output, status } = calc;
  notBusy(calc);
  if (msg.error) {
    status.textContent = "The calculator hit an internal error, so the answer shown may be out of date.";
    console.error("[calculators]", msg.error);
    return;
  }
  const { output: run, display, summary, has_dates: hasDates } = JSON.parse(msg.response);
  root.dataset.result = JSON.stringify(run);
  root.dataset.state = "ready";
  calc.live = true;
  const fieldErrors = run.ok ? {} : run.errors || {};
  const other = showFieldErrors(calc, fieldErrors);
  status.textContent = [...calc.linkNotes, ...other].join(" ");
  if (run.ok && !guessed) {
    calc.summary = summary;
    calc.answered = calc.lastRequest; // the inputs of the answer on screen
  }
  if (run.ok) {
    if (calc.actions && !guessed) {
      calc.actions.hidden = false;
      calc.actions.querySelector('[data-action="calendar"]')?.toggleAttribute("hidden", !hasDates);
    }
    showAnswer(calc, display || []);
    showReasons(calc, run.reasons || []);
    const hint = calc.output.querySelector(".calc__hint"); // "Fill in the fields…", built when the example had no answer
    if (hint) hint.hidden = true;
  }
  // On failure the last good answer stays on screen, next to the field messages.
  if (!guessed) guessNext(calc);
}

// After a key press Chromium runs no page task (the worker's reply included) until it
// has drawn the next frame, so an answer asked for then lands 10-25 ms after the key.
// Digits typed at the end of a number and Backspace are most of what a rep types, so
// while a text field has the caret at its end, ask the worker now for the answers those
// eleven keys would give; compute() shows the one that matches at once, in the key's
// own event. Anything else (a caret mid-field, a pasted value) waits as before, and
// every guess is still followed by the request's own answer.
function guessNext(calc) {
  const { rt, root } = calc;
  const field = document.activeElement;
  if (rt.state !== "ready" || field?.form !== calc.form || field.type !== "text" || !field.name) return;
  const { value } = field;
  if (field.selectionStart !== value.length || field.selectionEnd !== value.length) return;
  if (JSON.stringify(readInputs(calc.form)) !== calc.sent) return; // guesses start from the inputs sent last
  const base = `${calc.sent}\n${field.name}`;
  if (calc.asked?.base === base) return; // already asked (focus, click and keys all land here)
  const page = pageInfo(root, false, linkURL(calc).href);
  const keys = [];
  const requests = [];
  for (const next of new Set([value.slice(0, -1), ...[..."0123456789"].map((digit) => value + digit)])) {
    const inputs = readInputs(calc.form, { name: field.name, value: next });
    keys.push(JSON.stringify(inputs));
    requests.push(JSON.stringify({ calculator: root.dataset.calculator, inputs, page }));
  }
  const id = ++rt.nextId;
  calc.asked = { id, keys, base };
  rt.guessing.set(id, calc);
  rt.worker.postMessage({ type: "guess", id, requests });
}

// Marks each field with its message (or clears it); returns messages for keys that
// are not fields, such as "calculator".
function showFieldErrors(calc, errors) {
  const fields = new Set();
  for (const field of calc.form.querySelectorAll(".calc__field[data-field]")) {
    const name = field.dataset.field;
    fields.add(name);
    const message = errors[name];
    const error = field.querySelector(".calc__error");
    for (const input of field.querySelectorAll("[name]")) {
      if (message) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    }
    if (error) {
      error.textContent = message || "";
      error.hidden = !message;
    }
  }
  return Object.keys(errors).filter((key) => !fields.has(key)).map((key) => String(errors[key]));
}

// Updates rows in place where the key is unchanged, so the polite live region
// announces only the values that changed, not the whole answer.
function showAnswer(calc, display) {
  const dl = part(calc, "dl", "calc__answer");
  const rows = [...dl.children];
  display.forEach(({ key, label, text }, i) => {
    let row = rows[i];
    if (!row || row.dataset.output !== key) {
      row = el("div", "calc__row", el("dt", null, ""), el("dd", null, ""));
      row.dataset.output = key;
      if (rows[i]) rows[i].replaceWith(row);
      else dl.append(row);
    }
    setText(row.querySelector("dt"), label);
    setText(row.querySelector("dd"), text);
  });
  for (const extra of rows.slice(display.length)) extra.remove();
}

function showReasons(calc, reasons) {
  const key = JSON.stringify(reasons);
  if (calc.reasonsKey === key) return;
  calc.reasonsKey = key;
  const ul = part(calc, "ul", "calc__reasons");
  ul.replaceChildren(
    ...reasons.map(({ rule, text, source }) => {
      const ref = source ? el("a", null, rule) : el("span", "calc__rule", rule);
      if (source) ref.href = pageURL(calc.root, source);
      return el("li", null, ref, " ", el("span", null, text));
    }),
  );
}

// "dir/page.md#anchor" -> the URL MkDocs gives that page, relative to this page.
function pageURL(root, source) {
  const hash = source.indexOf("#");
  const path = (hash < 0 ? source : source.slice(0, hash)).replace(/\.md$/, "");
  const anchor = hash < 0 ? "" : source.slice(hash);
  let page;
  if (root.dataset.directoryUrls === "false") page = `${path}.html`;
  else if (path === "index") page = "";
  else if (path.endsWith("/index")) page = path.slice(0, -"index".length);
  else page = `${path}/`;
  return (root.dataset.root || "") + page + anchor;
}

function showFailure(calc, rt) {
  const { root, status } = calc;
  root.dataset.state = "error";
  notBusy(calc);
  const button = el("button", "calc__retry", "Try again");
  button.type = "button";
  button.addEventListener("click", () => {
    // The button is about to disappear; keep keyboard focus inside the calculator.
    if (document.activeElement === button) calc.form.elements[0]?.focus();
    retry(rt);
  });
  status.replaceChildren(calc.live ? STOPPED : FAILED_TO_START, " ", button);
}

// ---------------------------------------------------------------------------
// Progress while the runtime downloads: a bar under each waiting calculator, with an
// accessible name and value (not a live region: it would talk over the page every
// quarter second). The answer built into the page stays readable beside it.

function showProgress(rt) {
  if (rt.state !== "booting") return;
  rt.progressShown = true;
  for (const calc of rt.calcs) if (calc.root.isConnected) addProgress(calc);
}

function addProgress(calc) {
  if (calc.progress || calc.live) return;
  const bar = el("progress", null);
  bar.max = 1;
  bar.setAttribute("aria-label", "Loading the live calculator");
  calc.progress = el("div", "calc__progress", bar, el("span", "calc__progress-text"));
  calc.progress.querySelector("span").setAttribute("aria-hidden", "true"); // the bar says it
  calc.status.before(calc.progress);
  setProgress(calc, calc.rt.progress);
}

function updateProgress(rt) {
  for (const calc of rt.calcs) if (calc.progress) setProgress(calc, rt.progress);
}

const megabytes = (bytes) => (bytes / 1e6).toFixed(1);

function setProgress(calc, progress) {
  const bar = calc.progress.querySelector("progress");
  const text = calc.progress.querySelector("span");
  const { loaded = 0, total = null } = progress ?? {};
  if (!progress) {
    bar.removeAttribute("value"); // nothing heard from the runtime yet
    bar.removeAttribute("aria-valuetext");
    setText(text, "Loading the live calculator");
  } else if (total) {
    bar.max = total;
    bar.value = Math.min(loaded, total);
    bar.setAttribute("aria-valuetext", `${megabytes(loaded)} of ${megabytes(total)} MB`);
    setText(text, `Loading the live calculator: ${megabytes(loaded)} of ${megabytes(total)} MB`);
  } else {
    bar.removeAttribute("value"); // indeterminate: the size is not known (e.g. Pyodide from a CDN)
    bar.setAttribute("aria-valuetext", `${megabytes(loaded)} MB so far`);
    setText(text, `Loading the live calculator: ${megabytes(loaded)} MB so far`);
  }
}

function hideProgress(rt) {
  clearTimeout(rt.progressTimer);
  rt.progressShown = false;
  for (const calc of rt.calcs) {
    calc.progress?.remove();
    calc.progress = null;
  }
}

// ---------------------------------------------------------------------------
// Shareable answers: inputs live in the URL as ?<calculator id>.<field>=value.

const TRUE_WORDS = ["true", "on", "yes", "1"];
const FALSE_WORDS = ["false", "off", "no", "0", ""];

// Puts the link's values into the form; returns plain notes on what it could not use.
function applyLink(calc) {
  const prefix = `${calc.root.id}.`;
  const notes = [];
  for (const [key, value] of new URLSearchParams(location.search)) {
    if (!key.startsWith(prefix)) continue;
    const name = key.slice(prefix.length);
    const field = calc.form.querySelector(`.calc__field[data-field="${CSS.escape(name)}"]`);
    const control = field?.querySelector("[name]");
    const label = field?.querySelector("label")?.textContent.trim() || name;
    if (!control) {
      notes.push(`The link sets "${name}", which this calculator does not have, so it was ignored.`);
    } else if (control.type === "checkbox") {
      const word = value.trim().toLowerCase();
      if (TRUE_WORDS.includes(word) || FALSE_WORDS.includes(word)) control.checked = TRUE_WORDS.includes(word);
      else notes.push(`The link's value for "${label}" is not yes or no, so it was ignored.`);
    } else {
      const before = control.value;
      control.value = value;
      if (control.value !== value) {
        // A select without that option, or a date input given text, drops the value.
        control.value = before;
        notes.push(`The link's value for "${label}" cannot go in that field, so it was ignored.`);
      }
    }
  }
  return notes;
}

// Sets this calculator's part of the URL from the form: only values that differ from
// the page's example, so links stay short.
function setLinkParams(url, calc) {
  const prefix = `${calc.root.id}.`;
  for (const key of [...url.searchParams.keys()]) if (key.startsWith(prefix)) url.searchParams.delete(key);
  for (const control of calc.form.elements) {
    if (!control.name) continue;
    let value = null;
    if (control.type === "checkbox") {
      if (control.checked !== control.defaultChecked) value = String(control.checked);
    } else if (control.tagName === "SELECT") {
      const example = [...control.options].find((option) => option.defaultSelected) ?? control.options[0];
      if (control.value !== example?.value) value = control.value;
    } else if (control.value !== control.defaultValue) {
      value = control.value;
    }
    if (value !== null) url.searchParams.set(prefix + control.name, value);
  }
}

// Calculators edited since the address bar last caught up (see LINK_DELAY_MS).
const linkPending = { calcs: new Set(), timer: null, path: null };

// The page's link as it will be once the address bar catches up, with calc's inputs.
function linkURL(calc) {
  const url = new URL(location.href);
  for (const other of linkPending.calcs) if (other.root.isConnected) setLinkParams(url, other);
  if (calc) setLinkParams(url, calc);
  return url;
}

function syncLinkSoon(calc) {
  if (!linkPending.calcs.size) linkPending.path = location.pathname;
  linkPending.calcs.add(calc);
  clearTimeout(linkPending.timer);
  linkPending.timer = setTimeout(() => syncLink(), LINK_DELAY_MS);
}

// Brings the address bar in step with the form now (pending edits and calc, if given).
function syncLink(calc) {
  clearTimeout(linkPending.timer);
  // Instant navigation moved on meanwhile: those edits belong to a page no longer shown.
  if (linkPending.path !== location.pathname) linkPending.calcs.clear();
  const url = linkURL(calc);
  linkPending.calcs.clear();
  if (url.href !== location.href) history.replaceState(history.state, "", url.href);
}

// What Python needs to write the summary's links and the calendar file.
function pageInfo(root, withCalendar = false, href = location.href) {
  const link = new URL(href);
  link.hash = root.id;
  const info = {
    site_root: new URL(root.dataset.root || "./", document.baseURI).href,
    directory_urls: root.dataset.directoryUrls !== "false",
    link: link.href,
  };
  // The calendar file is made only when the reader asks for it, not on every keystroke.
  if (withCalendar) info.stamp = new Date().toISOString();
  return info;
}

// ---------------------------------------------------------------------------
// Actions: copy the link, copy a summary, download the dates as a calendar file.

function setUpActions(calc) {
  calc.actions = calc.root.querySelector(".calc__actions");
  if (!calc.actions) return;
  calc.note = calc.actions.querySelector(".calc__note");
  calc.actions.addEventListener("click", (event) => {
    const action = event.target.closest("button[data-action]")?.dataset.action;
    if (action) syncLink(calc); // the links below read the address bar
    if (action === "copy-link") {
      copy(calc, pageInfo(calc.root).link, "Link copied.");
    } else if (action === "copy-summary" && calc.summary) {
      copy(calc, calc.summary, "Summary copied.");
    } else if (action === "calendar" && calc.answered) {
      ask(calc, { ...calc.answered, page: pageInfo(calc.root, true) }).then((reply) => {
        if (reply.ics) download(calc, reply.ics);
      });
    }
  });
}

async function copy(calc, text, done) {
  calc.actions.querySelector(".calc__copy-fallback")?.remove();
  try {
    await navigator.clipboard.writeText(text);
    calc.note.textContent = done;
  } catch {
    // No clipboard (an insecure page, or permission refused): show the text to copy by hand.
    const box = el("textarea", "calc__copy-fallback");
    box.readOnly = true;
    box.value = text;
    box.setAttribute("aria-label", "Text to copy");
    calc.actions.append(box);
    box.select();
    calc.note.textContent = "Copying is blocked here: the text is selected below, press Ctrl+C (or Cmd+C).";
  }
}

// A one-off request whose answer goes to the caller, not to the form (e.g. the calendar file).
function ask(calc, request) {
  const { rt } = calc;
  if (rt.state !== "ready") return Promise.resolve({});
  const id = ++rt.nextId;
  return new Promise((resolve) => {
    rt.asks.set(id, resolve);
    rt.worker.postMessage({ type: "run", id, request: JSON.stringify(request) });
  }).then((msg) => (msg.response ? JSON.parse(msg.response) : {}));
}

function download(calc, ics) {
  const url = URL.createObjectURL(new Blob([ics], { type: "text/calendar" }));
  const link = el("a");
  link.href = url;
  link.download = `${calc.root.id}.ics`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  calc.note.textContent = "Calendar file downloaded.";
}

// ---------------------------------------------------------------------------
// DOM helpers: text only, never HTML.

function el(tag, className, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  node.append(...children);
  return node;
}

function setText(node, text) {
  if (node.textContent !== String(text)) node.textContent = text;
}

// The answer list or reasons list, created if the build left it out (e.g. no reasons).
function part(calc, tag, className) {
  return calc.output.querySelector(`.${className}`) || calc.output.appendChild(el(tag, className));
}

// ---------------------------------------------------------------------------
// Start: now, and on every page Material's instant navigation swaps in.

function init() {
  const fresh = [...document.querySelectorAll(".calc[data-calculator]")].filter((root) => !shared.seen.has(root));
  if (!fresh.length) return;
  const rt = shared.runtime;
  if (rt) {
    for (const calc of rt.calcs) if (!calc.root.isConnected) rt.calcs.delete(calc);
    // A new page is the reader's natural retry after a failure.
    if (rt.state === "failed") shared.runtime = null;
  }
  for (const root of fresh) {
    shared.seen.add(root);
    attach(root);
  }
}

init();
// document$ replays the current document to new subscribers; init() skips calculators
// it has seen, so the extra call is harmless. Subscribe once per window, through
// `shared`, so that after a redeploy the newest copy of this module does the work.
shared.init = init;
if (window.document$ && !shared.subscribed) {
  shared.subscribed = true;
  window.document$.subscribe(() => shared.init());
}
