"""`make bench`: every benchmark, one JSON line each on stdout, with its ratio measured in the same run.

    python -m bench [--only NAME] [--backend sqlite|postgresql] [--scale S] [--profile DIR] [--workdir DIR]

Each line carries `seconds`, the reference it is held against (`against`: the floor measured just before it,
or the issue's target), `ratio` = measured ÷ reference, `target`, `met` and `peak_mb` (the measured process's
own peak resident size). Progress goes to stderr. `--scale 0.1` runs the same benchmarks on a tenth of the data
(quick look; the ratios of a scaled run are not the issue's figures). Generated files are kept under the workdir
(bench/out by default), keyed by size and seed, so a rerun only measures.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from bench import child
from bench.databases import backends, database

ROOT = Path(__file__).resolve().parent.parent
GROUPS = {
    "ingest": ("ingest_punches",),
    "memory": ("memory_ingest",),
    "month": ("month_rules", "month_service"),
    "web": ("web_dashboard", "web_settlement"),
}
NAMES = tuple(name for names in GROUPS.values() for name in names)

# the targets
INGEST_RATIO = 1.5
MONTH_SECONDS = 1.0
WEB_P95_MS = 200.0


def say(text: str) -> None:
    sys.stderr.write(f"[bench {time.strftime('%H:%M:%S')}] {text}\n")
    sys.stderr.flush()


def sizes(scale: float) -> dict:
    """The issue's sizes at scale 1; smaller ones (never below a few rows) for a quick run or the test."""
    return {
        "punches": max(2_000, round(1_000_000 * scale)),
        "memory_small": max(500, round(250_000 * scale)),
        "month_staff": max(20, round(10_000 * scale)),
        "web_staff": max(6, round(2_500 * scale)),
        "web_years": 3,
        "web_clients": 20,
        "web_seconds": max(1.0, round(20 * min(1.0, scale * 4), 1)),
    }


def ratio(value: float | None, reference: float | None) -> float | None:
    if value is None or not reference:
        return None
    return round(value / reference, 3)


def line(bench: str, backend: str, **fields) -> dict:
    out = {"bench": bench, "backend": backend}
    for key, value in fields.items():
        out[key] = round(value, 4) if isinstance(value, float) else value
    return out


def cached(workdir: Path, key: str, make: Callable[[], dict]) -> dict:
    """The generated files' description, made once per key: reused while every file it names still exists."""
    marker = workdir / f"{key}.json"
    if marker.exists():
        found = json.loads(marker.read_text(encoding="utf-8"))
        files = [v for v in found.values() if isinstance(v, str) and v.startswith(str(workdir))]
        if all(Path(f).exists() for f in files):
            return found
    made = make()
    made = {k: v for k, v in made.items() if k not in ("peak_mb", "base_mb", "wall_seconds")}
    marker.write_text(json.dumps(made, ensure_ascii=False), encoding="utf-8")
    return made


def profile_path(options, name: str, backend: str) -> str | None:
    return str(Path(options.profile) / f"{name}-{backend}.txt") if options.profile else None


# ------------------------------------------------------------------ the benchmarks


def ingest_punches(options, backend: str, size: dict, rows: int | None = None, name: str = "ingest_punches") -> dict:
    """hallmon ingest + A1–A7 summaries of every month of a year of punches, against pandas + one bulk insert."""
    workdir = Path(options.workdir)
    rows = rows or size["punches"]
    files = cached(workdir, f"ingest-{rows}-{options.seed}",
                   lambda: child.run("ingest", "write_files", {"workdir": str(workdir), "punches": rows,
                                                               "seed": options.seed}))
    say(f"入库 {rows:,} 条打卡（{backend}）：底线（pandas + 一次批量写入），然后 hallmon")
    with database(backend, workdir, f"ingest{rows}") as url:
        child.run("ingest", "prepare", {"url": url, "terms": files["terms"], "staff": files["staff"]})
        floor = child.run("ingest", "floor", {"url": url, "punches": files["punches"]})
        keyed = child.run("ingest", "floor", {"url": url, "punches": files["punches"], "keyed": True})
        ours = child.run("ingest", "hallmon", {"url": url, "punches": files["punches"], "months": files["months"],
                                                "profile": profile_path(options, name, backend)})
    r = ratio(ours["seconds"], floor["seconds"])
    return line(name, backend, rows=ours["rows"], staff=files["staff_count"], seconds=ours["seconds"],
                floor_seconds=floor["seconds"], against="floor", ratio=r, target=INGEST_RATIO,
                met=r is not None and r <= INGEST_RATIO,
                ingest_seconds=ours["ingest_seconds"], summary_seconds=ours["summary_seconds"],
                ingest_ratio=ratio(ours["ingest_seconds"], floor["seconds"]),
                keyed_floor_seconds=keyed["seconds"], keyed_ratio=ratio(ours["seconds"], keyed["seconds"]),
                loaded=ours["loaded"], rejected=ours["rejected"], summaries=ours["summaries"],
                punches_per_second=round(ours["rows"] / ours["seconds"]),
                peak_mb=ours["peak_mb"], growth_mb=round(ours["peak_mb"] - ours["base_mb"], 1),
                floor_peak_mb=floor["peak_mb"])


