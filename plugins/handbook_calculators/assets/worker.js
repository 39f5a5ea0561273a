// The worker of the handbook calculators: boots Pyodide once and answers run requests
// from calculators.js. A SharedWorker, so every tab of one deploy uses one Python, which
// outlives the page that started it for a while (extendedLifetime): loading a page again
// finds Python running. Where SharedWorker is missing, each window has its own dedicated
// Worker running this same script.
//
// The messages it takes and sends are typed in protocol.d.ts (README-runtime.md says
// how they flow); `make lint` type-checks this file against them.

import { PACKAGE_DIR, SNAPSHOT_MAGIC } from "./snapshot_format.js";

/** @typedef {import("./protocol").ToWorker} ToWorker */
/** @typedef {import("./protocol").FromWorker} FromWorker */
/** @typedef {import("./protocol").Init} Init */
/** @typedef {import("./protocol").Ready} Ready */
/** @typedef {import("./protocol").Failed} Failed */
/** @typedef {import("./protocol").Progress} Progress */
/** @typedef {import("pyodide").PyodideAPI} Pyodide */
/** @typedef {typeof import("fzstd")} Fzstd */
/** @typedef {(request: string) => string} Call calculators.browser.call */
/** @typedef {{ postMessage(message: FromWorker): void }} Page a page's port (or this dedicated worker's scope) */

// How often, at most, the pages hear how much has arrived. The page gives up on a start
// that sends nothing for its stall window (calculators.js), so this also says "alive".
const PROGRESS_MS = 250;

// The browser's own fetch(): the worker's downloads never meet handOver()'s answers.
const networkFetch = self.fetch;

/** @type {Promise<Call> | null} Python's call(), once booting */
let booted = null;
/** @type {string | null} the init message's URLs, as JSON */
let bootedWith = null;
/** @type {Ready | null} sent to every page once Python is up */
let ready = null;
/** @type {Failed | null} sent to every page once the runtime cannot start or go on */
let failure = null;

// The pages this worker answers, one MessagePort each (the worker's own scope when it
// is a dedicated Worker). Replies go to the page that asked; "ready" and "failed" to all.
/** @type {Set<Page>} */
const ports = new Set();

/** @param {FromWorker} message */
function broadcast(message) {
  for (const port of ports) port.postMessage(message);
}

// The runtime cannot start or go on: every page is told, and the worker ends, so that no
// page connects to it again (a page that saw it fail also names its next runtime anew).
/** @param {string} error */
function failed(error) {
  if (failure) return;
  failure = { type: "failed", error };
  broadcast(failure);
  close();
}

// A page that has gone keeps its port in the set (Chromium fires no "close" on it, tested):
// posting to it is harmless, and such ports are why "here?" below asks rather than counts.
/** @param {MessagePort | DedicatedWorkerGlobalScope} port */
function listen(port) {
  ports.add(port);
  /** @param {MessageEvent<ToWorker>} event */
  port.onmessage = ({ data }) => {
    switch (data.type) {
      case "init":
        return init(port, data);
      case "run":
        return run(port, data);
      case "guess":
        return guess(port, data);
      case "close":
        if (!ready) failed("the page gave up waiting for the start-up");
        return;
      case "here":
        stillUsed = true;
    }
  };
}

// Pages name the runtime after the init URLs (calculators.js, runtimeName()), so every
// page that connects sends the same ones.
/** @param {Page} port @param {Init} settings */
function init(port, settings) {
  const { indexURL, packageURL, snapshotURL } = settings;
  if (failure) {
    port.postMessage(failure);
  } else if (ready) {
    port.postMessage({ ...ready, reused: true });
  } else if (!booted) {
    bootedWith = JSON.stringify([indexURL, packageURL, snapshotURL]);
    booted = boot(settings);
    booted.catch(() => {}); // boot() reports its own failure
  } else {
    port.postMessage(meter.message()); // booting: this page hears "ready" with the others
  }
}

