"""The shipped folders (templates, static, migrations): inside the installed package, else the checkout's."""
from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
SHIPPED = ("templates", "static", "migrations")  # setup.py copies these into the package when building


def resource_folder(name: str) -> Path:
    """The folder of a shipped resource: the installed package's copy, else the checkout's top-level one."""
    if name not in SHIPPED:
        raise ValueError(f"not a shipped folder: {name!r} (one of {', '.join(SHIPPED)})")
    inside = PACKAGE / name
    return inside if inside.is_dir() else PACKAGE.parent / name

