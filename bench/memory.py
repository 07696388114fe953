"""Memory of the process a benchmark runs in: resident size now, and the peak (Linux)."""
from __future__ import annotations

import os
import resource

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def rss_mb() -> float:
    """Resident set size now, in MiB (from /proc; falls back to the peak where /proc is missing)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * _PAGE / 2**20
    except OSError:
        return peak_mb()


def peak_mb() -> float:
    """This process's peak resident set size so far, in MiB: VmHWM from /proc.

    Not ru_maxrss: Linux carries it across exec, so a child started by a large parent would report the
    parent's peak as its own. ru_maxrss (KiB on Linux) only where /proc is missing.
    """
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


_BASE: dict[str, float] = {}


def baseline() -> None:
    """Mark the start of the measured part of a step: its memory growth is counted from here."""
    _BASE["rss_mb"] = rss_mb()


def baseline_mb() -> float:
    return _BASE.get("rss_mb", 0.0)
