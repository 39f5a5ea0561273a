// The messages between a page (calculators.js) and the runtime's worker (worker.js).
// Both scripts type their postMessage() and onmessage with these, and `make lint`
// type-checks them (tsc), so a message kind or field that one side renames fails there.
//
// A page sends "init" once when it connects, then "run"/"guess" as the reader types.
// The worker answers each "run" with a "result" and each "guess" with "guesses", sends
// "progress" while its files arrive, then "ready" (or "failed") to every page.

/** Page -> worker. */
export type ToWorker = Init | Run | Guess | Close | Here;

/** Worker -> page. */
export type FromWorker = Progress | Ready | Failed | Result | Guesses | HereQuery;

/** Where the runtime's files are (absolute URLs) and what the start downloads. */
export interface Init {
  type: "init";
  indexURL: string;
  packageURL: string;
  /** The memory snapshot (null: Python starts from scratch). */
  snapshotURL: string | null;
  /** The decoder of the big files' .zst siblings (null: the site has none). */
  zstdURL: string | null;
  /** Pyodide's ABI, so loadPyodide() need not fetch its lock file (null: it does). */
  abi: string | null;
  /** Bytes the start downloads, as stored (null: unknown, e.g. Pyodide from a CDN). */
  bytes: number | null;
}

/** One request for calculators.browser.call(): a JSON string (see CallRequest). */
export interface Run {
  type: "run";
  id: number;
  request: string;
}

/** Several requests at once: the answers for the reader's likely next keys. */
export interface Guess {
  type: "guess";
  id: number;
  requests: string[];
}

/** The page gave up waiting for the start: stop it (other pages would wait too). */
export interface Close {
  type: "close";
}

/** The answer to "here?": this page still uses the runtime. */
export interface Here {
  type: "here";
}

/** Bytes of the start-up's files arrived so far (total: null when unknown). */
export interface Progress {
  type: "progress";
  loaded: number;
  total: number | null;
}

/** Python is up with the package imported. */
export interface Ready {
  type: "ready";
  ms: number;
  /** Restored from the memory snapshot. */
  snapshot: boolean;
  /** Python was up before this page asked. */
  reused: boolean;
}

/** The runtime cannot start or go on. */
export interface Failed {
  type: "failed";
  error: string;
}

/** The answer to a "run": call()'s JSON (CallAnswer), or the error if call() itself threw. */
export type Result = { type: "result"; id: number; response: string } | { type: "result"; id: number; error: string };

/** The answers to a "guess", in its order (null: call() threw on that one). */
export interface Guesses {
  type: "guesses";
  id: number;
  responses: (string | null)[];
}

/** Is this page still there? (another deploy's runtime started, worker.js) */
export interface HereQuery {
  type: "here?";
}

// What travels inside "run" and "result" as JSON strings: calculators/browser.py.

/** calculators.browser.call()'s argument. */
export interface CallRequest {
  calculator: string;
  inputs: Record<string, string | boolean>;
  page?: PageInfo;
}

/** What Python needs for the summary's links and the calendar file. */
export interface PageInfo {
  site_root: string;
  directory_urls: boolean;
  link: string;
  /** ISO time: asks for the calendar file. */
  stamp?: string;
}

/** calculators.browser.call()'s answer. */
export interface CallAnswer {
  output: Output;
  display: { key: string; label: string; text: string }[];
  /** The answer's reasons, their rule pages resolved to URLs (null: no such page). */
  reasons: { rule: string; text: string; href: string | null }[];
  summary: string;
  has_dates: boolean;
  ics: string | null;
}

/** calculators.run()'s answer: see calculators/__init__.py. */
export type Output =
  | { ok: true; calculator: string; result: Record<string, unknown>; reasons: unknown[] }
  | { ok: false; calculator: string; errors: Record<string, string> };
