"""Documentation generated from the code and the examples (checked by tests, so it never drifts)."""
