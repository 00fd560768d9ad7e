"""The import architecture: layers point down, libraries stay apart, no module imports itself back.

The contracts live in pyproject.toml ([tool.importlinter]); grimp reads every import statement,
those inside functions included, so a deferred import cannot hide a crossed layer or a cycle.
"""

from __future__ import annotations

import ast
import logging
import logging.config
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import grimp
import pytest
from importlinter import api as importlinter_api
from importlinter import cli as importlinter_cli

import assistant

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
PACKAGES = ("assistant", "retrieval", "recsys", "finetune", "analytics")
MAX_DEFERRED_IMPORTS = 40  # issue 12: fewer than this, each for a dependency's cost or absence


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


@contextmanager
def logging_kept() -> Iterator[None]:
    """Undo what import-linter's CLI does to the process: its logging.config.dictConfig disables
    every existing logger (a caplog test run later would capture nothing) and replaces the
    handlers of its own loggers; it also puts the working directory first on sys.path."""
    loggers = [logging.getLogger()] + [
        lg for lg in logging.Logger.manager.loggerDict.values() if isinstance(lg, logging.Logger)
    ]
    saved = [(lg, lg.disabled, lg.level, list(lg.handlers), lg.propagate) for lg in loggers]
    path = list(sys.path)
    try:
        yield
    finally:
        sys.path[:] = path
        for lg, disabled, level, handlers, propagate in saved:
            lg.disabled, lg.level, lg.handlers, lg.propagate = disabled, level, handlers, propagate
        known = {id(lg) for lg in loggers}
        for lg in list(logging.Logger.manager.loggerDict.values()):
            if isinstance(lg, logging.Logger) and id(lg) not in known:  # made during the run
                lg.disabled, lg.level, lg.handlers, lg.propagate = False, logging.NOTSET, [], True


def test_import_contracts_are_kept(capsys):
    with logging_kept():
        code = importlinter_cli.lint_imports(
            config_filename=str(PYPROJECT), no_cache=True, no_logo=True
        )
    assert code == 0, capsys.readouterr().out


def test_the_contract_check_leaves_logging_as_it_was():
    logger = logging.getLogger("shopassist.test.kept")
    logger.setLevel(logging.INFO)
    with logging_kept():
        logging.config.dictConfig({"version": 1})  # what import-linter's CLI does
        assert logger.disabled
    assert not logger.disabled and logger.level == logging.INFO


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


def deferred_imports(path: Path) -> list[tuple[int, bool]]:
    """(line, has a reason) of every import inside a function of path: the reason is a
    `# lazy: why` comment on the statement's first line or just above its run of imports."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    nested: list[ast.stmt] = []
    for fn in ast.walk(ast.parse(source)):
        if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            nested += [
                n
                for n in ast.walk(fn)
                if isinstance(n, ast.Import | ast.ImportFrom) and n not in nested
            ]
    covered = {i for n in nested for i in range(n.lineno, (n.end_lineno or n.lineno) + 1)}
    out = []
    for node in nested:
        above = node.lineno - 1
        while above > 0 and (above in covered or not lines[above - 1].strip()):
            above -= 1
        reason = "# lazy:" in lines[node.lineno - 1] or (
            above > 0 and lines[above - 1].strip().startswith("# lazy:")
        )
        out.append((node.lineno, reason))
    return out


def test_imports_inside_functions_are_few_and_say_why():
    found = {
        f"{path.relative_to(ROOT)}:{line}": reason
        for path in sorted((ROOT / "assistant").rglob("*.py"))
        for line, reason in deferred_imports(path)
    }
    unexplained = [where for where, reason in found.items() if not reason]
    assert not unexplained, (
        f"imports inside functions without a `# lazy: why` comment: {unexplained}"
    )
    assert len(found) < MAX_DEFERRED_IMPORTS, f"{len(found)} imports inside functions: {found}"


def test_deferred_imports_are_found_with_their_reasons(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import os\n\n\ndef f():\n    # lazy: heavy\n    import json\n\n    from a import (\n"
        "        b,\n    )\n    return json\n\n\ndef g():\n    import sys  # lazy: optional\n\n\n"
        "def h():\n    x = 1\n    import re\n    return re, x\n"
    )
    assert deferred_imports(sample) == [(6, True), (8, True), (15, True), (20, False)]