def memory_ingest(options, backend: str, size: dict, large: dict | None) -> dict:
    """Peak memory of the ingest at a quarter of the size against the full size: growth ratio ÷ size ratio."""
    small = ingest_punches(options, backend, size, rows=size["memory_small"], name="memory_small")
    if large is None:
        large = ingest_punches(options, backend, size, name="memory_large")
    size_ratio = large["rows"] / small["rows"]
    growth_ratio = large["growth_mb"] / small["growth_mb"] if small["growth_mb"] > 0 else None
    r = ratio(growth_ratio, size_ratio)
    return line("memory_ingest", backend, rows_small=small["rows"], rows_large=large["rows"],
                peak_mb_small=small["peak_mb"], peak_mb_large=large["peak_mb"],
                growth_mb_small=small["growth_mb"], growth_mb_large=large["growth_mb"],
                size_ratio=round(size_ratio, 3), growth_ratio=round(growth_ratio, 3) if growth_ratio else None,
                against="size_ratio", ratio=r, target=1.0, met=r is not None and r <= 1.0,
                seconds=large["seconds"], seconds_small=small["seconds"], peak_mb=large["peak_mb"])


def month(options, backend: str, size: dict, wanted: set[str]) -> Iterator[dict]:
    """A month's summaries and settlement for N staff: the pure rules, then `settle` cold and warm."""
    workdir = Path(options.workdir)
    staff = size["month_staff"]
    files = cached(workdir, f"month-{staff}-{options.seed}",
                   lambda: child.run("month", "write_files", {"workdir": str(workdir), "staff": staff,
                                                              "seed": options.seed}))
    say(f"{staff:,} 人一个月的汇总与结算（{backend}）：载入数据（不计时）")
    with database(backend, workdir, f"month{staff}") as url:
        loaded = child.run("month", "prepare", {"url": url, "files": files})
        if "month_rules" in wanted:
            say(f"{staff:,} 人一个月：纯规则（A1–A7 与 B1–B5，数据已在内存）")
            pure = child.run("month", "rules", {"url": url, "profile": profile_path(options, "month_rules", backend)})
            yield line("month_rules", backend, staff=pure["staff"], punches=pure["punches"], seconds=pure["seconds"],
                       summary_seconds=pure["summary_seconds"], floor_seconds=None, against="target",
                       ratio=ratio(pure["seconds"], MONTH_SECONDS), target=MONTH_SECONDS,
                       met=pure["seconds"] <= MONTH_SECONDS, net_fee=pure["net_fee"], peak_mb=pure["peak_mb"],
                       growth_mb=round(pure["peak_mb"] - pure["base_mb"], 1))
        if "month_service" in wanted:
            say(f"{staff:,} 人一个月：hallmon settle（冷：先算汇总；热：已存汇总）")
            served = child.run("month", "service", {"url": url, "repeat": 2,
                                                    "profile": profile_path(options, "month_service", backend)})
            cold, warm = served["all_seconds"]
            yield line("month_service", backend, staff=staff, punches=loaded["punches"], seconds=cold,
                       warm_seconds=warm, floor_seconds=None, against="target", ratio=ratio(cold, MONTH_SECONDS),
                       warm_ratio=ratio(warm, MONTH_SECONDS), target=MONTH_SECONDS, met=warm <= MONTH_SECONDS,
                       net_fee=served["net_fee"], peak_mb=served["peak_mb"],
                       growth_mb=round(served["peak_mb"] - served["base_mb"], 1))