// How much of the start-up's files has arrived: every page hears it (PROGRESS_MS apart at
// most) until Python is up. Counted as stored, before any expanding.
const meter = {
  loaded: 0,
  /** @type {number | null} */
  total: null,
  /** @type {ReturnType<typeof setTimeout> | null} */
  timer: null,
  /** @returns {Progress} */
  message() {
    return { type: "progress", loaded: this.loaded, total: this.total };
  },
  /** @param {number} bytes */
  add(bytes) {
    if (ready || failure) return; // the stdlib read after the first answers is not the start-up's
    this.loaded += bytes;
    this.timer ??= setTimeout(() => {
      this.timer = null;
      if (!ready && !failure) broadcast(this.message());
    }, PROGRESS_MS);
  },
};

// A SharedWorker, or the dedicated fallback: TypeScript knows one worker scope per
// program, so the two are told apart at run time here.
const scope = /** @type {unknown} */ (self);
const shared = "onconnect" in /** @type {object} */ (scope);
if (shared) {
  /** @type {SharedWorkerGlobalScope} */ (scope).onconnect = (event) => listen(event.ports[0]);
} else {
  listen(/** @type {DedicatedWorkerGlobalScope} */ (scope));
}

// A shared runtime outlives its pages for minutes. When another deploy's runtime starts
// (a new release, or every rule edit under `mkdocs serve`, each a whole Python), one
// that no page uses any more ends now instead: it asks its pages whether they are still
// there (a page that is gone cannot say so: its port stays open here) and ends if none
// answers within ANSWER_MS.
const ANSWER_MS = 5000;
const deploys = shared && typeof BroadcastChannel === "function" ? new BroadcastChannel("handbook-calculators") : null;
let stillUsed = false;
if (deploys) {
  deploys.onmessage = ({ data }) => {
    if (data === bootedWith || !ready) return;
    stillUsed = false;
    broadcast({ type: "here?" });
    setTimeout(() => stillUsed || close(), ANSWER_MS);
  };
}

// Anything that escapes (Emscripten aborts, a rejected fetch) must reach the page as
// one "failed" message, not sit in the console while the reader waits for the timeout.
self.addEventListener("unhandledrejection", (event) => {
  event.preventDefault();
  if (!ready) failed(String(event.reason));
});

