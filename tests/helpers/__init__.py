"""What the tests share: paths, real stores, the CLI, the demo-like documents, terminals.

A test module imports shared code from here and from nowhere else (no test module imports
another test module or a conftest; tests/test_layout.py checks it). Fixtures live in the
conftest.py files and call these helpers."""
