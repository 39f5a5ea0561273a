// Live calculators for the sales handbook.
//
// The page already shows each calculator's answer for its example values (rendered
// at build time). This module makes the form live: a worker (one for all the site's
// tabs, see connect()) runs the same Python package in Pyodide and recomputes on every
// input. If the runtime cannot start, the static answer stays and the reader is told so.
//
// Material's instant navigation swaps pages without reloading, and a module is only
// evaluated once per URL, so everything that must outlive a page (the runtime) lives
// on `window` (shared_state.js), and calculators on swapped pages are picked up
// through `document$`.
//
// The messages to and from the worker are typed in protocol.d.ts; the widget's class
// names and data attributes come from markup.js (generated from markup.py, which
// render.py writes the widget with). `make lint` type-checks this file.

import { ACTIONS, CLASS, DATA, STATES, WORDS } from "./markup.js";
import { sharedState } from "./shared_state.js";

/** @typedef {import("./protocol").ToWorker} ToWorker */
/** @typedef {import("./protocol").FromWorker} FromWorker */
/** @typedef {import("./protocol").Init} Init */
/** @typedef {import("./protocol").Progress} Progress */
/** @typedef {import("./protocol").CallRequest} CallRequest */
/** @typedef {import("./protocol").CallAnswer} CallAnswer */
/** @typedef {import("./protocol").PageInfo} PageInfo */

/**
 * The one runtime of the window (its worker and what is waiting on it), kept in the
 * shared state so that instant navigation and later copies of this module find it.
 * @typedef {object} Runtime
 * @property {string} url The worker script's URL: a new deploy has a new one.
 * @property {Init} init What the worker is told first (absolute URLs).
 * @property {number} timeoutMs The stall window.
 * @property {"booting" | "ready" | "failed"} state
 * @property {Port | null} worker Null until the page's start-up is over (see start()).
 * @property {ToWorker[]} outbox Messages for a worker not created yet.
 * @property {Set<Calc>} calcs The blocks using it (some may have left the page).
 * @property {Map<number, InFlight>} inFlight Requests sent, by id, until answered.
 * @property {number} nextId
 * @property {{ loaded: number, total: number | null } | null} progress From the worker, once it reports.
 * @property {boolean} progressShown
 * @property {number | null} progressFrom When the bar's second started (ms since navigation); null: now.
 * @property {ReturnType<typeof setTimeout> | undefined} progressTimer
 * @property {ReturnType<typeof setTimeout> | undefined} stallTimer
 * @property {ReturnType<typeof setTimeout> | undefined} watchdog
 * @property {boolean} fromSnapshot Which start-up path ran (read by the tests).
 * @property {boolean} reused Python was up before this page asked (read by the tests).
 */

/**
 * A request in flight, by what its answer is for: the form's answer; a one-off (the
 * calendar file) whose answer goes to a promise; or the answers for the next keys.
 * @typedef {{ kind: "answer", calc: Calc }
 *   | { kind: "ask", resolve: (answer: CallAnswer | null) => void }
 *   | { kind: "guess", calc: Calc, keys: string[] }} InFlight
 */

/**
 * One calculator block on the page.
 * @typedef {object} Calc
 * @property {HTMLElement} root
 * @property {HTMLFormElement} form
 * @property {HTMLElement} output
 * @property {HTMLElement} status
 * @property {HTMLElement | null} announcer What screen readers hear of a new answer (see announce()).
 * @property {Map<string, string>} announced The rows they heard last, by key.
 * @property {ReturnType<typeof setTimeout> | undefined} announceTimer
 * @property {HTMLElement | null} actions
 * @property {HTMLElement | null} note
 * @property {Runtime} rt
 * @property {number} latest Id of the newest request sent.
 * @property {string | null} sent Its inputs as JSON: the change event that repeats an input event is skipped.
 * @property {boolean} live Has shown at least one live answer.
 * @property {string[]} linkNotes What the share link set that could not be used.
 * @property {ReturnType<typeof setTimeout> | null} busyTimer
 * @property {CallRequest | null} lastRequest The newest request, without its page info.
 * @property {CallRequest | null} answered The request of the answer on screen (for the calendar).
 * @property {string} summary The answer on screen as text (Copy summary).
 * @property {string} reasonsKey The reasons on screen, as JSON.
 * @property {{ id: number, base: string } | null} asked The guesses asked last.
 * @property {Map<string, string>} guesses Answers asked ahead (JSON, read only if used), by their inputs as JSON.
 * @property {HTMLElement | null} progress The progress bar's box.
 */

