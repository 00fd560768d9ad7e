"""The import architecture: layers point down, libraries stay apart, no module imports itself back.

The contracts live in pyproject.toml ([tool.importlinter]); grimp reads every import statement,
those inside functions included, so a deferred import cannot hide a crossed layer or a cycle.
"""

from __future__ import annotations

from pathlib import Path

import grimp
import pytest
from importlinter import api as importlinter_api
from importlinter import cli as importlinter_cli

import assistant

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
PACKAGES = ("assistant", "retrieval", "recsys", "finetune")


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    """The import graph of the project's packages, as they are in this checkout."""
    assert Path(assistant.__file__).resolve().is_relative_to(ROOT), "another checkout imported"
    return grimp.build_graph(*PACKAGES, cache_dir=None)


def find_cycle(graph: grimp.ImportGraph) -> list[str]:
    """One import cycle as a list of modules (first == last), or [] when there is none."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for root in sorted(graph.modules):
        if root in state:
            continue
        state[root] = 1
        path, todo = [root], [iter(sorted(graph.find_modules_directly_imported_by(root)))]
        while todo:
            nxt = next(todo[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                todo.pop()
            elif state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            elif nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                todo.append(iter(sorted(graph.find_modules_directly_imported_by(nxt))))
    return []


def test_import_contracts_are_kept(capsys):
    code = importlinter_cli.lint_imports(
        config_filename=str(PYPROJECT), no_cache=True, no_logo=True
    )
    assert code == 0, capsys.readouterr().out


def test_no_import_cycles(graph):
    cycle = find_cycle(graph)
    assert not cycle, "import cycle: " + " -> ".join(cycle)


def test_the_cycle_finder_finds_a_planted_cycle():
    planted = grimp.ImportGraph()
    for importer, imported in [("p.a", "p.b"), ("p.b", "p.c"), ("p.c", "p.a"), ("p.d", "p.a")]:
        planted.add_import(importer=importer, imported=imported)
    assert find_cycle(planted) == ["p.a", "p.b", "p.c", "p.a"]


def test_every_module_has_a_layer(graph):
    """A new module is placed in a layer (or it would be free to import anything)."""
    config = importlinter_api.read_configuration(str(PYPROJECT))
    contract = next(c for c in config["contracts_options"] if c["id"] == "layers")
    placed = {
        name.strip() for layer in contract["layers"] for name in layer.replace("|", ":").split(":")
    }
    loose = []
    for module in sorted(m for m in graph.modules if m.split(".")[0] == "assistant"):
        parts = module.split(".")
        if any(".".join(parts[:i]) in placed for i in range(1, len(parts) + 1)):
            continue
        # a bare package (__init__ with no project imports) groups modules and crosses nothing
        if graph.find_children(module) and not graph.find_modules_directly_imported_by(module):
            continue
        loose.append(module)
    assert not loose, f"modules in no layer of pyproject.toml's 'layers' contract: {loose}"
