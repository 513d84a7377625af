"""Imports run one way: from the CLI down to the data, never back up, and no file imports itself in a circle.

The layers, bottom to top (issue 14): data (the parameter table, the citizens' state, the
random streams, the sectors, the compiler's settings, the shocks' definitions and the
scenario schema) -> mechanisms (the other model/ modules) -> agents -> the Mesa model that
composes them -> scenarios' loading (files, presets, `simulate`) -> experiments ->
dashboard -> CLI. A module may import its own layer or lower ones. A package's
`__init__.py` sits at its package's lowest layer: what it imports at import time must be
as low; a lazy `__getattr__` may reach higher. Imports under `if TYPE_CHECKING:` do not
run and are not counted.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHECKED = ("model", "agents", "scenarios", "experiments", "dashboard")

DATA, MECHANISMS, AGENTS, MODEL, LOADING, EXPERIMENTS, DASHBOARD, CLI = range(8)
LAYER_NAMES = ["data", "mechanisms", "agents", "the Mesa model", "scenarios' loading", "experiments", "dashboard", "CLI"]

EXPLICIT = {
    "model/__init__.py": DATA,
    "model/parameters.py": DATA,
    "model/state.py": DATA,
    "model/streams.py": DATA,
    "model/sectors.py": DATA,
    "model/jit.py": DATA,
    "model/model.py": MODEL,
    "scenarios/__init__.py": DATA,
    "scenarios/shocks.py": DATA,
    "scenarios/schema.py": DATA,
    "scenarios/claims.py": DATA,
    "anomie/cli.py": CLI,
    "anomie/__init__.py": DATA,  # the namespace every module sits in: imports nothing at import time (lazy API)
}
BY_FOLDER = {"model": MECHANISMS, "agents": AGENTS, "scenarios": LOADING, "experiments": EXPERIMENTS, "dashboard": DASHBOARD}


def layer(rel: str) -> int:
    if rel in EXPLICIT:
        return EXPLICIT[rel]
    return BY_FOLDER[rel.split("/")[0]]


def project_files() -> list[str]:
    files = ["anomie/__init__.py", "anomie/cli.py"]
    for folder in CHECKED:
        files += sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / folder).rglob("*.py"))
    return files


def module_file(dotted: str) -> str | None:
    """The project file a dotted module name is, or None for a library."""
    parts = dotted.split(".")
    if parts[0] != "anomie":
        return None  # a library (the project's folders are installed as anomie.model, ...)
    if len(parts) == 1 or parts[1] == "cli":
        return "anomie/cli.py" if parts[1:] == ["cli"] else "anomie/__init__.py"
    parts = parts[1:]
    if parts[0] not in CHECKED:
        return None
    base = ROOT.joinpath(*parts)
    if base.with_suffix(".py").is_file():
        return base.with_suffix(".py").relative_to(ROOT).as_posix()
    if (base / "__init__.py").is_file():
        return (base / "__init__.py").relative_to(ROOT).as_posix()
    return None


def _is_type_checking(node: ast.If) -> bool:
    t = node.test
    return (isinstance(t, ast.Name) and t.id == "TYPE_CHECKING") or (isinstance(t, ast.Attribute) and t.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST, lazy_ok: bool):
    """Import nodes that run: skip `if TYPE_CHECKING:` blocks, and function bodies when lazy_ok."""
    stack = [tree]
    while stack:
        node = stack.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                stack.extend(child.orelse)
                continue
            if lazy_ok and isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                yield child
            stack.append(child)


def imported_files(rel: str) -> set[str]:
    """Every project file `rel` imports (each package on the way is imported too)."""
    path = ROOT / rel
    tree = ast.parse(path.read_text(), filename=rel)
    package = rel.split("/")[:-1]
    # a module's own packages are imported before it: not an edge
    own = {"/".join(package[:i]) + "/__init__.py" for i in range(1, len(package) + 1)}
    found: set[str] = set()

    def add(dotted: str) -> None:
        parts = dotted.split(".")
        for i in range(1, len(parts) + 1):
            f = module_file(".".join(parts[:i]))
            if f is not None and f != rel and f not in own:
                found.add(f)

    for node in _imports(tree, lazy_ok=rel.endswith("__init__.py")):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name)
            continue
        if node.level:
            base = package[: len(package) - node.level + 1]
            if base and base[0] != "anomie":
                base = ["anomie", *base]  # a module of the model folder is anomie.model.<name> once installed
            dotted = ".".join(base + ([node.module] if node.module else []))
        else:
            dotted = node.module or ""
        add(dotted)
        for alias in node.names:  # `from package import module`
            sub = module_file(f"{dotted}.{alias.name}")
            if sub is not None and sub.endswith(f"{alias.name}.py") and sub != rel and sub not in own:
                found.add(sub)
    return found


GRAPH = {rel: imported_files(rel) for rel in project_files()}


def test_the_layers_cover_every_checked_file():
    assert len(GRAPH) > 60
    assert all(layer(rel) in range(8) for rel in GRAPH)


@pytest.mark.parametrize("rel", sorted(GRAPH))
def test_no_file_imports_a_higher_layer(rel):
    upward = sorted(f"{dep} ({LAYER_NAMES[layer(dep)]})" for dep in GRAPH[rel] if layer(dep) > layer(rel))
    assert not upward, f"{rel} ({LAYER_NAMES[layer(rel)]}) imports a higher layer: {', '.join(upward)}"


def test_no_cycles_between_files():
    # Tarjan's strongly connected components over the import graph
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    cycles: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH.get(v, ()):
            if w not in GRAPH:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    assert not cycles, f"files importing each other in a circle: {cycles}"


def test_the_check_sees_an_upward_import(tmp_path):
    """The AST walk finds plain, relative, package and in-function imports (so it can fail)."""
    src = ("from .run import x\nimport anomie.agents.citizen\nfrom anomie.model import referral\n\ndef f():\n"
           "    from anomie.scenarios.loading import y\n")
    tree = ast.parse(src)
    names = []
    for node in _imports(tree, lazy_ok=False):
        names.append(node.module if isinstance(node, ast.ImportFrom) else node.names[0].name)
    assert names.count("anomie.scenarios.loading") == 1 and "anomie.agents.citizen" in names and "anomie.model" in names
    assert not any(n == "anomie.scenarios.loading" for n in
                   (getattr(x, "module", None) for x in _imports(tree, lazy_ok=True)))