/**
 * What this module talks to: a dedicated Worker, or a SharedWorker's port.
 * @typedef {{ postMessage(message: ToWorker): void, terminate(): void }} Port
 */

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
// Only an answer this late greys out (aria-busy). A live answer comes well within it;
// marking every keystroke busy would start a fade, and the frames it keeps producing
// would hold up the reply (Chromium runs no page task between a key press and its next
// frame).
const BUSY_DELAY_MS = 150;
// A screen reader hears a new answer once typing pauses this long: the answer on screen
// changes with every key, and a live region that spoke each would talk over the reader.
const ANNOUNCE_DELAY_MS = 700;
// The address bar follows the form once typing pauses: history.replaceState() on every
// keystroke makes Chromium treat each one as a navigation (it even refetches the favicon).
const LINK_DELAY_MS = 400;
const FAILED_TO_START =
  "The live calculator could not start, so the answer shown is the one for the " +
  "page's example values. Check your connection and try again.";
const STOPPED =
  "The live calculator stopped, so the answer shown may not match what you typed. " +
  "Try again, or reload the page.";

const shared = sharedState();

// ---------------------------------------------------------------------------
// Reading the widget the build wrote (render.py).

/** @param {Element} node @param {string} name a value of DATA */
function data(node, name) {
  return node.getAttribute(name);
}

/** A data attribute holding a URL relative to this page, made absolute (null: not set). */
function absoluteURL(/** @type {Element} */ node, /** @type {string} */ name) {
  const value = data(node, name);
  return value ? new URL(value, document.baseURI).href : null;
}

/**
 * The element of `className` inside `root`, of the type its tag says.
 * @template {keyof HTMLElementTagNameMap} T
 * @param {ParentNode} root @param {T} tag @param {string} className
 * @returns {HTMLElementTagNameMap[T] | null}
 */
function find(root, tag, className) {
  return root.querySelector(`${tag}.${CSS.escape(className)}`);
}

// ---------------------------------------------------------------------------
// Runtime: one worker, its stall window, and the requests in flight.

/** @param {HTMLElement} root @returns {Runtime} */
function runtimeFor(root) {
  const url = absoluteURL(root, DATA.worker) ?? "";
  let rt = shared.runtime;
  if (rt && rt.url !== url) {
    rt.worker?.terminate(); // a newer deploy: its worker may speak a newer protocol
    rt = null;
  }
  if (!rt) {
    rt = shared.runtime = {
      url,
      init: {
        type: "init",
        indexURL: absoluteURL(root, DATA.pyodide) ?? "",
        packageURL: absoluteURL(root, DATA.package) ?? "",
        snapshotURL: absoluteURL(root, DATA.snapshot),
        zstdURL: absoluteURL(root, DATA.zstd),
        abi: data(root, DATA.abi),
        bytes: Number(data(root, DATA.download_bytes)) || null,
      },
      timeoutMs: Number(data(root, DATA.timeout_ms)) || DEFAULT_TIMEOUT_MS,
      state: "booting",
      worker: null,
      outbox: [],
      calcs: new Set(),
      inFlight: new Map(),
      nextId: 0,
      progress: null,
      progressShown: false,
      progressFrom: null,
      progressTimer: undefined,
      stallTimer: undefined,
      watchdog: undefined,
      fromSnapshot: false,
      reused: false,
    };
    start(rt);
  }
  return rt;
}

/** @param {Runtime} rt */
function start(rt) {
  rt.state = "booting";
  rt.inFlight.clear();
  rt.worker = null;
  rt.progress = null;
  rt.outbox = [];
  afterPageStartup(() => {
    // Once per start: a retry since then has made its own worker (or this one failed).
    if (rt.state === "booting" && !rt.worker) createWorker(rt);
  });
}

