// What the worker and the build's snapshot maker (build_snapshot.mjs) must agree on.
// Inlined into worker.js when the site is built (assets.py, linked()); imported by the
// build script under Node.

/** Where the calculators package is unpacked in Pyodide's file system (first on sys.path). */
export const PACKAGE_DIR = "/home/pyodide/handbook";

/**
 * The first word of a shipped snapshot file ("SNP2", little-endian). The layout after it:
 * uint32 LE snapshot length, header length, page size, K pages kept, W pages as
 * instantiated, then K + W page indices; Pyodide's header; the kept pages' bytes in order.
 */
export const SNAPSHOT_MAGIC = 0x32504e53;
