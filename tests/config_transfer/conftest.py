"""Configuration-transfer fixtures: a second, empty instance run by ``manage.py``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


class Instance:
    """Another instance of the platform: its own VAR_DIR, SQLite databases, media and broker."""

    def __init__(self, var_dir: Path) -> None:
        self.var_dir = var_dir
        self.env = {
            key: value
            for key, value in os.environ.items()
            if key
            not in {"DATABASE_URL", "WAREHOUSE_DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL"}
        }
        self.env.update(
            {
                "VAR_DIR": str(var_dir),
                "PYTHONPATH": str(ROOT),
                "DJANGO_SETTINGS_MODULE": "config.settings",
            }
        )

    def manage(self, *args: str, check: bool = True, env: dict | None = None):
        result = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *args],
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
            )
        return result


@pytest.fixture(scope="session")
def empty_instance(tmp_path_factory) -> Instance:
    """A freshly migrated instance with nothing configured (migrations only)."""
    instance = Instance(tmp_path_factory.mktemp("second-instance"))
    instance.manage("migrate", "--noinput", "-v", "0")
    instance.manage("migrate", "--database", "warehouse", "--noinput", "-v", "0")
    return instance