// The worker is created once the page's own start-up is over: after DOMContentLoaded and
// the theme's handlers for it, in a task of its own. A worker's start needs the main
// thread, which the theme holds until then, and the two would compete for the machine's
// cores (docs/performance.md). Arriving by instant navigation, or on a retry, that is
// long past: at once.
/** @param {() => void} then */
function afterPageStartup(then) {
  const [navigation] = /** @type {PerformanceNavigationTiming[]} */ (performance.getEntriesByType("navigation"));
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

/** @param {Runtime} rt */
function createWorker(rt) {
  // loadPyodide() never settles when the wasm is blocked, so a timer is the only reliable
  // signal that the runtime is not coming: it runs until the worker's next sign of life.
  stallWatch(rt);
  // Counted from navigation: on a slow link the page's own start-up may take longer than
  // that, and a reader who has waited that long should see the bar at once.
  const since = rt.progressFrom ?? performance.now();
  rt.progressTimer = setTimeout(() => showProgress(rt), Math.max(0, PROGRESS_DELAY_MS - since));
  rt.progressFrom = 0; // a retry starts its own second
  performance.mark(START_MARK);
  let worker;
  try {
    worker = connect(rt);
  } catch (err) {
    fail(rt, String(err));
    return;
  }
  worker.postMessage(rt.init);
  rt.worker = worker;
  for (const message of rt.outbox.splice(0)) worker.postMessage(message);
}

// The runtime is a SharedWorker: every tab of one deploy talks to one Python, and with
// extendedLifetime it outlives its last page for a while (minutes in Chromium), so a page
// loaded again, or opened in another tab, finds Python running and answers at once.
// Where SharedWorker is missing or refuses, a dedicated Worker of this window runs the
// same script.
/** @param {Runtime} rt @returns {Port} */
function connect(rt) {
  /** @type {SharedWorker | null} */
  let sharedWorker = null;
  if (typeof SharedWorker === "function") {
    try {
      // extendedLifetime is newer than TypeScript's DOM types.
      const options = /** @type {WorkerOptions} */ ({ type: "module", name: runtimeName(rt), extendedLifetime: true });
      sharedWorker = new SharedWorker(rt.url, options);
    } catch (err) {
      console.warn("[calculators] no shared runtime, starting one for this page:", err);
    }
  }
  /** @param {MessageEvent<FromWorker>} event */
  const onmessage = ({ data }) => onMessage(rt, data);
  const onmessageerror = () => fail(rt, "unreadable message from worker");
  /** @param {ErrorEvent} event */
  const onerror = (event) => {
    event.preventDefault(); // otherwise a worker error is re-reported as an uncaught page error
    fail(rt, event.message || "worker script failed to load");
  };
  if (!sharedWorker) {
    const worker = new Worker(rt.url, { type: "module" });
    Object.assign(worker, { onmessage, onmessageerror, onerror });
    return worker;
  }
  const { port } = sharedWorker;
  Object.assign(port, { onmessage, onmessageerror });
  sharedWorker.onerror = onerror;
  return {
    postMessage: (message) => port.postMessage(message),
    // Other tabs may be using it: a runtime that is up is only left; one still starting
    // is stopped (it would keep every other page waiting too).
    terminate: () => {
      if (rt.state !== "ready") port.postMessage(/** @type {ToWorker} */ ({ type: "close" }));
      port.close();
    },
  };
}

// Pages find their runtime by name: one per deploy (the package, snapshot and runtime
// URLs carry content hashes) and generation. A page that saw the runtime fail starts a
// new generation (fail()), so neither its retry nor any other page connects to the
// failed one again; the generation lives in localStorage, shared by the site's tabs.
const GENERATION_KEY = "handbook-calculators:runtime";

/** @param {Runtime} rt */
function runtimeName(rt) {
  let generation = "0";
  try {
    generation = localStorage.getItem(GENERATION_KEY) || generation;
  } catch {} // storage is blocked: every page uses generation 0
  const { indexURL, packageURL, snapshotURL } = rt.init;
  return ["handbook-calculators", generation, indexURL, packageURL, snapshotURL].join(" ");
}

function newGeneration() {
  try {
    localStorage.setItem(GENERATION_KEY, `${Date.now()}-${Math.random().toString(36).slice(2)}`);
  } catch {} // blocked: the retry may meet the failed runtime again, and fail again
}

// To the worker, or into the queue it gets once it exists: runs sent while the page
// starts up are answered first thing.
/** @param {Runtime} rt @param {ToWorker} message */
function post(rt, message) {
  if (rt.worker) rt.worker.postMessage(message);
  else rt.outbox.push(message);
}

/** Sends a request; its answer goes where `purpose` says. @param {Runtime} rt @param {InFlight} purpose */
function send(rt, purpose, /** @type {ToWorker & { id: number }} */ message) {
  rt.inFlight.set(message.id, purpose);
  post(rt, message);
}

// While the runtime starts, each message from it (progress, above all) restarts the stall
// window; one that long without any means the start has stalled.
/** @param {Runtime} rt */
function stallWatch(rt) {
  clearTimeout(rt.stallTimer);
  rt.stallTimer = setTimeout(() => fail(rt, `no progress for ${rt.timeoutMs / 1000} s`), rt.timeoutMs);
}

/** @param {Runtime} rt @param {string} why */
function fail(rt, why) {
  if (rt.state === "failed") return;
  console.warn("[calculators] live runtime unavailable:", why);
  clearTimeout(rt.stallTimer);
  hideProgress(rt);
  clearTimeout(rt.watchdog);
  rt.worker?.terminate();
  rt.worker = null;
  newGeneration();
  rt.state = "failed";
  shared.releaseSearch?.(); // nothing to wait for (search_hold.js)
  for (const request of rt.inFlight.values()) if (request.kind === "ask") request.resolve(null);
  rt.inFlight.clear();
  for (const calc of rt.calcs) if (calc.root.isConnected) showFailure(calc, rt);
}

/** @param {Runtime} rt */
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

/** @param {Runtime} rt @param {FromWorker} msg */
function onMessage(rt, msg) {
  if (rt.state === "booting") stallWatch(rt); // a sign of life
  switch (msg.type) {
    case "progress":
      rt.progress = { loaded: msg.loaded, total: msg.total };
      updateProgress(rt);
      break;
    case "ready":
      clearTimeout(rt.stallTimer);
      hideProgress(rt);
      rt.state = "ready";
      rt.fromSnapshot = msg.snapshot;
      rt.reused = msg.reused;
      break;
    case "failed":
      fail(rt, msg.error);
      break;
    case "here?":
      rt.worker?.postMessage({ type: "here" }); // still in use: another deploy's runtime started (worker.js)
      break;
    case "guesses": {
      const request = rt.inFlight.get(msg.id);
      rt.inFlight.delete(msg.id);
      if (request?.kind !== "guess" || request.calc.asked?.id !== msg.id) break; // superseded
      const answers = new Map();
      request.keys.forEach((key, i) => {
        const response = msg.responses[i];
        if (response) answers.set(key, response);
      });
      request.calc.guesses = answers;
      break;
    }
    case "result": {
      const request = rt.inFlight.get(msg.id);
      rt.inFlight.delete(msg.id);
      const answer = "response" in msg ? /** @type {CallAnswer} */ (JSON.parse(msg.response)) : null;
      if (request?.kind === "ask") {
        request.resolve(answer);
      } else if (request?.kind === "answer") {
        // Ignore answers to superseded requests: the latest inputs win.
        if (msg.id === request.calc.latest) show(request.calc, answer ?? ("error" in msg ? msg.error : ""));
        shared.releaseSearch?.(); // the first answer is out: the theme may build its search index (search_hold.js)
      }
      break;
    }
  }
  watch(rt);
}

// A running worker answers in milliseconds. If it goes silent (it crashed, or the tab
// ran out of memory) nothing else would tell us, so time each request once booted.
/** @param {Runtime} rt */
function watch(rt) {
  clearTimeout(rt.watchdog);
  if (rt.state === "ready" && rt.inFlight.size) {
    rt.watchdog = setTimeout(() => fail(rt, "no answer from the runtime"), WATCHDOG_MS);
  }
}

// ---------------------------------------------------------------------------
// One calculator on the page.

/** @param {HTMLElement} root */
function attach(root) {
  const form = find(root, "form", CLASS.form);
  const output = find(root, "div", CLASS.output);
  const status = find(root, "p", CLASS.status);
  if (!form || !output || !status) return;
  const actions = find(root, "div", CLASS.actions);
  // The rows built into the page are what a reader has already been read.
  const builtRows = [...output.querySelectorAll(`.${CLASS.row}[${DATA.output}]`)];
  /** @type {Calc} */
  const calc = {
    root,
    form,
    output,
    status,
    announcer: find(root, "p", CLASS.announce),
    announced: new Map(),
    announceTimer: undefined,
    actions,
    note: actions && find(actions, "span", CLASS.note),
    rt: runtimeFor(root),
    latest: 0,
    sent: null,
    live: false,
    linkNotes: [],
    busyTimer: null,
    lastRequest: null,
    answered: null,
    summary: "",
    reasonsKey: "",
    asked: null,
    guesses: new Map(),
    progress: null,
  };
  for (const row of builtRows) calc.announced.set(data(row, DATA.output) ?? "", rowText(row));
  calc.rt.calcs.add(calc);
  calc.linkNotes = applyLink(calc);
  if (calc.linkNotes.length) status.textContent = calc.linkNotes.join(" ");
  setUpActions(calc);
  const edited = () => {
    calc.linkNotes = []; // the reader has taken over from the link
    compute(calc);
  };
  form.addEventListener("input", edited);
  form.addEventListener("change", edited);
  form.addEventListener("submit", (event) => event.preventDefault()); // Enter must not reload
  // Into a field, or the caret moved within it: have the answers for its next key ready.
  for (const event of ["focusin", "click", "keyup"]) form.addEventListener(event, () => guessNext(calc));
  if (calc.rt.state === "failed") {
    showFailure(calc, calc.rt);
  } else {
    if (calc.rt.progressShown) addProgress(calc);
    // Compute at once: the browser may have restored earlier inputs (back button).
    // Not "busy": the answer on screen is right for the example values.
    compute(calc, false);
  }
}

/** @param {Calc} calc */
function compute(calc, busy = true) {
  const { rt, root } = calc;
  if (rt.state === "failed") return; // keep what the reader typed; Try again resends it
  const inputs = readInputs(calc.form);
  const key = JSON.stringify(inputs);
  if (key === calc.sent) return;
  calc.sent = key;
  syncLinkSoon(calc);
  const guess = calc.guesses.get(key);
  if (guess) show(calc, /** @type {CallAnswer} */ (JSON.parse(guess)), true); // asked for before the key was pressed
  const calculator = data(root, DATA.calculator) ?? "";
  /** @type {CallRequest} */
  const request = { calculator, inputs, page: pageInfo(root, false, linkURL(calc).href) };
  calc.lastRequest = { calculator, inputs };
  calc.latest = ++rt.nextId;
  if (root.getAttribute(DATA.state) !== STATES.ready) root.setAttribute(DATA.state, STATES.loading);
  if (busy && !guess && !calc.busyTimer) {
    calc.busyTimer = setTimeout(() => calc.output.setAttribute("aria-busy", "true"), BUSY_DELAY_MS);
  }
  // For the key after this one: asked now, answered before it comes. Ahead of this key's
  // request when its answer is on screen already (the request then only brings the summary).
  if (guess) guessNext(calc);
  send(rt, { kind: "answer", calc }, { type: "run", id: calc.latest, request: JSON.stringify(request) });
  watch(rt);
  if (!guess) guessNext(calc);
}

/**
 * The form's inputs; `instead` reads one text field as if it held that value.
 * @param {HTMLFormElement} form
 * @param {{ name: string, value: string } | null} instead
 * @returns {Record<string, string | boolean>}
 */
function readInputs(form, instead = null) {
  /** @type {Record<string, string | boolean>} */
  const inputs = {};
  for (const element of form.elements) {
    if (!(element instanceof HTMLInputElement || element instanceof HTMLSelectElement)) continue;
    if (!element.name || element.disabled) continue;
    const value = element.name === instead?.name ? instead.value : element.value;
    if (element.type === "checkbox") inputs[element.name] = /** @type {HTMLInputElement} */ (element).checked;
    else if (element.type === "radio") {
      if (/** @type {HTMLInputElement} */ (element).checked) inputs[element.name] = value;
    } else if (value !== "") inputs[element.name] = value; // empty means "not given"
  }
  return inputs;
}

/** @param {Calc} calc */
function notBusy(calc) {
  if (calc.busyTimer) clearTimeout(calc.busyTimer);
  calc.busyTimer = null;
  calc.output.removeAttribute("aria-busy");
}

// `guessed`: an answer asked for ahead of the key press (see guessNext()). It shows at
// once; the actions (summary, calendar) wait for the request's own answer, a frame later.
/** @param {Calc} calc @param {CallAnswer | string} answer a string: call() itself failed */
function show(calc, answer, guessed = false) {
  const { root, status } = calc;
  notBusy(calc);
  if (typeof answer === "string") {
    status.textContent = "The calculator hit an internal error, so the answer shown may be out of date.";
    console.error("[calculators]", answer);
    return;
  }
  const { output: run, display, reasons, summary, has_dates: hasDates } = answer;
  root.setAttribute(DATA.result, JSON.stringify(run));
  root.setAttribute(DATA.state, STATES.ready);
  calc.live = true;
  const other = showFieldErrors(calc, run.ok ? {} : run.errors);
  status.textContent = [...calc.linkNotes, ...other].join(" ");
  if (run.ok && !guessed) {
    calc.summary = summary;
    calc.answered = calc.lastRequest;
  }
  if (run.ok) {
    if (calc.actions && !guessed) {
      calc.actions.hidden = false;
      calc.actions.querySelector(`[${DATA.action}="${ACTIONS.calendar}"]`)?.toggleAttribute("hidden", !hasDates);
    }
    showAnswer(calc, display);
    showReasons(calc, reasons);
    announceSoon(calc, display);
    const hint = find(calc.output, "p", CLASS.hint); // built when the example had no answer
    if (hint) hint.hidden = true;
  }
  // On failure the last good answer stays on screen, next to the field messages.
  if (!guessed) guessNext(calc);
}

// After a key press Chromium runs no page task (the worker's reply included) until it
// has drawn the next frame, so an answer asked for then lands a frame after the key.
// Digits typed at the end of a number and Backspace are most of what a rep types, so
// while a text field has the caret at its end, ask the worker now for the answers those
// eleven keys would give; compute() shows the one that matches at once, in the key's
// own event. Anything else (a caret mid-field, a pasted value) waits as before, and
// every guess is still followed by the request's own answer.
/** @param {Calc} calc */
function guessNext(calc) {
  const { rt, root } = calc;
  const field = document.activeElement;
  if (rt.state !== "ready" || !(field instanceof HTMLInputElement)) return;
  if (field.form !== calc.form || field.type !== "text" || !field.name) return;
  const { value } = field;
  if (field.selectionStart !== value.length || field.selectionEnd !== value.length) return;
  if (JSON.stringify(readInputs(calc.form)) !== calc.sent) return; // guesses start from the inputs sent last
  const base = `${calc.sent}\n${field.name}`;
  if (calc.asked?.base === base) return; // already asked (focus, click and keys all land here)
  const page = pageInfo(root, false, linkURL(calc).href);
  const calculator = data(root, DATA.calculator) ?? "";
  const keys = [];
  const requests = [];
  for (const next of new Set([value.slice(0, -1), ...[..."0123456789"].map((digit) => value + digit)])) {
    const inputs = readInputs(calc.form, { name: field.name, value: next });
    keys.push(JSON.stringify(inputs));
    requests.push(JSON.stringify({ calculator, inputs, page }));
  }
  const id = ++rt.nextId;
  calc.asked = { id, base };
  send(rt, { kind: "guess", calc, keys }, { type: "guess", id, requests });
}

// Marks each field with its message (or clears it); returns messages for keys that
// are not fields, such as "calculator".
/** @param {Calc} calc @param {Record<string, string>} errors */
function showFieldErrors(calc, errors) {
  const fields = new Set();
  for (const field of calc.form.querySelectorAll(`.${CLASS.field}[${DATA.field}]`)) {
    const name = data(field, DATA.field);
    fields.add(name);
    const message = name === null ? undefined : errors[name];
    for (const input of field.querySelectorAll("[name]")) {
      if (message) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    }
    const error = find(field, "p", CLASS.error);
    if (error) {
      error.textContent = message || "";
      error.hidden = !message;
    }
  }
  return Object.keys(errors)
    .filter((key) => !fields.has(key))
    .map((key) => String(errors[key]));
}

// Updates rows in place where the key is unchanged, so the polite live region
// announces only the values that changed, not the whole answer.
/** @param {Calc} calc @param {CallAnswer["display"]} display */
function showAnswer(calc, display) {
  const dl = part(calc, "dl", CLASS.answer);
  const rows = [...dl.children];
  display.forEach(({ key, label, text }, i) => {
    let row = rows[i];
    if (!row || data(row, DATA.output) !== key) {
      row = el("div", CLASS.row, el("dt", null, ""), el("dd", null, ""));
      row.setAttribute(DATA.output, key);
      if (rows[i]) rows[i].replaceWith(row);
      else dl.append(row);
    }
    setText(row.querySelector("dt"), label);
    setText(row.querySelector("dd"), text);
  });
  for (const extra of rows.slice(display.length)) extra.remove();
}

/** A row of the answer as a screen reader hears it. @param {Element} row */
function rowText(row) {
  return `${row.querySelector("dt")?.textContent ?? ""}: ${row.querySelector("dd")?.textContent ?? ""}.`;
}

// Once typing pauses, the rows of the answer that changed since the reader last heard it
// go into the announcer (a polite status region): one announcement per change, not one
// per key. Field errors are announced by their own fields (render.py).
/** @param {Calc} calc @param {CallAnswer["display"]} display */
function announceSoon(calc, display) {
  clearTimeout(calc.announceTimer);
  calc.announceTimer = setTimeout(() => announce(calc, display), ANNOUNCE_DELAY_MS);
}

/** @param {Calc} calc @param {CallAnswer["display"]} display */
function announce(calc, display) {
  const changed = [];
  for (const { key, label, text } of display) {
    const said = `${label}: ${text}.`;
    if (calc.announced.get(key) !== said) changed.push(said);
    calc.announced.set(key, said);
  }
  if (calc.announcer && changed.length) calc.announcer.textContent = changed.join(" ");
}

// Each reason links to the section that explains its rule: Python resolved the URL
// (calculators/present.py, the same code that linked the answer built into the page).
/** @param {Calc} calc @param {CallAnswer["reasons"]} reasons */
function showReasons(calc, reasons) {
  const key = JSON.stringify(reasons);
  if (calc.reasonsKey === key) return;
  calc.reasonsKey = key;
  const ul = part(calc, "ul", CLASS.reasons);
  ul.replaceChildren(
    ...reasons.map(({ rule, text, href }) => {
      const ref = href ? el("a", null, rule) : el("span", CLASS.rule, rule);
      if (ref instanceof HTMLAnchorElement && href) ref.href = href;
      return el("li", null, ref, " ", el("span", null, text));
    }),
  );
}

/** @param {Calc} calc @param {Runtime} rt */
function showFailure(calc, rt) {
  const { root, status } = calc;
  root.setAttribute(DATA.state, STATES.error);
  notBusy(calc);
  const button = el("button", CLASS.retry, "Try again");
  button.type = "button";
  button.addEventListener("click", () => {
    // The button is about to disappear; keep keyboard focus inside the calculator.
    const first = calc.form.elements[0];
    if (document.activeElement === button && first instanceof HTMLElement) first.focus();
    retry(rt);
  });
  status.replaceChildren(calc.live ? STOPPED : FAILED_TO_START, " ", button);
}

// ---------------------------------------------------------------------------
// Progress while the runtime downloads: a bar under each waiting calculator, with an
// accessible name and value (not a live region: it would talk over the page every
// quarter second). The answer built into the page stays readable beside it.

/** @param {Runtime} rt */
function showProgress(rt) {
  if (rt.state !== "booting") return;
  rt.progressShown = true;
  for (const calc of rt.calcs) if (calc.root.isConnected) addProgress(calc);
}

/** @param {Calc} calc */
function addProgress(calc) {
  if (calc.progress || calc.live) return;
  const bar = el("progress", null);
  bar.max = 1;
  bar.setAttribute("aria-label", "Loading the live calculator");
  const text = el("span", CLASS.progress_text);
  text.setAttribute("aria-hidden", "true"); // the bar says it
  calc.progress = el("div", CLASS.progress, bar, text);
  calc.status.before(calc.progress);
  setProgress(calc, calc.rt.progress);
}

/** @param {Runtime} rt */
function updateProgress(rt) {
  for (const calc of rt.calcs) if (calc.progress) setProgress(calc, rt.progress);
}

const megabytes = (/** @type {number} */ bytes) => (bytes / 1e6).toFixed(1);

/** @param {Calc} calc @param {Runtime["progress"]} progress */
function setProgress(calc, progress) {
  const bar = calc.progress?.querySelector("progress");
  const text = calc.progress && find(calc.progress, "span", CLASS.progress_text);
  if (!bar || !text) return;
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

/** @param {Runtime} rt */
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

// Puts the link's values into the form; returns plain notes on what it could not use.
// A tick box reads the yes/no words the field parser reads (WORDS, from calculators/fields.py).
/** @param {Calc} calc @returns {string[]} */
function applyLink(calc) {
  const prefix = `${calc.root.id}.`;
  const notes = [];
  for (const [key, value] of new URLSearchParams(location.search)) {
    if (!key.startsWith(prefix)) continue;
    const name = key.slice(prefix.length);
    const field = calc.form.querySelector(`.${CLASS.field}[${DATA.field}="${CSS.escape(name)}"]`);
    const control = field?.querySelector("[name]");
    const label = field?.querySelector("label")?.textContent?.trim() || name;
    if (!(control instanceof HTMLInputElement || control instanceof HTMLSelectElement)) {
      notes.push(`The link sets "${name}", which this calculator does not have, so it was ignored.`);
    } else if (control instanceof HTMLInputElement && control.type === "checkbox") {
      const word = value.trim().toLowerCase();
      if (WORDS.yes.includes(word) || WORDS.no.includes(word)) control.checked = WORDS.yes.includes(word);
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
/** @param {URL} url @param {Calc} calc */
function setLinkParams(url, calc) {
  const prefix = `${calc.root.id}.`;
  for (const key of [...url.searchParams.keys()]) if (key.startsWith(prefix)) url.searchParams.delete(key);
  for (const control of calc.form.elements) {
    let value = null;
    if (control instanceof HTMLInputElement && control.name) {
      if (control.type === "checkbox") {
        if (control.checked !== control.defaultChecked) value = String(control.checked);
      } else if (control.value !== control.defaultValue) {
        value = control.value;
      }
    } else if (control instanceof HTMLSelectElement && control.name) {
      const example = [...control.options].find((option) => option.defaultSelected) ?? control.options[0];
      if (control.value !== example?.value) value = control.value;
    }
    if (value !== null) url.searchParams.set(prefix + /** @type {HTMLInputElement} */ (control).name, value);
  }
}

/**
 * Calculators edited since the address bar last caught up (see LINK_DELAY_MS).
 * @type {{ calcs: Set<Calc>, timer: ReturnType<typeof setTimeout> | undefined, path: string | null }}
 */
const linkPending = { calcs: new Set(), timer: undefined, path: null };

// The page's link as it will be once the address bar catches up, with calc's inputs.
/** @param {Calc | null} calc */
function linkURL(calc) {
  const url = new URL(location.href);
  for (const other of linkPending.calcs) if (other.root.isConnected) setLinkParams(url, other);
  if (calc) setLinkParams(url, calc);
  return url;
}

/** @param {Calc} calc */
function syncLinkSoon(calc) {
  if (!linkPending.calcs.size) linkPending.path = location.pathname;
  linkPending.calcs.add(calc);
  clearTimeout(linkPending.timer);
  linkPending.timer = setTimeout(() => syncLink(null), LINK_DELAY_MS);
}

// Brings the address bar in step with the form now (pending edits and calc, if given).
/** @param {Calc | null} calc */
function syncLink(calc) {
  clearTimeout(linkPending.timer);
  // Instant navigation moved on meanwhile: those edits belong to a page no longer shown.
  if (linkPending.path !== location.pathname) linkPending.calcs.clear();
  const url = linkURL(calc);
  linkPending.calcs.clear();
  if (url.href !== location.href) history.replaceState(history.state, "", url.href);
}

// What Python needs to write the summary's links and the calendar file.
/** @param {HTMLElement} root @returns {PageInfo} */
function pageInfo(root, withCalendar = false, href = location.href) {
  const link = new URL(href);
  link.hash = root.id;
  /** @type {PageInfo} */
  const info = {
    site_root: new URL(data(root, DATA.root) || "./", document.baseURI).href,
    directory_urls: data(root, DATA.directory_urls) !== "false",
    link: link.href,
  };
  // The calendar file is made only when the reader asks for it, not on every keystroke.
  if (withCalendar) info.stamp = new Date().toISOString();
  return info;
}

// ---------------------------------------------------------------------------
// Actions: copy the link, copy a summary, download the dates as a calendar file.

/** @param {Calc} calc */
function setUpActions(calc) {
  calc.actions?.addEventListener("click", (event) => {
    const button = event.target instanceof Element ? event.target.closest(`button[${DATA.action}]`) : null;
    const action = button && data(button, DATA.action);
    if (action) syncLink(calc); // the links below read the address bar
    if (action === ACTIONS.copy_link) {
      copy(calc, pageInfo(calc.root).link, "Link copied.");
    } else if (action === ACTIONS.copy_summary && calc.summary) {
      copy(calc, calc.summary, "Summary copied.");
    } else if (action === ACTIONS.calendar && calc.answered) {
      ask(calc, { ...calc.answered, page: pageInfo(calc.root, true) }).then((answer) => {
        if (answer?.ics) download(calc, answer.ics);
      });
    }
  });
}

/** @param {Calc} calc @param {string} text @param {string} done */
async function copy(calc, text, done) {
  const { actions, note } = calc;
  if (!actions || !note) return;
  find(actions, "textarea", CLASS.copy_fallback)?.remove();
  try {
    await navigator.clipboard.writeText(text);
    note.textContent = done;
  } catch {
    // No clipboard (an insecure page, or permission refused): show the text to copy by hand.
    const box = el("textarea", CLASS.copy_fallback);
    box.readOnly = true;
    box.value = text;
    box.setAttribute("aria-label", "Text to copy");
    actions.append(box);
    box.select();
    note.textContent = "Copying is blocked here: the text is selected below, press Ctrl+C (or Cmd+C).";
  }
}

/** A one-off request whose answer goes to the caller, not to the form (e.g. the calendar file). */
function ask(/** @type {Calc} */ calc, /** @type {CallRequest} */ request) {
  const { rt } = calc;
  if (rt.state !== "ready") return Promise.resolve(null);
  const id = ++rt.nextId;
  return new Promise(
    /** @param {(answer: CallAnswer | null) => void} resolve */ (resolve) =>
      send(rt, { kind: "ask", resolve }, { type: "run", id, request: JSON.stringify(request) }),
  );
}

/** @param {Calc} calc @param {string} ics */
function download(calc, ics) {
  const url = URL.createObjectURL(new Blob([ics], { type: "text/calendar" }));
  const link = el("a", null);
  link.href = url;
  link.download = `${calc.root.id}.ics`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  if (calc.note) calc.note.textContent = "Calendar file downloaded.";
}

// ---------------------------------------------------------------------------
// DOM helpers: text only, never HTML.

/**
 * @template {keyof HTMLElementTagNameMap} T
 * @param {T} tag @param {string | null} className @param {(Node | string)[]} children
 * @returns {HTMLElementTagNameMap[T]}
 */
function el(tag, className, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  node.append(...children);
  return node;
}

/** @param {Node | null} node @param {string} text */
function setText(node, text) {
  if (node && node.textContent !== text) node.textContent = text;
}

/**
 * The answer list or reasons list, created if the build left it out (e.g. no reasons).
 * @template {"dl" | "ul"} T
 * @param {Calc} calc @param {T} tag @param {string} className
 * @returns {HTMLElementTagNameMap[T]}
 */
function part(calc, tag, className) {
  return find(calc.output, tag, className) ?? calc.output.appendChild(el(tag, className));
}

// ---------------------------------------------------------------------------
// Start: now, and on every page Material's instant navigation swaps in.

function init() {
  const blocks = document.querySelectorAll(`.${CLASS.root}[${DATA.calculator}]`);
  const fresh = [...blocks].filter((root) => root instanceof HTMLElement && !shared.seen.has(root));
  if (!fresh.length) return;
  const rt = shared.runtime;
  if (rt) {
    for (const calc of rt.calcs) if (!calc.root.isConnected) rt.calcs.delete(calc);
    // A new page is the reader's natural retry after a failure.
    if (rt.state === "failed") shared.runtime = null;
  }
  for (const root of fresh) {
    shared.seen.add(root);
    attach(/** @type {HTMLElement} */ (root));
  }
}

init();
// document$ replays the current document to new subscribers; init() skips calculators
// it has seen, so the extra call is harmless. Subscribe once per window, through
// `shared`, so that after a redeploy the newest copy of this module does the work.
shared.init = init;
const theme = /** @type {Window & { document$?: { subscribe(next: () => void): unknown } }} */ (window);
if (theme.document$ && !shared.subscribed) {
  shared.subscribed = true;
  theme.document$.subscribe(() => shared.init?.());
}
