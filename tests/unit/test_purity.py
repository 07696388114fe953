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
