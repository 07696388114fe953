"""Build hook: the top-level templates/, static/ and migrations/ are copied into the built hallmon package.

All metadata lives in pyproject.toml. The folders stay at the top of the source tree; an editable install
reads them from there (hallmon.resources falls back to the checkout).
"""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SHIPPED = ("templates", "static", "migrations")  # the names hallmon.resources looks up


class BuildPyWithResources(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for name in SHIPPED:
            target = Path(self.build_lib) / "hallmon" / name
            shutil.rmtree(target, ignore_errors=True)  # a file removed from the source leaves no stale copy
            shutil.copytree(ROOT / name, target, ignore=shutil.ignore_patterns("__pycache__", "*.py[cod]"))


setup(cmdclass={"build_py": BuildPyWithResources})