def web(options, backend: str, size: dict, wanted: set[str]) -> Iterator[dict]:
    """The dashboard and settlement pages under concurrent clients over years of a large contract."""
    from bench import web as W

    workdir = Path(options.workdir)
    staff, years = size["web_staff"], size["web_years"]
    files = cached(workdir, f"web-{staff}x{years}-{options.seed}",
                   lambda: child.run("web", "write_files", {"workdir": str(workdir), "staff": staff, "years": years,
                                                            "seed": options.seed}))
    say(f"网页负载（{backend}）：{years} 年 × {staff:,} 人的数据库（已建则复用）")
    url = W.dataset(backend, workdir, files)
    pages = [p for p in ("dashboard", "settlement") if f"web_{p}" in wanted]
    say(f"网页负载：先逐一预热每个月份/结算期，再每页 {size['web_clients']} 个并发客户端各 {size['web_seconds']} 秒")
    found = child.run("web", "load", {"url": url, "files": files, "pages": pages, "clients": size["web_clients"],
                                      "seconds": size["web_seconds"], "seed": options.seed,
                                      "workers": options.web_workers,
                                      "profile": (profile_path(options, "web", backend) or "")[:-4] or None})
    for page in pages:
        got = found[page]
        p95 = got["p95_ms"]
        yield line(f"web_{page}", backend, staff=staff, years=years, punches=files["punches_count"],
                   paths=len(files["months"]), clients=size["web_clients"], duration_seconds=got["duration_seconds"],
                   requests=got["requests"], errors=got["errors"], requests_per_second=got["requests_per_second"],
                   p50_ms=got["p50_ms"], p95_ms=p95, max_ms=got["max_ms"], seconds=round(p95 / 1000, 4),
                   floor_seconds=None, against="target", ratio=ratio(p95, WEB_P95_MS), target=WEB_P95_MS,
                   met=p95 <= WEB_P95_MS and got["errors"] == 0, warmup_seconds=got["warmup_seconds"],
                   first_request_seconds=got["first_request_seconds"],
                   write_seconds=got.get("write_seconds"), first_after_write_seconds=got.get("first_after_write_seconds"),
                   server=found["server"],
                   workers=options.web_workers, peak_mb=found["server_peak_mb"],
                   peak_mb_all_workers=found["server_peak_mb_total"])


# ------------------------------------------------------------------ the run


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description="hallmon benchmarks (one JSON line each)")
    parser.add_argument("--only", action="append", default=[],
                        help=f"a benchmark or a group ({', '.join(list(GROUPS) + list(NAMES))}); may repeat")
    parser.add_argument("--backend", action="append", choices=("sqlite", "postgresql"), default=[],
                        help="database(s) to run on (default: SQLite, and PostgreSQL when configured)")
    parser.add_argument("--scale", type=float, default=1.0, help="share of the issue's sizes (default 1)")
    parser.add_argument("--profile", metavar="DIR", help="write a pyinstrument profile of each measured step here")
    parser.add_argument("--workdir", default=str(ROOT / "bench" / "out"), help="generated files and SQLite databases")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--web-workers", type=int, default=2,
                        help="server processes for the web load (default 2: one per core of the reference machine)")
    options = parser.parse_args(argv)
    options.workdir = str(Path(options.workdir).resolve())
    if not 0 < options.scale <= 1:
        parser.error("--scale must be in (0, 1]")
    unknown = [n for n in options.only if n not in GROUPS and n not in NAMES]
    if unknown:
        parser.error(f"unknown benchmark: {', '.join(unknown)}")
    return options


def selected(options) -> set[str]:
    if not options.only:
        return set(NAMES)
    return {name for item in options.only for name in GROUPS.get(item, (item,))}


def run(options) -> Iterator[dict]:
    wanted = selected(options)
    size = sizes(options.scale)
    Path(options.workdir).mkdir(parents=True, exist_ok=True)
    chosen = backends(options.backend or None)
    for backend in chosen:
        large = None
        if "ingest_punches" in wanted:
            large = ingest_punches(options, backend, size)
            yield large
        if "memory_ingest" in wanted:
            yield memory_ingest(options, backend, size, large)
    # the pure rules do not depend on the database: measured once, on the first backend
    for i, backend in enumerate(chosen):
        month_wanted = wanted & {"month_service"} | (wanted & {"month_rules"} if i == 0 else set())
        if month_wanted:
            yield from month(options, backend, size, month_wanted)
    # several web workers share one PostgreSQL; SQLite only when asked for (or when there is no PostgreSQL)
    web_backend = chosen[-1] if not options.backend else chosen
    for backend in [web_backend] if isinstance(web_backend, str) else web_backend:
        if wanted & set(GROUPS["web"]):
            yield from web(options, backend, size, wanted)


def main(argv: list[str] | None = None) -> int:
    options = parse(sys.argv[1:] if argv is None else argv)
    started = time.perf_counter()
    count = 0
    for result in run(options):
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        sys.stdout.flush()
        count += 1
    say(f"完成：{count} 项，共 {time.perf_counter() - started:.1f} 秒")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