/** @param {Init} settings @returns {Promise<Call>} */
async function boot({ indexURL, packageURL, snapshotURL, zstdURL, abi, bytes: total }) {
  const t0 = performance.now();
  // The plugin stores the wasm and the snapshot zstd-compressed beside the plain files (.zst),
  // so they cross the link compressed whatever the host does; the worker expands them as they
  // stream in, with the decoder the plugin ships (fzstd).
  const decoder = zstdURL ? /** @type {Promise<Fzstd>} */ (import(zstdURL)) : null;
  decoder?.catch(() => {}); // awaited in download()
  const compressed = Boolean(decoder);
  meter.total = compressed && total !== null && Number.isFinite(total) ? total : null;
  broadcast(meter.message()); // the start has begun: the pages' stall window starts now
  try {
    // Pyodide's two scripts first: loadPyodide() cannot start without pyodide.mjs, and asked
    // for after the big files below it would wait behind them in the browser's cache. loadPyodide()
    // imports pyodide.asm.mjs only once its own module is in; the same URL, so this import
    // is the one it gets.
    const pyodideModule = /** @type {Promise<typeof import("pyodide")>} */ (import(`${indexURL}pyodide.mjs`));
    import(`${indexURL}pyodide.asm.mjs`).catch(() => {}); // a failure is loadPyodide()'s to report
    // Everything else is requested at once (but the stdlib, see below), before loadPyodide()
    // would ask for it, and the loading overlaps: this thread's own work (evaluating
    // Pyodide's JavaScript, linking the wasm) runs while the rest arrives.
    // The wasm first: the biggest download and compile, as it streams in. See useModule().
    const wasmURL = `${indexURL}pyodide.asm.wasm`;
    const wasm = download(wasmURL, decoder);
    const module = WebAssembly.compileStreaming(
      wasm.then((body) => new Response(body, { headers: { "Content-Type": "application/wasm" } })),
    );
    module.catch(() => {}); // awaited in useModule()
    // Python's memory with the package imported, made at build time (build_snapshot.mjs):
    // restoring it replaces Python's whole start-up. See streamSnapshot().
    const snapshot = snapshotURL ? streamSnapshot(snapshotURL, download(snapshotURL, decoder)) : null;
    snapshot?.memory.catch(() => {}); // awaited by loadPyodide; don't report it twice
    snapshot?.complete.catch(() => {}); // awaited during loadPyodide, see fsInit below
    // The standard library: the restored memory holds every module Python has imported,
    // so with a snapshot loadPyodide() gets an empty stand-in and the real zip is read
    // only after the first answers (see installStdlib()), which brings them sooner.
    const stdLibURL = `${indexURL}python_stdlib.zip`;
    handOver(stdLibURL, snapshot ? Promise.resolve(new Response(new Uint8Array(0))) : fetch(stdLibURL));
    // loadPyodide() asks for the wasm too, as soon as it starts; it gets an empty stand-in, so
    // that only the download above crosses the link (useModule() hands it the compiled module).
    handOver(wasmURL, Promise.resolve(new Response(new Uint8Array(0))));
    const packageBytes = download(packageURL, null).then((body) => new Response(body).arrayBuffer());
    packageBytes.catch(() => {}); // awaited later; don't report it twice if Pyodide fails first

    const { loadPyodide } = await pyodideModule;
    useModule(module, wasmURL, (/** @type {WebAssembly.Instance} */ instance) => snapshot?.fill(/** @type {WebAssembly.Memory} */ (instance.exports.memory)));
    /** @type {Parameters<typeof loadPyodide>[0] & {}} */
    const options = {
      indexURL,
      stdLibURL,
      // The pages never read stdin; the default would call prompt(), absent in workers.
      stdin: () => null,
      stdout: () => {}, // calculators do not print; nothing to show anyway
      stderr: (line) => console.warn("[calculators]", line),
    };
    // We load no Pyodide packages, so its lock file is only read for the ABI check; the
    // plugin read the ABI from the lock file at build time (data-abi), which saves the request.
    if (abi) {
      // Only the ABI is read of a lock file that lists no packages.
      const info = /** @type {import("pyodide").Lockfile["info"]} */ ({ abi_version: abi });
      options.lockFileContents = { info, packages: {} };
      options.packageBaseUrl = indexURL; // required with lockFileContents; unused
    }
    if (snapshot) {
      // loadPyodide() needs the snapshot's size to make the wasm memory, and its bytes
      // only when it restores them, after linking the wasm: the promise it awaits first
      // settles once the header is in; fsInit holds the restore until all pages are.
      options._loadSnapshot = snapshot.memory;
      options.fsInit = () => snapshot.complete;
    }
    const pyodide = await loadPyodide(options);
    const stdlibLater = snapshot ? installStdlib(pyodide, stdLibURL) : null;
    if (!snapshot) pyodide.runPython(`import sys; sys.path.insert(0, ${JSON.stringify(PACKAGE_DIR)})`);
    // The package's bytes are in by now (fetched since init); a deploy without them fails here.
    const files = await packageBytes;
    const unpack = () => pyodide.unpackArchive(files, "zip", { extractDir: PACKAGE_DIR });
    if (snapshot) {
      // Restored with the whole package imported (every module of it imports at the
      // top: tests/unit/test_imports.py), so its files wait until the first answers
      // are out: the runs the page sent while Python started run before this timer.
      setTimeout(async () => {
        try {
          await stdlibLater?.();
        } catch (err) {
          failed(message(err)); // a broken deploy: say so
          return;
        }
        try {
          unpack();
        } catch (err) {
          console.warn("[calculators] could not unpack the package's files:", err);
        }
      });
    } else {
      unpack();
    }
    /** @type {Call} */
    const call = pyodide.pyimport("calculators.browser").call;

    ready = { type: "ready", ms: Math.round(performance.now() - t0), snapshot: Boolean(snapshot), reused: false };
    broadcast(ready);
    deploys?.postMessage(bootedWith); // other deploys' runtimes: end if unused (above)
    return call;
  } catch (err) {
    failed(message(err));
    throw err;
  }
}

