"""Moving the configuration between instances (test → production): a versioned archive of
natural-keyed JSON files, a dry-run diff, and an all-or-nothing import
(docs/configuration-transfer.md)."""
