"""What an export covers: everything, or some offices and matters."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scope:
    offices: frozenset[str] = frozenset()
    matters: frozenset[str] = frozenset()

    @property
    def everything(self) -> bool:
        return not self.offices and not self.matters

    def as_manifest(self) -> dict:
        if self.everything:
            return {"everything": True}
        return {
            "everything": False,
            "offices": sorted(self.offices),
            "matters": sorted(self.matters),
        }

    @classmethod
    def from_manifest(cls, scope: dict | None) -> Scope:
        scope = scope if isinstance(scope, dict) else {}
        if scope.get("everything", True):
            return cls()
        return cls(
            offices=frozenset(map(str, scope.get("offices") or [])),
            matters=frozenset(map(str, scope.get("matters") or [])),
        )
