"""What is wrong with an imported file, located by row and column.

The classes live in :mod:`platform_common.tabular` so every importer reports problems the
same way; this module keeps the names the catalog code has always imported.
"""

from __future__ import annotations

from platform_common.tabular import ImportProblem, ImportRejected

__all__ = ["ImportProblem", "ImportRejected"]
