"""The sample atlas's own tests (a package, so that its conftest is `sample.conftest` and leaves
`import conftest` to tests/conftest.py)."""
