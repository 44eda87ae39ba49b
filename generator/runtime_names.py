"""The names the runtime exports, as the generator knows them: read from the runtime's own `__all__`.

`generator/runtime/__init__.py` holds the one list, in four literal parts (`__all__ = [...]`, then three
`__all__ += [...]`) that type checkers read as they are: the names only generated code uses, those every
package re-exports for its users, those a package with WebSocket sessions adds, and those a package that
verifies webhooks adds. The file is parsed, not imported: importing the runtime would load httpx and
pydantic into every run of the generator.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache

from .locations import RUNTIME_DIR


@dataclass(frozen=True)
class RuntimeNames:
    internal: tuple[str, ...]  # imported by generated code, not re-exported by a package
    public: tuple[str, ...]  # re-exported at the root of every package
    sessions: tuple[str, ...]  # re-exported by a package with WebSocket sessions
    webhooks: tuple[str, ...]  # re-exported by a package that verifies webhooks

    @property
    def all(self) -> frozenset[str]:
        return frozenset((*self.internal, *self.public, *self.sessions, *self.webhooks))


@cache
def runtime_names() -> RuntimeNames:
    """The four parts of the runtime's `__all__`, in the order its `__init__.py` writes them."""
    path = RUNTIME_DIR / "__init__.py"
    parts: list[tuple[str, ...]] = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign):
            target: ast.expr = node.targets[0]
        elif isinstance(node, ast.AugAssign):
            target = node.target
        else:
            continue
        if isinstance(target, ast.Name) and target.id == "__all__":
            parts.append(tuple(ast.literal_eval(node.value)))
    if len(parts) != 4:
        raise RuntimeError(f"{path}: __all__ must be written in four parts, found {len(parts)}")
    return RuntimeNames(*parts)
