// Precompile Pyodide's standard library to .pyc, so the browser does not compile
// the stdlib modules it imports from source at every start (the npm zip has no
// .pyc). The compile runs *inside Pyodide under Node*, so the bytecode matches the
// browser's Python 3.14 exactly and no host Python 3.14 is needed.
//
// Usage (from the project root, after `npm ci`):
//   node plugins/handbook_calculators/build_stdlib.mjs OUT.zip [--all] [MODULE ...]
// The MkDocs plugin runs it once per Pyodide version and caches the result in
// node_modules/.cache/handbook-calculators/ (see assets.py, precompiled_stdlib).
// By default only the modules Pyodide imports at start-up, plus COMMON below and any
// MODULE named (with everything they import), are compiled: that is all a page needs,
// and a .pyc is bigger than its zipped source, so compiling only those keeps the
// download small (--all gains nothing a page uses).
// Modules left as source still work; they are just compiled when first imported.
// --all compiles every module.
// Then ship OUT.zip as `python_stdlib.zip` in the self-hosted Pyodide directory
// (replacing the stock file; no loadPyodide option is needed), or pass its URL as
// `stdLibURL`. Same input, same output: entry dates are copied from the stock zip,
// so the file's content hash is stable across builds.
//
// What changes: each `x.py` becomes `x.pyc` (unchecked-hash pyc: zipimport loads it
// without looking for a source). Files that do not compile and non-.py files are
// copied unchanged. Tracebacks through the stdlib show no source lines.

import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

// Stdlib modules a calculators package is likely to import (cheap to include).
const COMMON = ["json", "decimal", "datetime", "dataclasses", "enum", "re", "typing",
  "fractions", "math", "functools", "statistics", "collections", "itertools", "string",
  "textwrap", "calendar", "zoneinfo",
  "encodings.cp437"]; // read by unpackArchive (zipfile) when the worker unpacks the package

const [out, ...rest] = process.argv.slice(2);
if (!out || out.startsWith("-")) {
  console.error("usage: node build_stdlib.mjs OUT.zip [--all] [MODULE ...]");
  process.exit(2);
}
const all = rest.includes("--all");
const modules = [...COMMON, ...rest.filter((a) => a !== "--all")];

// PYODIDE_DIR (the MkDocs plugin sets it) picks the npm package; else Node's resolution.
const pyodideDir = process.env.PYODIDE_DIR
  ? resolve(process.env.PYODIDE_DIR)
  : dirname(createRequire(import.meta.url).resolve("pyodide/package.json"));
const { loadPyodide } = await import(pathToFileURL(join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ stdout: () => {}, stderr: (line) => console.error(line) });

pyodide.FS.writeFile("/tmp/in.zip", readFileSync(join(pyodideDir, "python_stdlib.zip")));
pyodide.globals.set("ALL", all);
pyodide.globals.set("MODULES", pyodide.toPy(modules));
const report = pyodide.runPython(`
import importlib, importlib.util, sys, zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

# The path zipimport gives these modules at run time, so co_filename matches.
archive = next(p for p in sys.path if p.endswith(".zip"))
for name in MODULES:
    importlib.import_module(name)
wanted = {m.__file__[len(archive) + 1:] for m in list(sys.modules.values())
          if (getattr(m, "__file__", None) or "").startswith(archive + "/")}
compiled = kept = 0
with zipfile.ZipFile("/tmp/in.zip") as zin, \\
     zipfile.ZipFile("/tmp/out.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zout:
    for info in zin.infolist():
        data = zin.read(info)
        if info.filename.endswith(".py") and (ALL or info.filename in wanted):
            try:
                code = compile(data, f"{archive}/{info.filename}", "exec", dont_inherit=True)
            except SyntaxError:
                kept += 1
            else:
                data = bytes(_code_to_hash_pyc(code, importlib.util.source_hash(data), checked=False))
                info = zipfile.ZipInfo(info.filename + "c", info.date_time)
                compiled += 1
        info.compress_type = zipfile.ZIP_DEFLATED
        zout.writestr(info, data)
f"{compiled} modules compiled, {kept} did not compile (left as source)"
`);
writeFileSync(out, pyodide.FS.readFile("/tmp/out.zip"));
console.log(`${out}: ${report}`);
