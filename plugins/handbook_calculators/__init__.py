"""MkDocs plugin that turns ```calculator``` blocks into live, Pyodide-backed forms."""
