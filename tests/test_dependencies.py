"""``pyproject.toml`` says what the code uses: every third-party import is declared.

The package's runtime code may import only ``[project] dependencies``; the tests (``tests/``,
the package's own ``tests`` folders) and ``benchmarks/`` may also use the ``dev`` extra. A
declared runtime dependency nothing imports must say why it is there (:data:`NOT_IMPORTED`).
Pure Python: the sources are parsed, nothing is imported, no Neo4j.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from collections.abc import Iterable
from functools import cache
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

from graphcoord.config import PROJECT_ROOT

FIRST_PARTY = frozenset({"graphcoord", "tests", "benchmarks", "__future__"})

#: Runtime dependencies that work without an import of their own, and why they are declared.
NOT_IMPORTED = {
    "neo4j-rust-ext": "the driver's Bolt decoding in Rust, picked up by `neo4j` itself",
    "httptools": "uvicorn's HTTP parser, picked up by uvicorn",
    "uvloop": "uvicorn's event loop, picked up by uvicorn",
    "python-multipart": "starlette's request.form() and strawberry's multipart uploads",
}


def normalized(name: str) -> str:
    """A distribution name as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(requirement: str) -> str:
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    assert match, requirement
    return normalized(match.group(1))


@cache
def declared() -> tuple[frozenset[str], frozenset[str]]:
    """The runtime dependencies and the ``dev`` extra of ``pyproject.toml``."""
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    project = project["project"]
    runtime = frozenset(requirement_name(r) for r in project["dependencies"])
    dev = frozenset(requirement_name(r) for r in project["optional-dependencies"]["dev"])
    return runtime, dev


def is_test_code(path: Path) -> bool:
    return "tests" in path.parts or path.name.startswith("test_") or path.name == "conftest.py"


def top_level_imports(paths: Iterable[Path]) -> dict[str, list[str]]:
    """Third-party top-level module → the files importing it (lazy imports included)."""
    found: dict[str, list[str]] = {}
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.partition(".")[0]
                if top in sys.stdlib_module_names or top in FIRST_PARTY:
                    continue
                found.setdefault(top, []).append(str(path.relative_to(PROJECT_ROOT)))
    return found


def sources(folder: str) -> list[Path]:
    return sorted((PROJECT_ROOT / folder).rglob("*.py"))


RUNTIME_IMPORTS = top_level_imports(p for p in sources("graphcoord") if not is_test_code(p))
TEST_IMPORTS = top_level_imports(
    [
        *(p for p in sources("graphcoord") if is_test_code(p)),
        *sources("tests"),
        *sources("benchmarks"),
    ]
)


def distributions(module: str) -> set[str]:
    return {normalized(name) for name in packages_distributions().get(module, [])}


@pytest.mark.parametrize("module", sorted(RUNTIME_IMPORTS), ids=sorted(RUNTIME_IMPORTS))
def test_every_import_of_the_runtime_code_is_a_declared_dependency(module: str) -> None:
    runtime, _ = declared()
    provided_by = distributions(module)
    assert provided_by, f"{module} (imported by {RUNTIME_IMPORTS[module]}) is not installed"
    assert provided_by & runtime, (
        f"{module} is imported by {RUNTIME_IMPORTS[module]} but none of {sorted(provided_by)} "
        "is in [project] dependencies of pyproject.toml"
    )


@pytest.mark.parametrize("module", sorted(TEST_IMPORTS), ids=sorted(TEST_IMPORTS))
def test_every_import_of_the_tests_and_benchmarks_is_declared(module: str) -> None:
    runtime, dev = declared()
    provided_by = distributions(module)
    assert provided_by, f"{module} (imported by {TEST_IMPORTS[module]}) is not installed"
    assert provided_by & (runtime | dev), (
        f"{module} is imported by {TEST_IMPORTS[module]} but none of {sorted(provided_by)} "
        "is in the dependencies or the dev extra of pyproject.toml"
    )


def test_every_runtime_dependency_is_imported_or_says_why_not() -> None:
    runtime, _ = declared()
    imported = {dist for module in RUNTIME_IMPORTS for dist in distributions(module)}
    assert sorted(runtime - imported - set(NOT_IMPORTED)) == []
    assert sorted(set(NOT_IMPORTED) - runtime) == [], "NOT_IMPORTED names an undeclared one"


def test_the_scan_sees_the_package() -> None:
    """The scan itself works: it finds imports known to be there, and only outside stdlib."""
    assert {"neo4j", "networkx", "strawberry"} <= set(RUNTIME_IMPORTS)
    assert "pytest" in TEST_IMPORTS
    assert not {"os", "json", "graphcoord"} & (set(RUNTIME_IMPORTS) | set(TEST_IMPORTS))
