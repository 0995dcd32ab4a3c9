"""The central data warehouse: persons, org units, student and staff records, the data catalog,
grants, consents and the access log (DESIGN.md §3, issue "The central data warehouse").

Other parts of the platform use only ``data_warehouse.services`` (writes, and the one read call
plugins use) and ``data_warehouse.selectors`` (reads for people and stewards). The models live
in their own database alias, ``warehouse`` (see ``router.py``), so that the warehouse can move
to its own server; nothing outside this package may import them.
"""
