"""A built wheel carries its templates, static files and migrations: installed into a fresh venv, it runs away
from the checkout.

The wheel is built without build isolation (setuptools and wheel come from the test extra) from a copy of the
build inputs, so the checkout gets no build/ or egg-info folder. The fresh venv sees the project's dependencies
through a .pth file naming this interpreter's site-packages, so nothing is downloaded.
"""
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD_INPUTS = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "hallmon", "templates", "static",
                "migrations")
SERVE_TWO_PAGES = """
import sys
from hallmon import create_app

app = create_app({"DATABASE_URL": sys.argv[1], "SECRET_KEY": "x", "TESTING": True})
client = app.test_client()
for path in ("/login", "/static/hallmon.css"):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
print(app.jinja_loader.searchpath[0])
print(app.static_folder)
"""


def run(args: list, *, timeout: float, **kwargs) -> subprocess.CompletedProcess:
    __tracebackhide__ = True  # a failure points at the step, and the environment stays out of the log
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=timeout, **kwargs)
    assert done.returncode == 0, (f"{' '.join(map(str, args))} exited {done.returncode}\n"
                                  f"stdout: {done.stdout[-2000:]}\nstderr: {done.stderr[-4000:]}")
    return done


def build_wheel(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    source.mkdir()
    for name in BUILD_INPUTS:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(ROOT / name, source / name)
    dist = tmp_path / "dist"
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "--no-build-isolation",
                           "--no-index", "-w", str(dist)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, ("building the wheel failed (it builds without isolation: setuptools>=68 and "
                                  f"wheel come from the test extra)\nstderr: {done.stderr[-4000:]}")
    (wheel,) = dist.glob("hallmon-*.whl")
    return wheel


def site_dirs_of_this_interpreter() -> list[str]:
    """Where this interpreter finds installed packages (a venv's own, and any it layers on)."""
    paths = sysconfig.get_paths()
    found = [paths["purelib"], paths["platlib"]]
    found += [p for p in sys.path if Path(p).name in ("site-packages", "dist-packages")]
    return list(dict.fromkeys(found))


def fresh_venv(tmp_path: Path) -> Path:
    fresh = tmp_path / "venv"
    run([sys.executable, "-m", "venv", fresh], timeout=180)
    purelib = run([fresh / "bin/python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                  timeout=60).stdout.strip()
    Path(purelib, "zz_dependencies.pth").write_text("\n".join(site_dirs_of_this_interpreter()) + "\n")
    return fresh


def environment(instance: Path | None) -> dict[str, str]:
    """This process's environment without anything that points at the checkout or a database."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("HALLMON_", "PYTHON")) and k not in ("VIRTUAL_ENV", "PIP_REQUIRE_VIRTUALENV")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    if instance is not None:
        env["HALLMON_INSTANCE_PATH"] = str(instance)
    return env


@pytest.mark.slow
def test_a_built_wheel_installs_and_runs_outside_the_checkout(tmp_path):
    wheel = build_wheel(tmp_path)
    names = zipfile.ZipFile(wheel).namelist()
    for shipped in ("hallmon/templates/base.html", "hallmon/static/hallmon.css", "hallmon/migrations/env.py",
                    "hallmon/migrations/script.py.mako", "hallmon/assessment/catalogue.toml"):
        assert shipped in names, f"{shipped} is not in {wheel.name}"
    assert any(n.startswith("hallmon/migrations/versions/") and n.endswith(".py") for n in names)
    assert not any("__pycache__" in n for n in names)

    fresh = fresh_venv(tmp_path)
    python, hallmon = fresh / "bin/python", fresh / "bin/hallmon"
    # --ignore-installed: the dependencies' site-packages may hold the checkout's editable install, not ours to touch
    run([python, "-m", "pip", "install", "--no-deps", "--no-index", "--ignore-installed", wheel],
        timeout=300, env=environment(None))

    work = tmp_path / "elsewhere"
    work.mkdir()
    env = environment(tmp_path / "instance")
    outside = {"cwd": work, "env": env}

    location = Path(run([python, "-c", "import hallmon; print(hallmon.__file__)"], timeout=60, **outside)
                    .stdout.strip())
    assert location.is_relative_to(fresh), f"hallmon imported from {location}, not from the fresh venv"
    assert not location.is_relative_to(ROOT)
    assert hallmon.read_text().startswith(f"#!{python}"), "the hallmon command is not the wheel's"

    run([hallmon, "--db", f"sqlite:///{tmp_path / 'x.sqlite3'}", "init"], timeout=120, **outside)
    demo = tmp_path / "d.sqlite3"
    run([hallmon, "--db", f"sqlite:///{demo}", "demo", "--no-serve", "--seed", "2024"], timeout=600, **outside)

    folders = run([python, "-c", SERVE_TWO_PAGES, f"sqlite:///{demo}"], timeout=120, **outside).stdout.split()
    assert all(Path(f).is_relative_to(fresh) for f in folders), folders

    default = run([python, "-c", "from hallmon.config import instance_path; print(instance_path())"],
                  timeout=60, cwd=work, env=environment(None)).stdout.strip()
    assert Path(default) == work / "instance", "an installed hallmon keeps its instance folder in the working directory"
