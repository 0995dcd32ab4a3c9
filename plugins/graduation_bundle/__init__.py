"""毕业生离校一件事: one application, several offices (shared/reference/one_things.yaml)."""
