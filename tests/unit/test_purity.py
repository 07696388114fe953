"""The pure core (rules, settlement, gate, calendar, contract) imports neither flask nor sqlalchemy."""
import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PURE = sorted(
    [*ROOT.glob("hallmon/**/rules.py")]
    + [*ROOT.glob("hallmon/core/*.py"), *ROOT.glob("hallmon/contract/*.py")]
    + [p for p in (ROOT / "hallmon/billing/settlement.py", ROOT / "hallmon/billing/gate.py") if p.exists()]
)
FORBIDDEN = ("flask", "sqlalchemy")


def _module(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def test_the_pure_modules_are_found():
    names = {p.name for p in PURE}
    assert {"calendar.py", "terms.py", "load.py", "periods.py"} <= names


@pytest.mark.parametrize("path", PURE, ids=_module)
def test_a_pure_module_has_no_flask_or_sqlalchemy_import(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    offending = []
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        offending += [f"{path.name}:{node.lineno} imports {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offending == []


@pytest.mark.parametrize("path", PURE, ids=_module)
def test_importing_a_pure_module_loads_neither_flask_nor_sqlalchemy(path):
    code = (f"import sys, {_module(path)}; "
            f"print(','.join(m for m in {FORBIDDEN!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


# ---------------------------------------------------------------- layers point one way

# Lowest first. A module may import hallmon modules of a lower layer and of its own package; two packages of one
# layer stay apart (the foundation and the entry points excepted). A domain's views.py is an entry point.
LAYERS = (
    ("hallmon.core", "hallmon.db", "hallmon.uow", "hallmon.resources", "hallmon.config", "hallmon.migrate"),
    ("hallmon.contract",),
    ("hallmon.ingest",),
    ("hallmon.roster", "hallmon.auth"),
    ("hallmon.complaints",),
    ("hallmon.attendance", "hallmon.assessment"),
    ("hallmon.caseload",),
    ("hallmon.billing",),
    ("hallmon.alerts", "hallmon.evaluation"),
    ("hallmon.notify",),
    ("hallmon.app",),
    ("hallmon.web", "hallmon.cli", "hallmon.jobs", "hallmon.scheduler", "hallmon.demo", "hallmon.models",
     "hallmon.extensions", "hallmon"),
)
SHARED = {0, len(LAYERS) - 1}
MODULES = sorted(p for p in ROOT.glob("hallmon/**/*.py"))


def _package(module: str) -> str:
    """The layer entry a module belongs to (the longest prefix listed), and views.py always to the entry points."""
    if module.endswith(".views"):
        return "hallmon.web"
    names = [name for layer in LAYERS for name in layer if module == name or module.startswith(name + ".")]
    return max(names, key=len)


def _layer(module: str) -> int:
    package = _package(module)
    return next(i for i, layer in enumerate(LAYERS) if package in layer)


def _imports(path: Path) -> list[tuple[int, str]]:
    module = _module(path).removesuffix(".__init__")
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            base = node.module
            if node.level:
                base = ".".join(module.split(".")[:len(module.split(".")) - node.level + (path.name == "__init__.py")]
                                + [node.module])
            out += [(node.lineno, f"{base}.{a.name}") if a.name != "*" else (node.lineno, base) for a in node.names]
    return [(line, name) for line, name in out if name == "hallmon" or name.startswith("hallmon.")]


def test_every_module_of_the_package_has_a_layer():
    assert all(_layer(_module(p).removesuffix(".__init__")) >= 0 for p in MODULES)


@pytest.mark.parametrize("path", MODULES, ids=_module)
def test_a_module_imports_only_lower_layers_and_its_own_package(path):
    module = _module(path).removesuffix(".__init__")
    mine, layer = _package(module), _layer(module)
    wrong = []
    for line, name in _imports(path):
        target = name
        while "." in target and not (ROOT / (target.replace(".", "/") + ".py")).exists() \
                and not (ROOT / target.replace(".", "/")).is_dir():
            target = target.rsplit(".", 1)[0]  # `from hallmon.x import name`: the module is hallmon.x
        theirs, their_layer = _package(target), _layer(target)
        if theirs == mine or their_layer < layer or (their_layer == layer and layer in SHARED):
            continue
        wrong.append(f"{path.name}:{line} imports {target} ({theirs}, layer {their_layer} ≥ {layer})")
    assert wrong == []


def test_ruff_finds_no_import_inside_a_function_outside_the_app_factory_and_the_cli():
    out = subprocess.run([sys.executable, "-m", "ruff", "check", "--select", "PLC0415", "--output-format", "concise",
                          "hallmon"], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stdout
