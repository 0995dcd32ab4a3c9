"""教职工退休一件事: one application, several offices (shared/reference/one_things.yaml)."""
