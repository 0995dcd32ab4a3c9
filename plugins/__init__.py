"""Office workflow plugins: one Django app per office workflow (DESIGN.md §4).

Empty until the plugin contract lands (issue "Applying and processing").
"""
