"""The matter catalog: offices, the micro-power list, matter guide pages and Chinese search.

Start with ``models/`` (what is stored), then ``importing/`` (how the list gets in),
``services.py`` (writes) and ``selectors.py`` (reads).
"""
