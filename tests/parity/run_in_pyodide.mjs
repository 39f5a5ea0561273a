// Runs input vectors through the calculators package inside real Pyodide under Node.
// Usage: node run_in_pyodide.mjs <calculators.zip> <vectors.json>  -> JSON list of run() outputs on stdout.
// The package arrives exactly as the browser gets it: one zip, unpacked into site-packages.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

const { loadPyodide } = await import(pathToFileURL(path.resolve("node_modules/pyodide/pyodide.mjs")).href);

const [zipPath, vectorsPath] = process.argv.slice(2);
const pyodide = await loadPyodide({ stdout: () => {}, stderr: (line) => process.stderr.write(line + "\n") });
const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
pyodide.unpackArchive(new Uint8Array(await readFile(zipPath)), "zip", { extractDir: sitePackages });
const call = pyodide.pyimport("calculators.browser").call;
const vectors = JSON.parse(await readFile(vectorsPath, "utf8"));
const outputs = vectors.map((vector) => JSON.parse(call(JSON.stringify(vector))).output);
process.stdout.write(JSON.stringify({ python: pyodide.runPython("import sys; sys.version"), outputs }));
