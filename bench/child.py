"""One measured step in its own process, so that its peak memory is its own: `python -m bench.child MODULE FUNC JSON`.

The step returns a dict; the child adds its peak resident size and the resident size at the moment the
step called `bench.memory.baseline()` (after imports and set-up), and prints it as the last line of stdout.
"""
from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.memory import baseline_mb, peak_mb


def run(module: str, func: str, args: dict, timeout: float = 900) -> dict:
    """Run bench.<module>.<func>(**args) in a fresh interpreter; its dict, with peak_mb and base_mb."""
    root = Path(__file__).resolve().parent.parent
    env = dict(os.environ)
    env["PYTHONPATH"] = str(root) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "bench.child", module, func, json.dumps(args)],
                          capture_output=True, text=True, timeout=timeout, cwd=root, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"bench.{module}.{func} failed ({done.returncode}):\n{done.stderr[-4000:]}")
    if done.stderr.strip():
        sys.stderr.write(done.stderr)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall_seconds"] = round(time.perf_counter() - started, 3)
    return result


def main(argv: list[str]) -> None:
    module, func, raw = argv
    target = getattr(importlib.import_module(f"bench.{module}"), func)
    result = target(**json.loads(raw)) or {}
    result["peak_mb"] = round(peak_mb(), 1)
    result["base_mb"] = round(baseline_mb(), 1)
    sys.stdout.write(json.dumps(result, ensure_ascii=False, default=str) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
