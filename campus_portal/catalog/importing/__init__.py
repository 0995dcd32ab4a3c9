"""Reading a micro-power list (小微权力清单) into the catalog.

The path of a file: ``reading`` (bytes → header + raw rows; encoding, size, title rows),
``rows`` (raw rows → validated ``PowerItemRow``s, or problems naming row and column),
``plan`` (rows → what would be created, changed, left alone). The only entry point other code
uses is ``campus_portal.catalog.services.power_list_import``, which applies a plan in one
transaction — a file with any problem imports nothing.
"""
