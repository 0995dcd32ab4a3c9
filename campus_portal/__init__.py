"""The core of the platform: catalog, applications, plugin contract, workbench, dashboard, API.

One Django app per capability lives below this package (``catalog``, ``api``, ``common`` …).
"""
