"""Chinese catalog search that behaves the same on SQLite and PostgreSQL.

``tokens`` turns text into index tokens and queries into required tokens (pure functions);
``index`` writes a matter's tokens; ``query`` finds matters. Why tokens and not the databases'
full-text search: see ``campus_portal/catalog/models/search_index.py`` and docs/search.md.
"""
