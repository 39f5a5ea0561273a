"""Put first on sys.meta_path in the memory snapshot (build_snapshot.mjs); runs in the browser.

The worker restores the snapshot with an empty stand-in for the standard library's zip
and reads the real one after the first answers (worker.js, installStdlib()). Before any
import the restored memory cannot serve, this finder has the worker install the zip
there and then, and steps aside: from then on the usual finders, with the whole stdlib.
``handbookCalculatorsStdlib`` is looked up when needed, in the worker's global scope
(Pyodide's ``js`` module), so the snapshot holds no reference to JavaScript.
"""

import sys


class StdlibFirst:
    def find_spec(self, name, path=None, target=None):
        sys.meta_path.remove(self)
        import js  # Pyodide's module for the worker's globals, always loaded

        js.handbookCalculatorsStdlib()


sys.meta_path.insert(0, StdlibFirst())
del StdlibFirst
