"""What a plugin says about itself — name, version, the core versions it works with — checked
when Django starts (after pretix's ``PretixPluginMeta``).

Every app under ``plugins.`` declares an inner ``class PluginMeta`` on its ``AppConfig`` with
``name``, ``version`` (PEP 440, e.g. "1.2") and ``compatibility`` (the core versions it works
with, a PEP 440 range such as ">=1.0,<2"); ``author`` and ``description`` are optional. It is a
plain class, not an import: an ``apps.py`` is read before any model exists, and the plugin
contract's package reads models. A plugin without it, with a malformed version or range, or
written for another version of this contract stops the start-up with a message naming the
plugin and what to change: a plugin that does not fit the core must not half-work in front of
applicants.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ImproperlyConfigured
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

# The version of the plugin contract (this package); a plugin names the range it works with.
# Raise the major number when a change would break existing plugins.
CORE_VERSION = "1.0"
PLUGIN_PACKAGE = "plugins."


def plugin_meta_problems(app_config, *, core_version: str = CORE_VERSION) -> list[str]:
    """What is wrong with one plugin's metadata (empty when it fits ``core_version``)."""
    meta = getattr(app_config, "PluginMeta", None)
    if meta is None:
        return ["no PluginMeta (name, version, compatibility) on its AppConfig"]
    name, version, compatibility = (
        str(getattr(meta, field, "") or "") for field in ("name", "version", "compatibility")
    )
    problems = []
    if not name.strip():
        problems.append("PluginMeta.name is missing")
    try:
        Version(version)
    except InvalidVersion:
        problems.append(f"PluginMeta.version {version!r} is not a version like '1.0'")
    try:
        compatible = SpecifierSet(compatibility)
    except InvalidSpecifier:
        problems.append(
            f"PluginMeta.compatibility {compatibility!r} is not a range like '>=1.0,<2'"
        )
    else:
        if not str(compatible):
            problems.append("PluginMeta.compatibility is missing")
        elif Version(core_version) not in compatible:
            problems.append(f"written for core {compatibility}, this core is {core_version}")
    return problems


def plugins_verify(app_configs: Iterable, *, core_version: str = CORE_VERSION) -> None:
    """Raise ``ImproperlyConfigured`` naming every installed plugin that does not fit."""
    problems = [
        f"{config.name}: {problem}"
        for config in app_configs
        if config.name.startswith(PLUGIN_PACKAGE)
        for problem in plugin_meta_problems(config, core_version=core_version)
    ]
    if problems:
        raise ImproperlyConfigured("Plugins that do not fit this core:\n" + "\n".join(problems))
