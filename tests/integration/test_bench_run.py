"""`make bench` keeps working: every benchmark runs at a tiny scale and prints its JSON line with numeric ratios.

Nothing here is about speed : the figures of a tiny run mean nothing, only their shape is checked.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COMMON = {"bench", "backend", "seconds", "against", "ratio", "target", "met", "peak_mb"}
EXTRA = {
    "ingest_punches": {"rows", "floor_seconds", "ingest_seconds", "summary_seconds", "loaded", "rejected"},
    "memory_ingest": {"rows_small", "rows_large", "growth_ratio", "size_ratio"},
    "month_rules": {"staff", "punches", "summary_seconds", "net_fee"},
    "month_service": {"staff", "warm_seconds", "net_fee"},
    "web_dashboard": {"p50_ms", "p95_ms", "errors", "requests", "requests_per_second", "clients"},
    "web_settlement": {"p50_ms", "p95_ms", "errors", "requests", "requests_per_second", "clients"},
}


def run_bench(tmp_path: Path, *args: str) -> list[dict]:
    env = dict(os.environ)
    env.pop("HALLMON_BENCH_DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-m", "bench", "--scale", "0.002", "--workdir", str(tmp_path), *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_every_benchmark_prints_one_json_line_with_its_ratio(tmp_path):
    lines = run_bench(tmp_path, "--backend", "sqlite")
    assert [line["bench"] for line in lines] == list(EXTRA)
    for line in lines:
        assert COMMON | EXTRA[line["bench"]] <= set(line), line["bench"]
        assert line["backend"] == "sqlite"
        assert isinstance(line["ratio"], float | int) and line["ratio"] >= 0, line
        assert isinstance(line["met"], bool) and isinstance(line["peak_mb"], float | int)
    web = [line for line in lines if line["bench"].startswith("web_")]
    assert all(line["requests"] > 0 and line["errors"] == 0 for line in web)


def test_the_ingest_benchmark_runs_against_postgresql_with_copy_as_its_floor(tmp_path):
    if not os.environ.get("HALLMON_TEST_DATABASE_URL"):
        pytest.skip("PostgreSQL tests need HALLMON_TEST_DATABASE_URL")
    (line,) = run_bench(tmp_path, "--backend", "postgresql", "--only", "ingest_punches")
    assert line["bench"] == "ingest_punches" and line["backend"] == "postgresql"
    assert isinstance(line["ratio"], float | int) and line["floor_seconds"] > 0 and line["loaded"] > 0


def test_an_unknown_benchmark_is_refused_by_name(tmp_path):
    done = subprocess.run([sys.executable, "-m", "bench", "--only", "nonesuch", "--workdir", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "nonesuch" in done.stderr
