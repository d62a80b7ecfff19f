"""3. Write: generated/ as folders of files, replaced atomically, and drift against it.

`tree` writes and reads the generated tree (one folder per app and environment plus the
delivery folders), keeps its state for fast drift checks and recovers from killed runs.
"""
