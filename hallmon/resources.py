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


def checkout_root() -> Path | None:
    """The source checkout the package runs from (an editable install or PYTHONPATH), else None.

    An installed wheel carries its own migrations; a checkout keeps them beside the package, next to
    pyproject.toml.
    """
    if (PACKAGE / "migrations").is_dir():
        return None
    root = PACKAGE.parent
    return root if (root / "pyproject.toml").is_file() and (root / "migrations").is_dir() else None
