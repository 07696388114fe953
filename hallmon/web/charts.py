"""Charts as PNG from matplotlib Figure objects (never pyplot), Chinese drawn with the bundled Noto Sans CJK SC.

A chart is described by a plain spec (title, labels, series); its PNG is cached under the spec's
hash, so it is drawn again only when the data behind it changes.
"""
from __future__ import annotations

import hashlib
import io
import json
import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import mplfonts
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font

FONT_FILE = "NotoSansCJKsc-Regular.otf"
PALETTE = ["#0b5cad", "#e07b00", "#b42318", "#067647", "#7a5af8", "#5b6776", "#c11574", "#0e9384"]


@lru_cache(maxsize=1)
def cjk_font_path() -> Path:
    """The CJK font installed with the project (mplfonts ships Noto Sans CJK SC)."""
    path = Path(mplfonts.__file__).parent / "fonts" / FONT_FILE
    if not path.exists():  # pragma: no cover - a broken install
        raise RuntimeError(f"缺少中文字体 {path}：请重新安装依赖（mplfonts）")
    return path


@lru_cache(maxsize=1)
def _font():
    path = cjk_font_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path))


def missing_glyphs(text: str) -> list[str]:
    """Characters the chart font cannot draw (they would come out as tofu boxes)."""
    face = FT2Font(str(cjk_font_path()))
    return sorted({ch for ch in text if not ch.isspace() and face.get_char_index(ord(ch)) == 0})


class _Cache:
    def __init__(self, size: int = 256):
        self.size = size
        self.items: OrderedDict[str, bytes] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self.lock:
            value = self.items.get(key)
            if value is not None:
                self.items.move_to_end(key)
            return value

    def put(self, key: str, value: bytes) -> None:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)


CACHE = _Cache()


def spec_key(spec: dict) -> str:
    return hashlib.sha256(json.dumps(spec, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def render(spec: dict) -> bytes:
    """PNG bytes for a chart spec, from the cache when the same data was drawn before."""
    key = spec_key(spec)
    cached = CACHE.get(key)
    if cached is not None:
        return cached
    png = _draw(spec)
    CACHE.put(key, png)
    return png


def line_spec(title: str, x: Sequence[str], series: dict[str, Sequence[float | None]], *,
              hline: float | None = None, hline_label: str | None = None, ylabel: str = "",
              ylim: tuple[float, float] | None = None) -> dict:
    return {"kind": "line", "title": title, "x": list(x), "series": {k: list(v) for k, v in series.items()},
            "hline": hline, "hline_label": hline_label, "ylabel": ylabel, "ylim": list(ylim) if ylim else None}


def bar_spec(title: str, x: Sequence[str], series: dict[str, Sequence[float]], *, stacked: bool = False,
             hline: float | None = None, hline_label: str | None = None, ylabel: str = "",
             horizontal: bool = False) -> dict:
    return {"kind": "bar", "title": title, "x": list(x), "series": {k: list(v) for k, v in series.items()},
            "stacked": stacked, "hline": hline, "hline_label": hline_label, "ylabel": ylabel,
            "horizontal": horizontal}


def _draw(spec: dict) -> bytes:
    font = _font()
    fig = Figure(figsize=(8, 3.6), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    x = spec["x"]
    positions = list(range(len(x)))
    series = spec["series"]
    if spec["kind"] == "line":
        for i, (name, values) in enumerate(series.items()):
            # a month without a value breaks the line rather than being bridged
            ax.plot(positions, [float("nan") if v is None else v for v in values], marker="o",
                    color=PALETTE[i % len(PALETTE)], label=name)
        if spec.get("ylim"):
            ax.set_ylim(*spec["ylim"])
    else:
        count = max(len(series), 1)
        width = 0.8 if spec.get("stacked") else 0.8 / count
        bottom = [0.0] * len(x)
        for i, (name, values) in enumerate(series.items()):
            values = [v or 0 for v in values]
            color = PALETTE[i % len(PALETTE)]
            if spec.get("stacked"):
                offsets = positions
            else:
                offsets = [p - 0.4 + width * (i + 0.5) for p in positions]
            if spec.get("horizontal"):
                ax.barh(offsets, values, height=width, left=bottom if spec.get("stacked") else None,
                        color=color, label=name)
            else:
                ax.bar(offsets, values, width=width, bottom=bottom if spec.get("stacked") else None,
                       color=color, label=name)
            if spec.get("stacked"):
                bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    if spec.get("hline") is not None:
        draw = ax.axvline if spec.get("horizontal") else ax.axhline
        draw(spec["hline"], color="#b42318", linestyle="--", linewidth=1.2, label=spec.get("hline_label"))
    axis_ticks = ax.set_yticks if spec.get("horizontal") else ax.set_xticks
    axis_ticks(positions)
    labels = ax.set_yticklabels if spec.get("horizontal") else ax.set_xticklabels
    labels(x, fontproperties=font, fontsize=8, rotation=0 if spec.get("horizontal") or len(x) <= 12 else 45)
    ax.set_title(spec["title"], fontproperties=font, fontsize=12)
    if spec.get("ylabel"):
        ax.set_ylabel(spec["ylabel"], fontproperties=font)
    for tick in ax.get_yticklabels() + ax.get_xticklabels():
        tick.set_fontproperties(font)
        tick.set_fontsize(8)
    handles, names = ax.get_legend_handles_labels()
    if names:
        ax.legend(prop=font, fontsize=8, loc="best", frameon=False)
    ax.grid(axis="x" if spec.get("horizontal") else "y", color="#e4e7ec", linewidth=0.8)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()
