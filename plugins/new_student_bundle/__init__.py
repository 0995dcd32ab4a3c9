"""新生入学一件事: one application, several offices (shared/reference/one_things.yaml)."""
