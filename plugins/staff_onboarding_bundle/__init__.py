"""教职工入职一件事: one application, several offices (shared/reference/one_things.yaml)."""
