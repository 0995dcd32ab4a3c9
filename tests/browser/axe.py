"""axe-core in the session's Chromium: serious and critical violations of a page.

axe.min.js is installed by the Makefile (``make test``: the npm package at a pinned version
and checksum) into var/vendor/; ``AXE_JS`` names it. It is never committed.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = ROOT / "var" / "vendor" / "axe-core-4.10.3" / "axe.min.js"


@cache
def _source() -> str:
    path = Path(os.environ.get("AXE_JS") or DEFAULT)
    if not path.exists():
        raise AssertionError(f"axe-core is not installed at {path}: run `make test` once")
    return path.read_text()


def axe_violations(browser) -> list[str]:
    """Serious/critical WCAG 2 A/AA violations of the page shown now, as readable lines."""
    browser.execute_script(_source())
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice']})"
        ".then(r => done(r.violations.filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => v.id + ': ' + v.help + ' — ' + v.nodes.map(n => n.target.join(' '))"
        ".slice(0, 3).join(', '))))"
        ".catch(e => done(['axe failed: ' + e]));"
    )
    return list(result)