/** What went wrong, as a page shows it. @param {unknown} err */
function message(err) {
  return String(err instanceof Error ? err.message : err);
}

// The real stdlib zip in place of loadPyodide()'s empty stand-in: byte for byte the zip
// the snapshot was made with (the snapshot drops zipimport's cached directory to be
// smaller, so the first import after the restore reads it again). The snapshot puts a
// finder first on sys.meta_path (stdlib_first.py) that calls handbookCalculatorsStdlib()
// before the first import the memory cannot serve, so Python never sees the stand-in:
// if that comes before the returned function has installed the zip, it is read there
// and then (a synchronous request, which workers may make).
/** @param {Pyodide} pyodide @param {string} url @returns {() => Promise<void>} */
function installStdlib(pyodide, url) {
  const [zip] = pyodide.FS.readdir("/lib").filter((/** @type {string} */ name) => /^python\d+\.zip$/.test(name));
  let installed = false;
  const install = (/** @type {Uint8Array} */ data) => {
    if (!installed) pyodide.FS.writeFile(`/lib/${zip}`, data);
    installed = true;
  };
  Object.assign(self, { handbookCalculatorsStdlib: () => install(bytesNow(url)) });
  return async () => install(new Uint8Array(await bytes(url)));
}

/** @param {string} url */
function bytesNow(url) {
  const request = new XMLHttpRequest();
  request.open("GET", url, false);
  request.responseType = "arraybuffer";
  request.send();
  if (request.status !== 200) throw new Error(`${request.status} ${request.statusText} for ${url}`);
  return new Uint8Array(request.response);
}

/** @param {string} url */
async function bytes(url) {
  const response = await networkFetch(url);
  if (!response.ok) throw new Error(`${response.status} ${response.statusText} for ${url}`);
  return response.arrayBuffer();
}

// loadPyodide() fetches the stdlib and the wasm itself: boot() answers the one fetch() of
// each URL that loadPyodide() makes with a response of its own (fetched at once, or a
// stand-in). Any other fetch goes to the network as usual.
/** @type {Map<string, Promise<Response>>} URL -> the answer to loadPyodide()'s fetch of it */
const handedOver = new Map();
/** @param {string} url @param {Promise<Response>} response */
function handOver(url, response) {
  response.catch(() => {}); // loadPyodide() reports it
  handedOver.set(url, response);
  self.fetch = (resource, ...rest) => {
    const answer = handedOver.get(String(resource));
    if (!answer) return networkFetch(resource, ...rest);
    handedOver.delete(String(resource));
    return answer;
  };
}

