"""An optional pyinstrument profile of a measured block, written as text where asked (`--profile DIR`)."""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def profiled(path: str | None) -> Iterator[None]:
    if not path:
        yield
        return
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.005)
    profiler.start()
    try:
        yield
    finally:
        profiler.stop()
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(profiler.output_text(unicode=True, color=False, show_all=False), encoding="utf-8")
