"""The shape of `generator/`: no import cycle (counting imports inside functions and under
`TYPE_CHECKING`), no module importing another module's private (`_`) name, no module over 400 lines.

The runtime (`generator/runtime/`) is a package of its own whose `_` modules are its public layout; a
runtime module may import from them, and anyone may import the runtime's `_` modules by name.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

GENERATOR = ROOT / "generator"
RUNTIME = "generator.runtime"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, ast.Module]:
    return {
        _module_name(p): ast.parse(p.read_text(encoding="utf-8")) for p in sorted(GENERATOR.rglob("*.py"))
    }


def _resolve(module: str, is_package: bool, level: int, target: str | None) -> str:
    """The absolute name of `from <level dots><target> import ...` written in `module`."""
    if level == 0:
        return target or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, *([target] if target else [])])


def _imports(modules: dict[str, ast.Module]) -> list[tuple[str, str, str | None]]:
    """(importer, imported module, imported name or None) for every import statement, at any depth."""
    packages = {_module_name(p) for p in GENERATOR.rglob("__init__.py")}
    found: list[tuple[str, str, str | None]] = []
    for name, tree in modules.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found += [(name, alias.name, None) for alias in node.names if alias.name in modules]
            elif isinstance(node, ast.ImportFrom):
                source = _resolve(name, name in packages, node.level, node.module)
                for alias in node.names:
                    submodule = f"{source}.{alias.name}"
                    if submodule in modules:  # `from . import model`: the module itself
                        found.append((name, submodule, None))
                    elif source in modules:
                        found.append((name, source, alias.name))
    return found


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of `graph` (its modules in order, the first repeated at the end), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)) is not None:
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)) is not None:
            return found
    return None


def test_the_generator_has_no_import_cycle() -> None:
    graph: dict[str, set[str]] = {}
    for importer, imported, _ in _imports(_modules()):
        graph.setdefault(importer, set()).add(imported)
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])


def test_no_module_imports_another_modules_private_name() -> None:
    violations = []
    for importer, imported, name in _imports(_modules()):
        runtime = imported == RUNTIME or imported.startswith(RUNTIME + ".")
        private = name is not None and name.startswith("_") and not name.startswith("__")
        if private and not runtime:
            violations.append(f"{importer} imports {name} from {imported}")
    assert violations == []


def test_the_checks_see_function_level_imports() -> None:
    """The graph counts an import inside a function (`parse` resolves `$ref`s through `load` so)."""
    found = _imports(_modules())
    assert ("generator.parse.operations", "generator.load", "resolve_pointer") in found
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


MAX_LINES = 400


def test_no_generator_module_is_over_the_size_limit() -> None:
    # past a few hundred lines a module is usually two things; the limit makes the split happen
    sizes = {
        str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines())
        for p in GENERATOR.rglob("*.py")
    }
    assert {path: n for path, n in sizes.items() if n > MAX_LINES} == {}