// A start-up file as a stream of its bytes, counted as they arrive (meter) and expanded when
// stored compressed: with a `decoder` (the promise of fzstd's module), the plugin's `.zst`
// sibling, or the plain file if the deploy lacks it. zstd is recognised by its magic number,
// so a host that sends the .zst with Content-Encoding: zstd (which the browser undoes) is
// read right too.
/** @param {string} url @param {Promise<Fzstd> | null} decoder @returns {Promise<ReadableStream<Uint8Array>>} */
async function download(url, decoder) {
  let response = decoder ? await networkFetch(`${url}.zst`) : null;
  if (!response?.ok) response = await networkFetch(url);
  if (!response.ok || !response.body) throw new Error(`${response.status} ${response.statusText} for ${url}`);
  const reader = response.body.getReader();
  const read = async () => {
    const chunk = await reader.read();
    if (!chunk.done) meter.add(chunk.value.byteLength);
    return chunk;
  };
  const first = await read();
  /** @type {ReadableStream<Uint8Array>} */
  const body = new ReadableStream({
    start(controller) {
      if (first.done) controller.close();
      else controller.enqueue(first.value);
    },
    async pull(controller) {
      const { done, value } = await read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  const head = first.done || first.value.length < 4 ? null : first.value; // a network chunk is never that short
  const magic = head && new DataView(head.buffer, head.byteOffset).getUint32(0, true);
  if (magic !== ZSTD_MAGIC) return body;
  if (!decoder) throw new Error(`${url} is zstd-compressed and the site ships no decoder`);
  return expand(body, await decoder);
}

// zstd frames start with 0xFD2FB528 (little-endian); a wasm starts "\0asm", a snapshot "SNP2".
const ZSTD_MAGIC = 0xfd2fb528;

// A zstd stream expanded as it arrives, by fzstd's streaming decoder (browsers expand only
// gzip and deflate natively; zstd is smaller than gzip for some more of this thread's
// time: docs/performance.md compares them). A damaged stream errors the result.
/** @param {ReadableStream<Uint8Array>} compressed @param {Fzstd} fzstd */
function expand(compressed, { Decompress }) {
  /** @type {import("fzstd").Decompress} */
  let decompress;
  return compressed.pipeThrough(
    /** @type {TransformStream<Uint8Array, Uint8Array>} */ (new TransformStream({
      start(controller) {
        decompress = new Decompress((chunk) => chunk.length && controller.enqueue(chunk));
      },
      transform(chunk) {
        decompress.push(chunk);
      },
      flush() {
        decompress.push(new Uint8Array(0), true);
      },
    })),
  );
}

// The snapshot streamed straight into a zeroed copy of Pyodide's snapshot: `memory`
// settles once the header is in (loadPyodide() sizes things from it), `complete` once
// every page is in place; `fill(wasmMemory)` copies the pages the build left out because
// they hold just what instantiating the wasm puts there (call it right after
// instantiation, before any code ran). `stream` is the file's bytes (download(): expanded
// as they arrive when the site stores it compressed). The layout: SNAPSHOT_MAGIC
// (snapshot_format.js), written by build_snapshot.mjs's sparse().
/** @param {string} url @param {Promise<ReadableStream<Uint8Array>>} stream */
function streamSnapshot(url, stream) {
  /** @type {{ resolve: (memory: Uint8Array) => void, reject: (err: unknown) => void }} */
  let header = { resolve: () => {}, reject: () => {} };
  /** @type {Uint8Array | null} Pyodide's snapshot, once the header is in */
  let out = null;
  let start = 0, page = 0;
  let kept = new Uint32Array(0), asInstantiated = new Uint32Array(0);
  /** @type {Promise<Uint8Array>} */
  const memory = new Promise((resolve, reject) => (header = { resolve, reject }));
  const complete = (async () => {
    const reader = (await stream).getReader();
    let head = new Uint8Array(0); // the header, until all of it is in
    let k = 0, filled = 0; // the kept page being filled, and its bytes so far
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      let chunk = read.value;
      if (!out) {
        head = concat(head, chunk);
        const word = (/** @type {number} */ i) => new DataView(head.buffer).getUint32(4 * i, true);
        if (head.length >= 4 && word(0) !== SNAPSHOT_MAGIC) throw new Error("not a memory snapshot");
        if (head.length < 24) continue;
        const [length, keptCount, instantiatedCount] = [word(1), word(4), word(5)];
        [start, page] = [word(2), word(3)];
        const indices = 24 + 4 * (keptCount + instantiatedCount);
        if (head.length < indices + start) continue;
        const pages = new Uint32Array(head.slice(24, indices).buffer);
        [kept, asInstantiated] = [pages.subarray(0, keptCount), pages.subarray(keptCount)];
        out = new Uint8Array(length);
        out.set(head.subarray(indices, indices + start));
        header.resolve(out);
        chunk = head.subarray(indices + start);
      }
      for (let at = 0; at < chunk.length; ) {
        if (k >= kept.length) throw new Error("memory snapshot is damaged");
        if (!out) throw new Error("memory snapshot is damaged");
        const to = start + kept[k] * page;
        const size = Math.min(page, out.length - to);
        if (!(size > 0)) throw new Error("memory snapshot is damaged");
        const take = Math.min(size - filled, chunk.length - at);
        out.set(chunk.subarray(at, at + take), to + filled);
        at += take;
        filled += take;
        if (filled === size) [k, filled] = [k + 1, 0];
      }
    }
    if (!out || k !== kept.length) throw new Error(`memory snapshot is cut short or damaged: ${url}`);
  })();
  // A snapshot that fails after its header had already been handed to loadPyodide()
  // must still stop the start-up, before a half-filled memory is restored.
  complete.catch((err) => {
    if (out) failed(message(err));
    else header.reject(err); // loadPyodide() fails with it
  });
  const fill = (/** @type {WebAssembly.Memory} */ wasmMemory) => {
    if (!out) return; // the header is not in: the restore waits for it, then fails
    const instantiated = new Uint8Array(wasmMemory.buffer);
    for (const index of asInstantiated) {
      const from = index * page;
      if (from + page > instantiated.length) throw new Error("memory snapshot does not match the wasm");
      out.set(instantiated.subarray(from, from + page), start + from);
    }
  };
  return { memory, complete, fill };
}

/** @param {Uint8Array} a @param {Uint8Array} b */
function concat(a, b) {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

// loadPyodide() compiles the wasm only after it has loaded its own scripts and the
// snapshot; boot() starts the compile at once instead, and we hand that module to
// Pyodide by intercepting the one instantiateStreaming() call loadPyodide() makes (it
// has no option for a precompiled module). The compile stays in this worker, not on the
// page: Chromium reuses its cached optimised wasm code only for a main-thread compile,
// and reading that cache back is a long task on the page's main thread
// (v8.wasm.compileConsume), a freeze the reader could feel; with the memory snapshot,
// little wasm code runs before the first answer, so the baseline code is nearly as fast.
//
// `instantiated(instance)` runs as soon as the wasm is instantiated, before any of its
// code: the snapshot copies the wasm's initial memory there (see streamSnapshot()).
/**
 * @param {Promise<WebAssembly.Module>} compiling @param {string} wasmURL
 * @param {(instance: WebAssembly.Instance) => void} instantiated
 */
function useModule(compiling, wasmURL, instantiated) {
  const original = WebAssembly.instantiateStreaming;
  /** @type {typeof WebAssembly.instantiateStreaming} */
  const once = async (_source, imports) => {
    WebAssembly.instantiateStreaming = original;
    const module = await compiling.catch(() => null);
    try {
      // Our compile failed (e.g. a damaged .zst): one more try from the plain file, compiled
      // from its bytes (a host may serve it with a type a streaming compile refuses).
      if (!module) {
        const result = await WebAssembly.instantiate(await bytes(wasmURL), imports);
        instantiated(result.instance);
        return result;
      }
      const instance = await WebAssembly.instantiate(module, imports);
      instantiated(instance);
      return { module, instance };
    } catch (err) {
      // loadPyodide() only logs a failed instantiation and then never settles, so say so
      // now rather than leave the reader waiting for the page's timeout.
      failed(`wasm: ${message(err)}`);
      throw err;
    }
  };
  WebAssembly.instantiateStreaming = once;
}

// Answers asked for ahead of the reader's next key (calculators.js, guessNext()): one
// message for all of them; a request that fails is answered with null.
/** @param {Page} port @param {import("./protocol").Guess} message */
async function guess(port, { id, requests }) {
  let call;
  try {
    call = await booted;
  } catch {
    return;
  }
  if (!call) return;
  const responses = requests.map((request) => {
    try {
      return call(request);
    } catch {
      return null;
    }
  });
  port.postMessage({ type: "guesses", id, responses });
}

/** @param {Page} port @param {import("./protocol").Run} message */
async function run(port, { id, request }) {
  let call;
  try {
    call = await booted; // runs queue behind the boot, in the order they came
  } catch {
    return; // "failed" was already posted
  }
  if (!call) return; // no "init" came first: the page script never sends that
  try {
    port.postMessage({ type: "result", id, response: call(request) });
  } catch (err) {
    port.postMessage({ type: "result", id, error: message(err) });
  }
}
