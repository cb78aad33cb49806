"""The layering rules of the package, checked on the source: lower layers never import higher ones."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from support import REPO

PACKAGE = REPO / "qtiexport"

# rank of each top-level part of the package: a module may import only from a lower or equal rank
# (equal only inside one part, e.g. reader/build.py from reader/jsontext.py).
RANKS = {
    "_version": 0,
    "errors": 0,
    "_xml": 0,
    "ids": 0,
    "_processes": 0,
    "model": 1,
    "scoring": 2,
    "reader": 2,
    "packaging": 2,
    "targets": 3,
    "api": 5,
    "__init__": 5.5,  # re-exports only
    "cli": 6,
    "__main__": 7,
}


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def part_of(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def imported_parts(path: Path) -> set[str]:
    """Return the top-level parts of qtiexport that `path` imports (relative or absolute)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package_parts = list(path.relative_to(PACKAGE).parent.parts)
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package_parts[: len(package_parts) - (node.level - 1)] if node.level > 1 else package_parts
                target = base + (node.module.split(".") if node.module else [])
                if target:
                    out.add(target[0])
                else:
                    out.update(alias.name for alias in node.names)
            elif node.module and node.module.split(".")[0] == "qtiexport":
                parts = node.module.split(".")[1:]
                out.add(parts[0] if parts else "__init__")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "qtiexport":
                    out.add(parts[1] if len(parts) > 1 else "__init__")
    return out


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_imports_only_lower_layers(path):
    own = part_of(path)
    for part in imported_parts(path):
        if part == own:
            continue
        assert RANKS[part] < RANKS[own], f"{path.relative_to(REPO)} (rank {RANKS[own]}) imports {part} (rank {RANKS[part]})"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_opens_with_a_docstring(path):
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    assert docstring and docstring.strip(), f"{path.relative_to(REPO)} has no module docstring"


def test_target_subpackages_do_not_import_each_other():
    for path in (PACKAGE / "targets").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        own = path.relative_to(PACKAGE / "targets").parts[0]
        for other in ("qti21", "scorm12"):
            if other != own and own not in ("__init__.py",):
                assert f".{other}" not in text and f"targets.{other}" not in text, (path, other)


@pytest.mark.parametrize("path", [p for p in modules() if p.name != "cli.py"], ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_the_cli_uses_click_prints_or_exits(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] + ([node.module] if isinstance(node, ast.ImportFrom) and node.module else [])
            assert not any(n.split(".")[0] == "click" for n in names), path
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id not in ("print", "exit", "quit"), (path, node.func.id)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name):
            assert (node.func.value.id, node.func.attr) != ("sys", "exit"), path
